from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Comunidad")
    default_auto_field = "django.db.models.BigAutoField"
