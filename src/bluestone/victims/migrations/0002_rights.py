"""Loads the Victims' Code duties Bluestone tracks (victims/reference/rights.csv). Re-runnable: it upserts."""

from django.db import migrations

from bluestone.victims.reference import rights_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    rights_upsert(right=apps.get_model("victims", "Right"))


class Migration(migrations.Migration):
    dependencies = [("victims", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
