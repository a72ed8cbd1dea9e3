"""Loads the shipped guidance notes (workforce/reference/guidance/). Re-runnable: it only adds."""

from django.db import migrations

from bluestone.core import clock
from bluestone.workforce.reference import guidance_load


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    guidance_load(
        note_model=apps.get_model("workforce", "GuidanceNote"),
        version_model=apps.get_model("workforce", "GuidanceVersion"),
        at=clock.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("workforce", "0003_guidance_notes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
