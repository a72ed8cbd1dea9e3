"""Loads the shipped evidence reference data (sample types, data categories, notice elements).
Re-runnable: it upserts."""

from django.db import migrations

from bluestone.evidence.reference import evidence_reference_upsert


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    evidence_reference_upsert(
        sample_type=apps.get_model("evidence", "SampleType"),
        data_category=apps.get_model("evidence", "DataCategory"),
        notice_element=apps.get_model("evidence", "NoticeElement"),
    )


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
