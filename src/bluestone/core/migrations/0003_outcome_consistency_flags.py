"""Outcome types learn the consistency rules (a charge on record for 1, a finished investigation for
15) and which decisions carry the Victims' Right to Review; the shipped values are loaded."""

from django.db import migrations, models

from bluestone.core.reference import reference_data_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    reference_data_upsert(
        offence_class=apps.get_model("core", "OffenceClass"), outcome_type=apps.get_model("core", "OutcomeType")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcometype",
            name="requires_charge_decision",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="outcometype",
            name="requires_investigation_complete",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="outcometype",
            name="right_to_review",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
