from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OdsAlignmentConfig(AppConfig):
    name = "ods_alignment"
    verbose_name = _("Alineación ODS")
    default_auto_field = "django.db.models.BigAutoField"
