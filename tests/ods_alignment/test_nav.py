"""The layout's navigation marks one current section: the most specific one."""

from __future__ import annotations

import re

from tests.conftest import client_for
from tests.ods_alignment.conftest import Team


def current(html: str) -> list[str]:
    main_nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page">([^<]+)</a>', main_nav)


def test_one_current_section_on_nested_and_related_pages(team: Team) -> None:
    specialist = client_for(team.ana)
    assert current(specialist.get("/ods/").content.decode()) == ["ODS"]
    for path in ("/ods/casos/", "/ods/acuerdo/", "/ods/metas-locales/", "/ods/taller/"):
        assert current(specialist.get(path).content.decode()) == ["Alineación ODS"], path
    # Anonymous visitors see no workflow entry at all.
    assert "Alineación ODS" not in client_for(None).get("/ods/").content.decode()
    regional = client_for(team.w.regional)
    assert current(regional.get("/regional/vocabulario/").content.decode()) == ["Vocabulario de temas"]
    assert current(regional.get("/regional/").content.decode()) == ["Consola regional"]
