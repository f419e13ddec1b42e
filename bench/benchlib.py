"""What the benchmarks share. A database of the benchmark's own on the DATABASE_URL server: created fresh before Django
starts, dropped afterwards, so the development data is never touched."""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


# What the page benchmarks (initiatives.py, dashboard.py) share: the options, the database
# with Django set up on it, the municipality and its people, and the timing of one page.


def add_run_arguments(parser: argparse.ArgumentParser, *, db: str) -> None:
    """The options of every page benchmark (after the script's own, which size the fixture)."""
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--db", default=db, help="the throwaway database's name")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one request per page")


@contextmanager
def django_database(name: str, *, keep: bool, **env: str) -> Iterator[None]:
    """A fresh database `name` with Django set up on it, dropped on the way out unless `keep`."""
    server = create(name, **env)
    import django

    # Whitenoise warns that STATIC_ROOT was never collected; the bench does not serve files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    try:
        yield
    finally:
        if not keep:
            drop(server, name)


def municipality_with_people(*, slug: str, people: list[tuple[str, str]]) -> tuple[Any, dict[str, Any]]:
    """Migrate, then create the municipality `slug` with a user per (role, email) of `people`.
    Returns the municipality and the users by role."""
    from django.core.management import call_command

    from tenants import services
    from tenants.accounts.services import user_create_or_update

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")
    municipality = services.municipality_create(
        actor=None,
        name="Municipio de referencia",
        slug=slug,
        country="CO",
        time_zone="America/Bogota",
        admin_email="admin@bench.test",
    ).municipality
    users = {}
    for role, email in people:
        users[role] = user_create_or_update(email=email, full_name=f"Persona {role}")
        services.membership_grant(actor=None, municipality=municipality, user=users[role], role=role)
    return municipality, users


@contextmanager
def unhashed_static() -> Iterator[None]:
    """Production settings hash static file names from a manifest that `collectstatic` writes
    at image build time; the bench serves them unhashed instead."""
    from django.conf import settings
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


def measure(client: Any, url: str, *, label: str, runs: int, warmup: int, target_ms: int, profile: bool) -> None:
    """Time GET `url` `runs` times (after `warmup` untimed ones) and print the median, p95,
    queries and size on a line `GET <label> ...`; with `profile`, a cProfile of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    median = statistics.median(times) * 1000
    verdict = "ok" if median < target_ms else f"OVER the {target_ms} ms target"
    print(
        f"GET {label} median {median:6.1f} ms, p95 {percentile(times, 0.95) * 1000:6.1f} ms, "
        f"{len(queries)} queries, {len(response.content) // 1024} KiB  ({runs} runs; {verdict})"
    )
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
