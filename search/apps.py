from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Búsqueda")
    default_auto_field = "django.db.models.BigAutoField"
