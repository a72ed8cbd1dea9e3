"""Loads the shipped disruption tactics. Re-runnable: it upserts."""

from django.db import migrations

from bluestone.suspects.reference import tactic_types_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    tactic_types_upsert(tactic_type=apps.get_model("suspects", "TacticType"))


class Migration(migrations.Migration):
    dependencies = [("suspects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
