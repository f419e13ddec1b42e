"""The Celery application. Tasks carry the schema they were sent from (tenant-schemas-celery
adds it to the message headers), so a task enqueued inside a municipality runs inside it."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigobito_platform.settings")

app = CeleryApp("sigobito")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
