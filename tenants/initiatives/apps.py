from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "tenants.initiatives"
    label = "initiatives"
    verbose_name = _("Iniciativas prioritarias")
    default_auto_field = "django.db.models.BigAutoField"
