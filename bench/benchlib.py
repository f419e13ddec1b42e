"""What the benchmarks share. A database of the benchmark's own on the DATABASE_URL server: created fresh before Django
starts, dropped afterwards, so the development data is never touched."""

from __future__ import annotations

import os

import psycopg
from psycopg import sql


def create(name: str, **env: str) -> str:
    """Create (or recreate) database `name`, point Django at it and return the server URL."""
    base_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sigobito")
    server, _, _current = base_url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sigobito_platform.settings"
    os.environ.setdefault("SIGOBITO_ALLOW_INSECURE_KEY", "1")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.update(env)
    return server


def drop(server: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
