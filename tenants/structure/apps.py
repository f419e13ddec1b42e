from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructureConfig(AppConfig):
    name = "tenants.structure"
    label = "structure"
    verbose_name = _("Estructura municipal")
    default_auto_field = "django.db.models.BigAutoField"
