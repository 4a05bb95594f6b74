"""Load version 1 of the standards (code of conduct, competency framework, never
events and sanctions guidance), published and in force from 1 April 2025, when
no version exists yet. The content is in ``steward/standards/data/version-1.json``."""

from django.db import migrations


def load_version_1(apps, schema_editor):
    from steward.standards.loading import version_1_load

    version_1_load(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_version_1, migrations.RunPython.noop, elidable=False),
    ]
