"""Test fixtures. Tenant schemas are created once per session (cloned from the template,
as in production) and committed; each test then runs inside a transaction that is rolled
back, so tests can create, change and even provision without leaving anything behind."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from ods_alignment.catalogue import load_catalogue
from ods_alignment.models import Goal
from tenants import services
from tenants.accounts.models import User
from tenants.models import Membership, Municipality
from tenants.roles import MunicipalRole, PlatformRole

PASSWORD = "correcto-caballo-bateria-grapa"
# Everyone the session world makes a member of Alfa.
ALFA_MEMBERS = {"admin@alfa.test", "mayor@alfa.test", "editor@alfa.test", "gerente@alfa.test", "seguimiento@alfa.test"}


@dataclass
class World:
    alfa: Municipality
    beta: Municipality
    admin_alfa: User  # system counterpart of Alfa
    mayor_alfa: User
    editor_alfa: User  # communications editor of Alfa
    manager_alfa: User  # initiative manager of Alfa
    followup_alfa: User  # institutional follow-up of Alfa
    admin_beta: User  # system counterpart of Beta
    platform_admin: User
    regional: User  # regional team (community console)
    outsider: User  # an account with no membership anywhere


def _user(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=name)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_test_environment: None, django_db_blocker: object
) -> Iterator[None]:
    """Always create the test database, even when no test asks for `db`: tests that only
    start processes (browser, killed provisioning) still need the session world, and it
    must never be written to the development database."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        connection.set_schema_to_public()
        # Servers and workers the tests started may still hold a connection for a moment.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session")
def world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[World]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing to seed a non-test database"
        connection.set_schema_to_public()
        alfa = services.municipality_create(
            actor=None,
            name="Municipio Alfa",
            slug="alfa",
            country="CO",
            time_zone="America/Bogota",
            admin_email="admin@alfa.test",
            admin_name="Ana Alfa",
            admin_password=PASSWORD,
            region="Boyacá",
            population=20000,
        )
        beta = services.municipality_create(
            actor=None,
            name="Municipio Beta",
            slug="beta",
            country="GT",
            time_zone="America/Guatemala",
            admin_email="admin@beta.test",
            admin_name="Bruno Beta",
            admin_password=PASSWORD,
            default_language="en",
        )
        mayor = _user("mayor@alfa.test", "Marta Alcaldesa")
        Membership.objects.create(user=mayor, municipality=alfa.municipality, role=MunicipalRole.MAYOR)
        editor = _user("editor@alfa.test", "Elena Editora")
        Membership.objects.create(user=editor, municipality=alfa.municipality, role=MunicipalRole.COMMUNICATIONS_EDITOR)
        manager = _user("gerente@alfa.test", "Gustavo Gerente")
        Membership.objects.create(user=manager, municipality=alfa.municipality, role=MunicipalRole.INITIATIVE_MANAGER)
        followup = _user("seguimiento@alfa.test", "Sofía Seguimiento")
        Membership.objects.create(
            user=followup, municipality=alfa.municipality, role=MunicipalRole.INSTITUTIONAL_FOLLOW_UP
        )
        platform_admin = _user("root@platform.test", "Paula Plataforma")
        services.platform_role_grant(actor=None, user=platform_admin, role=PlatformRole.PLATFORM_ADMIN)
        regional = _user("regional@platform.test", "Raúl Regional")
        services.platform_role_grant(actor=None, user=regional, role=PlatformRole.REGIONAL_TEAM)
        outsider = _user("nadie@otro.test", "Nadie")
        yield World(
            alfa=alfa.municipality,
            beta=beta.municipality,
            admin_alfa=alfa.admin,
            mayor_alfa=mayor,
            editor_alfa=editor,
            manager_alfa=manager,
            followup_alfa=followup,
            admin_beta=beta.admin,
            platform_admin=platform_admin,
            regional=regional,
            outsider=outsider,
        )


@pytest.fixture(autouse=True)
def _public_schema_between_tests() -> Iterator[None]:
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    from django.core.cache import caches

    yield
    for alias in settings.CACHES:
        caches[alias].clear()


def host(municipality: Municipality | None) -> str:
    return f"{municipality.slug}.{settings.PLATFORM_DOMAIN}" if municipality else settings.PLATFORM_DOMAIN


def client_for(user: User | None, municipality: Municipality | None = None) -> Client:
    """A test client on a municipality's host (or the public host), logged in as `user`."""
    client = Client(HTTP_HOST=host(municipality))
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def w(world: World, db: None) -> World:
    """The session world, inside this test's transaction."""
    return world


def database_url_for_subprocess() -> str:
    """The URL of the test database, for processes the tests start."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    server = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgresql://{auth}{server}/{connection.settings_dict['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sigobito_platform.settings.test",
        DATABASE_URL=database_url_for_subprocess(),
        SIGOBITO_ALLOW_INSECURE_KEY="1",
        # One cache for all the processes of a server this session starts.
        TEST_SHARED_CACHE_DIR=str(Path(tempfile.gettempdir()) / f"sigobito-test-cache-{os.getpid()}"),
    )
    env.update(extra)
    return env


def start_worker(broker: str, mail_dir: Path, **env: str) -> subprocess.Popen[str]:
    """A real Celery worker on `broker`, on the test database, writing the emails it sends
    as files in `mail_dir` (so this process can read what another one sent). `env` adds
    settings read from the environment (e.g. COMMUNICATIONS_RETRY_SECONDS)."""
    from sigobito_platform.devstack import CELERY_WORKER

    return subprocess.Popen(
        [*CELERY_WORKER, "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=subprocess_env(
            CELERY_BROKER_URL=broker,
            TEST_CELERY_EAGER="0",
            TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            TEST_EMAIL_FILE_PATH=str(mail_dir),
            **env,
        ),
    )


# The official SDG catalogue: read-only reference data, loaded once per session and kept
# (committed like the session world), so that every test that labels or checks goals and
# targets sees the same catalogue whatever ran before it.
@pytest.fixture(scope="session")
def sdg_catalogue(world: World, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        connection.set_schema_to_public()
        if not Goal.objects.exists():
            load_catalogue()
    yield
