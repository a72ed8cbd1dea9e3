"""Loads the default investigation plan template from reference/default_plan.csv. Re-runnable."""

from django.db import migrations

from bluestone.investigation.reference import default_template_load


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    default_template_load(
        plan_template=apps.get_model("investigation", "PlanTemplate"),
        plan_template_line=apps.get_model("investigation", "PlanTemplateLine"),
    )


class Migration(migrations.Migration):
    dependencies = [("investigation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
