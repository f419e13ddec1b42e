"""Rules the SDG code keeps in one place: who has an SDG role, which cases a person sees,
what every proposal chose, a target code's shape, an item's public address, form errors of
hidden fields, the one pager, and no SDG reads for an initiative that is not shared."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from community.models import IndexItem
from ods_alignment import agreement, selectors
from ods_alignment.models import TARGET_CODE, CaseStatus, Proposal
from ods_alignment.services import assignment_reassign, proposal_submit
from search import sdg
from tenants.db import use_municipality, use_public_schema
from tenants.forms_util import apply_errors
from tenants.initiatives import services as initiatives
from tenants.initiatives.models import ProductKind
from tenants.selectors import has_sdg_role
from tests.community.factories import make_item
from tests.conftest import World, client_for
from tests.ods_alignment.conftest import Team, initiative, open_case


def test_has_sdg_role(team: Team) -> None:
    w = team.w
    assert has_sdg_role(team.ana) and has_sdg_role(w.regional)
    assert not has_sdg_role(w.manager_alfa)
    assert not has_sdg_role(None) and not has_sdg_role(AnonymousUser())  # type: ignore[arg-type]


def test_one_target_code_pattern() -> None:
    assert sdg.TARGET_CODE is TARGET_CODE
    for code in ("6.1", "6.a", "17.19", "11.2.1", "11.2.b"):
        assert TARGET_CODE.match(code), code
    for code in ("6", "6.", "x.1", "6.1.2.3", "6.1234", "106.1", "6.A"):
        assert not TARGET_CODE.match(code), code


# --- Which cases a person sees ------------------------------------------------------------------


def test_cases_visible_to_follows_is_participant(team: Team) -> None:
    w = team.w
    case = open_case(team)
    other = open_case(team, initiative(w, title="Otra iniciativa"))

    def ids(user: Any, **kw: Any) -> set[int]:
        return {c.pk for c in selectors.cases_visible_to(user, **kw)}

    assert ids(w.regional) == {case.pk, other.pk} and ids(team.lead) == {case.pk, other.pk}
    assert ids(team.ana) == {case.pk, other.pk}
    assert ids(team.cai) == set() and ids(None) == set() and ids(AnonymousUser()) == set()  # type: ignore[arg-type]
    assert ids(w.regional, status=CaseStatus.DISPUTED) == set()

    # Ben is reassigned away from `case` before proposing: he no longer sees it; Cai does.
    assignment_reassign(actor=w.regional, assignment=case.assignments.get(specialist=team.ben), specialist=team.cai)
    assert ids(team.ben) == {other.pk} and ids(team.cai) == {case.pk}
    for user in (w.regional, team.lead, team.ana, team.ben, team.cai):
        for c in (case, other):
            assert (c.pk in ids(user)) == selectors.is_participant(user, c), (user, c)


# --- What every proposal chose --------------------------------------------------------------------


def test_common_selection(team: Team) -> None:
    case = open_case(team)
    proposal_submit(
        actor=team.ana,
        case=case,
        goals={6: "direct", 3: "indirect"},
        targets={"6.1": "direct", "6.2": "direct", "3.9": "indirect"},
        justification="Agua.",
    )
    proposal_submit(
        actor=team.ben,
        case=case,
        goals={6: "direct", 3: "direct", 11: "direct"},
        targets={"6.1": "indirect", "6.2": "direct"},
        justification="Agua y ciudad.",
    )
    proposals = list(Proposal.objects.filter(case=case).prefetch_related("goal_rows__goal", "target_rows__target"))
    goals, targets = agreement.common_selection(proposals)
    assert goals == {6: "direct", 3: "indirect"}
    assert targets == {"6.1": "indirect", "6.2": "direct"}
    assert agreement.common_selection([]) == ({}, {})
    # The lead's adjudication form starts from it.
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    form = client_for(team.lead).get(f"/ods/casos/{case.pk}/").context["adjudication_form"]
    assert sorted(form.initial["goals"]) == [3, 6] and form.initial["targets"] == ["6.1", "6.2"]
    assert form.initial["contribution_6"] == "direct" and form.initial["contribution_3"] == "indirect"


def test_an_automatic_agreement_publishes_the_common_selection(team: Team) -> None:
    case = open_case(team)
    proposal_submit(
        actor=team.ana,
        case=case,
        goals={6: "direct", 3: "indirect"},
        targets={"6.1": "direct", "3.9": "direct"},
        justification="Agua.",
    )
    proposal_submit(
        actor=team.ben,
        case=case,
        goals={6: "indirect", 3: "indirect"},
        targets={"6.1": "direct", "6.2": "direct"},
        justification="Agua y salud.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    proposals = list(Proposal.objects.filter(case=case).prefetch_related("goal_rows__goal", "target_rows__target"))
    goals, targets = agreement.common_selection(proposals)
    assert goals == {6: "indirect", 3: "indirect"} and targets == {"6.1": "direct"}
    contributions = case.final.contributions
    assert contributions == {"goals": {str(n): c for n, c in sorted(goals.items())}, "targets": targets}


# --- An item's public address -----------------------------------------------------------------------


def test_public_url_is_one_rule_with_a_scheme_check(w: World) -> None:
    path = make_item(w.alfa, source_url="/publico/iniciativas/7/")
    assert re.fullmatch(r"https?://alfa\.[^/]+/publico/iniciativas/7/", path.public_url), path.public_url
    assert make_item(w.alfa, source_url="https://alfa.example.org/p/1/").public_url == "https://alfa.example.org/p/1/"
    for bad in ("javascript:alert(1)", "data:text/html,hola", "ftp://alfa.example.org/"):
        assert make_item(w.alfa, source_url=bad).public_url == "", bad
    assert make_item(w.alfa, source_url="/publico/iniciativas/8/", is_public=False).public_url == ""
    assert make_item(w.alfa, source_url="").public_url == ""


def test_no_page_links_an_address_of_another_scheme(team: Team) -> None:
    case = open_case(team, initiative(team.w, source_url="javascript:alert(1)"))
    page = client_for(team.ana).get(f"/ods/casos/{case.pk}/").content.decode()
    assert "javascript:" not in page
    assert client_for(team.ana).get(f"/api/v1/sdg/cases/{case.pk}/").json()["item"]["source_url"] == ""


# --- Form errors of a hidden field -----------------------------------------------------------------


class VersionedText(forms.Form):
    body = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_apply_errors_puts_named_fields_on_top() -> None:
    errors = ValidationError({"body": ["Texto vacío."], "version": ["Otra persona guardó."], "case": ["Cerrado."]})
    form = VersionedText({"body": "x", "version": "1"})
    assert form.is_valid()
    apply_errors(form, errors, non_field=("version",))
    assert form.errors["body"] == ["Texto vacío."] and "version" not in form.errors
    assert form.non_field_errors() == ["Otra persona guardó.", "Cerrado."]
    form = VersionedText({"body": "x", "version": "1"})
    assert form.is_valid()
    apply_errors(form, errors)  # without it, as every other caller: on the field of the same name
    assert form.errors["version"] == ["Otra persona guardó."] and form.non_field_errors() == ["Cerrado."]
    form = VersionedText({"body": "x", "version": "1"})
    assert form.is_valid()
    apply_errors(form, ValidationError("Sin campo."), non_field=("version",))
    assert form.non_field_errors() == ["Sin campo."]


# --- The one pager --------------------------------------------------------------------------------


def _links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', html)]


def test_the_pager_keeps_the_list_query() -> None:
    page = Paginator(list(range(60)), 25).get_page(2)
    html = render_to_string("ods_alignment/_pager.html", {"page": page, "query": "q=agua+potable&pais=CO"})
    assert _links(html) == ["?page=1&q=agua+potable&pais=CO", "?page=3&q=agua+potable&pais=CO"]
    assert 'aria-label="Páginas"' in html and "Página 2 de 3" in html
    html = render_to_string("ods_alignment/_pager.html", {"page": page, "param": "pagina", "label": "Casos"})
    assert _links(html) == ["?pagina=1", "?pagina=3"] and 'aria-label="Casos"' in html
    one = Paginator(list(range(3)), 25).get_page(1)
    assert "<nav" not in render_to_string("ods_alignment/_pager.html", {"page": one})


def test_the_queue_pagers_keep_the_filters_and_the_other_page(team: Team) -> None:
    w = team.w
    for n in range(27):
        initiative(w, title=f"Huerta escolar {n:02d}")
    response = client_for(w.regional).get("/ods/casos/", {"iniciativa": "huerta", "pagina": "1"})
    assert response.status_code == 200
    links = _links(response.content.decode())
    assert "?pagina_iniciativas=2&iniciativa=huerta&pagina=1" in links, links
    second = client_for(w.regional).get("/ods/casos/?pagina_iniciativas=2&iniciativa=huerta&pagina=1")
    titles = [item.title for item in second.context["items_page"].object_list]
    assert titles == ["Huerta escolar 25", "Huerta escolar 26"]


# --- An initiative that is not shared -------------------------------------------------------------


def test_an_initiative_not_shared_reads_nothing_of_the_sdg(team: Team) -> None:
    w = team.w
    use_municipality(w.alfa)
    try:
        start = date.today() - timedelta(days=10)
        created = initiatives.initiative_save(
            actor=None,
            data={
                "name": "Plan interno", "objective": "Objetivo.", "product_kind": ProductKind.PUBLIC_WORK,
                "manager_id": w.manager_alfa.pk, "start_date": start, "target_date": start + timedelta(days=90),
                "is_public": True, "share_with_community": False,
            },
        )  # fmt: skip
        initiatives.milestone_save(
            actor=None,
            initiative=created,
            data={"name": "Diseño", "due_date": start + timedelta(days=60), "responsible_id": w.manager_alfa.pk},
        )
        initiatives.programming_close(actor=None, initiative=created)
    finally:
        use_public_schema()
    assert not IndexItem.objects.filter(municipality=w.alfa, source_id=created.pk).exists()

    def read(client: Any, url: str) -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return re.sub(r"\s+", " ", response.content.decode()), [q["sql"] for q in queries.captured_queries]

    page, sql = read(client_for(w.manager_alfa, w.alfa), f"/iniciativas/{created.pk}/")
    assert "Sin alinear." in page and "Solo se alinean las iniciativas compartidas con la comunidad." in page
    assert not [q for q in sql if "ods_alignment_" in q]
    page, sql = read(client_for(None, w.alfa), f"/publico/iniciativas/{created.pk}/")
    assert 'id="ods"' not in page and not [q for q in sql if "ods_alignment_" in q]
