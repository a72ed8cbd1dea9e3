"""The duty to tell the victim of bail also opens when pre-charge bail ends (victims/reference/rights.csv):
the rights are upserted again from the file."""

from django.db import migrations

from bluestone.victims.reference import rights_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    rights_upsert(right=apps.get_model("victims", "Right"))


class Migration(migrations.Migration):
    dependencies = [("victims", "0004_message_replies"), ("cases", "0005_bail_ended_event")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
