"""Loads the shipped training courses (workforce/reference/courses.csv). Re-runnable: it only adds."""

from django.db import migrations

from bluestone.workforce.reference import courses_load


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    courses_load(course_type=apps.get_model("workforce", "CourseType"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
