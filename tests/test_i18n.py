"""Spanish by default, English complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import World, client_for

ROOT = Path(__file__).resolve().parent.parent


def test_spanish_by_default_even_for_english_browsers(w: World) -> None:
    html = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es">' in html and "Municipios de la comunidad" in html


def test_language_switch_to_english(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Workspace of Municipio Alfa" in html and "Log out" in html
    assert "Cerrar sesión" not in html


def test_municipality_default_language_applies(w: World) -> None:
    html = client_for(w.admin_beta, w.beta).get("/").content.decode()  # Beta defaults to English
    assert '<html lang="en">' in html and "Members" in html


def _msgids(po_text: str) -> set[str]:
    import polib

    return {entry.msgid for entry in polib.pofile(po_text) if not entry.obsolete}


def test_english_catalogue_is_complete() -> None:
    import polib

    po = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_english_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract strings from a copy of the source and check each is in the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is needed (./dev installs Debian's gettext)")
    for folder in ["platform", "tenants", "community", "ods_alignment", "cms", "search"]:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env_python = sys.executable
    subprocess.run(
        [env_python, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore", ".venv", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "sigobito_platform.settings.test"},
    )
    extracted = _msgids(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = _msgids(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = sorted(extracted - committed)
    assert missing == [], f"run ./dev manage makemessages -l en and translate: {missing[:10]}"
