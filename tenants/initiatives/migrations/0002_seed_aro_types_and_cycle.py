from django.db import migrations

BUILT_IN = [
    ("financial", "Financiera"),
    ("legal", "Legal"),
    ("political", "Política"),
    ("communicational", "Comunicacional"),
    ("technical_administrative", "Técnico-administrativa"),
    ("other", "Otra"),
]


def seed(apps, schema_editor):
    # Runs in the template too; new municipalities are cloned with these rows.
    AroType = apps.get_model("initiatives", "AroType")
    CycleSettings = apps.get_model("initiatives", "CycleSettings")
    for position, (key, name) in enumerate(BUILT_IN, start=1):
        AroType.objects.get_or_create(key=key, defaults={"name": name, "position": position})
    CycleSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
