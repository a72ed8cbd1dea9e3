"""Loads the shipped reference data (offence classes, outcome types). Re-runnable: it upserts."""

from django.db import migrations

from bluestone.core.reference import reference_data_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    reference_data_upsert(
        offence_class=apps.get_model("core", "OffenceClass"), outcome_type=apps.get_model("core", "OutcomeType")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
