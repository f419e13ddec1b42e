"""A real server (gunicorn, in a subprocess, on the test database) and headless Chromium
driven by Playwright. Chromium is Debian's (/usr/bin/chromium): never downloaded."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import World, subprocess_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="package")
def server(world: World) -> Iterator[str]:
    """Base URL pattern: format with a host, e.g. server.format(host="alfa.localhost")."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sigobito_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=subprocess_env(PLATFORM_PORT=str(port)),
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start") from None
            time.sleep(0.2)
    yield f"http://{{host}}:{port}"
    proc.terminate()
    proc.wait(timeout=20)


# Package scope: Playwright's sync API keeps an event loop in this thread while it runs,
# and Django refuses database work next to a running loop; later tests must not see it.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run ./dev install (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda request: external.append(request.url) if "localhost" not in request.url.split("/")[2] else None,
    )
    yield page
    context.close()
    assert external == [], f"the page asked the internet for: {external}"


def shot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


@pytest.fixture
def gamma(world: World, django_db_blocker: object) -> Iterator[object]:
    """A municipality of its own for journeys that write (the server commits what they do),
    removed afterwards so no other test sees its data."""
    from tenants import services
    from tenants.db import use_public_schema
    from tests.conftest import PASSWORD

    # Playwright's sync API keeps an event loop in this thread; these calls are plain
    # synchronous fixture code between page actions, so Django's guard is lifted for them.
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        result = services.municipality_create(
            actor=None, name="Municipio Gamma", slug="gamma", country="PE", time_zone="America/Lima",
            admin_email="admin@gamma.test", admin_name="Gabriela Gamma", admin_password=PASSWORD,
        )  # fmt: skip
    yield result
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        services.municipality_delete(actor=None, municipality=result.municipality, confirm_slug="gamma")
        result.admin.delete()
    monkeypatch.undo()


def login(page: object, base: str, email: str, *, then: str = "/") -> None:
    """Log in on a host through the login page, and land on `then`."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/cuenta/entrar/?next={then}")  # type: ignore[attr-defined]
    page.locator("#id_username").fill(email)  # type: ignore[attr-defined]
    page.locator("#id_password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_url(base + then)  # type: ignore[attr-defined]
