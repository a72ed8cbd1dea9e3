"""Version 1 of the case-file review template: questions on each pillar of the operating model."""

from django.db import migrations

QUESTIONS = [
    ("suspect_focus", "The plan started with the suspect's behaviour before, during and after the offence"),
    ("suspect_focus", "The suspect's history and any previous reports were checked early"),
    ("suspect_focus", "Arrest or interview happened without avoidable delay"),
    ("repeat_suspects", "Other reports about the same suspect were found and linked"),
    ("repeat_suspects", "Disruption tactics were considered for a suspect who may offend again"),
    ("victim_engagement", "The victim was kept informed as they asked, by the channel safe for them"),
    ("victim_engagement", "Victims' Code duties were met on time"),
    ("victim_engagement", "The victim was offered an ISVA and other support"),
    ("victim_engagement", "The victim was told of the outcome and of their right to review"),
    ("officer_learning", "The officer in the case holds the specialist training for this offence"),
    ("officer_learning", "Supervisory reviews were recorded and gave clear direction"),
    ("use_of_data", "The outcome code fits what the file records"),
    ("use_of_data", "Events and decisions were recorded when they happened"),
    (
        "digital_proportionality",
        "Requests for the victim's material were for a reasonable line of enquiry, with a reason and approval",
    ),
    ("digital_proportionality", "The victim's phone was returned, or a replacement given, within 24 hours"),
]


def load(apps, schema_editor):
    ReviewTemplate = apps.get_model("filereviews", "ReviewTemplate")
    ReviewQuestion = apps.get_model("filereviews", "ReviewQuestion")
    if ReviewTemplate.objects.filter(version=1).exists():
        return
    template = ReviewTemplate.objects.create(version=1, note="The operating model's pillars")
    ReviewQuestion.objects.bulk_create(
        ReviewQuestion(template=template, pillar=pillar, order=order, text=text)
        for order, (pillar, text) in enumerate(QUESTIONS, start=1)
    )


def unload(apps, schema_editor):
    ReviewTemplate = apps.get_model("filereviews", "ReviewTemplate")
    ReviewQuestion = apps.get_model("filereviews", "ReviewQuestion")
    ReviewQuestion.objects.filter(template__version=1).delete()
    ReviewTemplate.objects.filter(version=1, samples__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("filereviews", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
