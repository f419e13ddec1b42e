from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "tenants.agenda"
    label = "agenda"
    verbose_name = _("Agenda del titular")
    default_auto_field = "django.db.models.BigAutoField"
