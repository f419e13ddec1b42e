from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "tenants.communications"
    label = "communications"
    verbose_name = _("Comunicación")
    default_auto_field = "django.db.models.BigAutoField"
