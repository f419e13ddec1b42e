from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Municipios")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The project package has no __init__.py (it would shadow the standard library's
        # `platform`), so the Celery app is loaded here: shared tasks then bind to it
        # instead of to an unconfigured default app.
        import sigobito_platform.celery  # noqa: F401
