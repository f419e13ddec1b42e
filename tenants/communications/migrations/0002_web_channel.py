"""Every municipality has its public news page as a channel from the start: created in the
template schema, so each new municipality's clone carries it (no write on a first GET)."""

from django.db import migrations


def create_web_channel(apps, schema_editor):  # type: ignore[no-untyped-def]
    Channel = apps.get_model("communications", "Channel")
    if not Channel.objects.filter(kind="web").exists():
        Channel.objects.create(kind="web", name="Página de noticias del municipio")


class Migration(migrations.Migration):
    dependencies = [("communications", "0001_initial")]

    operations = [migrations.RunPython(create_web_channel, migrations.RunPython.noop)]
