"""Loads the shipped reference data (offence classes, outcome types). Re-runnable: it upserts."""

from django.db import migrations

from bluestone.core.reference import read_reference


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    offence_class = apps.get_model("core", "OffenceClass")
    outcome_type = apps.get_model("core", "OutcomeType")
    for row in read_reference("offence_classes"):
        offence_class.objects.update_or_create(code=row.pop("code"), defaults=row)
    for row in read_reference("outcome_types"):
        outcome_type.objects.update_or_create(code=int(row.pop("code")), defaults=row)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
