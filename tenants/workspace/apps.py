from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Per-municipality basics: the workspace home and the municipality's audit trail."""

    name = "tenants.workspace"
    label = "workspace"
    verbose_name = _("Espacio de trabajo")
    default_auto_field = "django.db.models.BigAutoField"
