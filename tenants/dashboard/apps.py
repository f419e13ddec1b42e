from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "tenants.dashboard"
    label = "dashboard"
    verbose_name = _("Tablero municipal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Celery's autodiscovery imports each app's `tasks` module only; the brief's email
        # tasks live in their own module (tasks_brief), registered here.
        from tenants.dashboard import tasks_brief  # noqa: F401
