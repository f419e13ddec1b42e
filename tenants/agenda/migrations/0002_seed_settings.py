from django.db import migrations


def seed(apps, schema_editor):
    # Runs in the template too; new municipalities are cloned with this row.
    apps.get_model("agenda", "AgendaSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
