"""Every municipality has its one communication settings row from the start, with the key 1
and no other allowed: created here in the template schema (and in existing ones), so a new
municipality's clone carries it and reading the settings never writes."""

from django.db import migrations, models


def create_settings(apps, schema_editor):  # type: ignore[no-untyped-def]
    Settings = apps.get_model("communications", "CommunicationSettings")
    # A schema that already wrote its row (on a first read, before this migration) keeps
    # its choice, under the one key now allowed.
    first = Settings.objects.order_by("pk").first()
    require_approval = first.require_approval if first is not None else True
    Settings.objects.exclude(pk=1).delete()
    Settings.objects.update_or_create(pk=1, defaults={"require_approval": require_approval})


class Migration(migrations.Migration):
    dependencies = [("communications", "0003_publication_sending")]

    operations = [
        migrations.RunPython(create_settings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="communicationsettings",
            constraint=models.CheckConstraint(condition=models.Q(("pk", 1)), name="comm_settings_singleton"),
        ),
    ]
