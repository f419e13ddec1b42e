"""Liveness and readiness probes (used by Helm and by people)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up. Touches nothing else, so a database outage does not restart pods."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the message says which
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_broker() -> str | None:
    if not settings.BROKER_CONFIGURED:
        return None  # tasks run in-process: there is no broker to wait for
    try:
        from kombu import Connection

        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def readyz(request: HttpRequest) -> JsonResponse:
    """The process can serve: the database answers and the broker (if any) is reachable.
    The answer names the failing check only; the error itself (which may mention hosts and
    accounts) goes to the log."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    for name, error in checks.items():
        if error is not None:
            logger.warning("readyz: %s unavailable: %s", name, error)
    body = {
        "status": "ok" if not any(checks.values()) else "unavailable",
        "checks": {name: ("ok" if error is None else "unavailable") for name, error in checks.items()},
        "broker": "external" if settings.BROKER_CONFIGURED else "in-process",
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
