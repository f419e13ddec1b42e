"""The SDG specialists' workflow pages (/ods/casos/, /ods/metas-locales/, /ods/acuerdo/):
who may open them, blind proposals on the case page, service errors next to their fields,
adjudication, publication, reassignment, local targets, agreement per pair, suggestions
and a query count that does not grow with the queue."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import IndexItem
from ods_alignment.models import AlignmentCase, AlignmentEvent, Assignment, CaseStatus, Proposal, Target
from ods_alignment.services import adjudicate, proposal_submit
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tests.community.factories import make_item
from tests.conftest import client_for
from tests.ods_alignment.conftest import Team, initiative, open_case, specialist

Q = "/ods/casos/"


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def case_url(case: AlignmentCase, tail: str = "") -> str:
    return f"{Q}{case.pk}/{tail}"


def propose(who: Any, case: AlignmentCase, goals: dict[int, str], targets: list[str] = (), **extra: Any) -> Any:  # type: ignore[assignment]
    data: dict[str, Any] = {"goals": [str(n) for n in goals], "targets": list(targets)}
    data.update({f"contribution_{n}": c for n, c in goals.items()})
    data.setdefault("justification", f"Justificación de {who.full_name}.")
    data.update(extra)
    return client_for(who).post(case_url(case, "propuesta/"), data)


def submit(who: Any, case: AlignmentCase, goals: list[int], targets: list[str] = ()) -> None:  # type: ignore[assignment]
    proposal_submit(actor=who, case=case, goals=goals, targets=targets, justification=f"Razón de {who.full_name}.")


def disputed(team: Team, item: IndexItem | None = None) -> AlignmentCase:
    case = open_case(team, item)
    submit(team.ana, case, [1, 6, 11], ["6.1"])
    submit(team.ben, case, [6, 11, 13], ["6.1", "13.1"])
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    return case


# --- Access ------------------------------------------------------------------------------------


def test_access_matrix(team: Team) -> None:
    w = team.w
    case = open_case(team)
    pages = [Q, f"{Q}nuevo/", case_url(case), "/ods/metas-locales/", "/ods/acuerdo/"]
    for url in pages:
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"], url
        for user in (w.admin_alfa, w.mayor_alfa, w.admin_beta, w.outsider):
            assert client_for(user).get(url).status_code == 404, (url, user)
        assert client_for(w.regional).get(url).status_code == 200, url
        assert client_for(w.platform_admin).get(url).status_code == 200, url
        # A public-domain page: no municipality's host serves it.
        assert client_for(w.regional, w.alfa).get(url).status_code == 404, url
    # Specialists: their queue, local targets and agreement; the cases they take part in.
    for url in (Q, "/ods/metas-locales/", "/ods/acuerdo/"):
        assert client_for(team.cai).get(url).status_code == 200, url
    assert client_for(team.cai).get(case_url(case)).status_code == 404  # not assigned
    assert client_for(team.cai).get(f"{Q}nuevo/").status_code == 404  # the team opens cases
    for who in (team.ana, team.ben, team.lead):
        assert client_for(who).get(case_url(case)).status_code == 200
    assert client_for(team.ana).get(f"{Q}999999/").status_code == 404
    # Writes by a non-participant are 404 too, and change nothing.
    response = propose(team.cai, case, {6: "direct"})
    assert response.status_code == 404 and not Proposal.objects.filter(case=case).exists()
    assert client_for(w.admin_alfa).post(case_url(case, "publicar/")).status_code == 404


# --- The queue -----------------------------------------------------------------------------------


def test_queue_shows_what_waits_for_each_person(team: Team) -> None:
    w = team.w
    today = timezone.localdate()
    late = open_case(team, initiative(w, title="Acueducto de la vereda Sur"), days=5)
    Assignment.objects.filter(case=late).update(due_date=today - timedelta(days=2))
    open_case(team, initiative(w, title="Saneamiento del barrio Norte"), days=1)
    fight = disputed(team, initiative(w, title="Agua para escuelas"))
    # A case of Beta with other specialists: Ana sees nothing of it.
    beta_item = make_item(w.beta, title="Caminos rurales de Beta")
    open_case(Team(w=w, ana=team.cai, ben=team.ben, cai=team.ana, lead=team.lead), beta_item)
    unaligned = initiative(w, title="Mercado campesino sin caso")

    page = _text(client_for(team.ana).get(Q))
    assert "Lo que espera de mí" in page
    # The words say it once, in bold text (the colour only repeats it).
    assert "Acueducto de la vereda Sur" in page and "<strong>Vencida hace 2 días</strong>" in page
    assert "Saneamiento del barrio Norte" in page and "<strong>Vence mañana</strong>" in page
    assert "Vencida:" not in page and "Pronto:" not in page
    assert "Caminos rurales de Beta" not in page and "Agua para escuelas" not in page  # already proposed
    assert "Todos los casos" not in page and "Mercado campesino sin caso" not in page  # team only

    lead_page = _text(client_for(team.lead).get(Q))
    assert "Casos en disputa que esperan mi adjudicación" in lead_page and "Agua para escuelas" in lead_page

    team_page = _text(client_for(w.regional).get(Q))
    for title in ("Acueducto de la vereda Sur", "Agua para escuelas", "Caminos rurales de Beta"):
        assert title in team_page  # every municipality's cases, for the team
    assert "Municipio Beta" in team_page and "Municipio Alfa" in team_page
    assert "Mercado campesino sin caso" in team_page
    assert f"{Q}nuevo/?item={unaligned.pk}" in team_page
    assert f"?item={fight.item_id}" not in team_page  # already in a case
    # Filters: by status.
    only_disputed = _text(client_for(w.regional).get(Q + "?estado=disputed"))
    assert "Agua para escuelas" in only_disputed and "Acueducto de la vereda Sur" not in only_disputed


def test_queue_query_count_does_not_grow(team: Team) -> None:
    w = team.w
    client = client_for(w.regional)
    # One of each thing the pages list, so that the first count already reads every list.
    disputed(team, initiative(w, title="Primero"))
    open_case(team)
    initiative(w, title="Sin caso")
    client.get(Q)
    lead = client_for(team.lead)

    def count(c: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(Q).status_code == 200
        return len(ctx.captured_queries)

    before, lead_before, ana_before = count(client), count(lead), count(client_for(team.ana))
    for n in range(6):
        disputed(team, initiative(w, title=f"Caso {n}"))
        open_case(team, initiative(w, title=f"Abierto {n}"))
        initiative(w, title=f"Sin caso {n}")
    assert count(client) == before
    assert count(lead) == lead_before
    assert count(client_for(team.ana)) == ana_before


# --- Opening a case --------------------------------------------------------------------------------


def test_open_a_case_and_conflict_of_interest_next_to_the_field(team: Team) -> None:
    w = team.w
    item = initiative(w, title="Alumbrado solar")
    client = client_for(w.regional)
    form_page = _text(client.get(f"{Q}nuevo/?item={item.pk}"))
    assert f'<option value="{item.pk}" selected>Municipio Alfa: Alumbrado solar</option>' in form_page
    Membership.objects.create(user=team.ben, municipality=w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"item": item.pk, "specialists": [team.ana.pk, team.ben.pk], "lead": team.lead.pk, "deadline": deadline}
    response = client.post(f"{Q}nuevo/", data)
    assert response.status_code == 400
    page = _text(response)
    assert re.search(
        r'id="id_specialists_error"><strong>Error:</strong> Ben Especialista es miembro del municipio', page
    )
    assert "conflicto de interés" in page
    assert not AlignmentCase.objects.filter(item=item).exists()
    data["specialists"] = [team.ana.pk, team.cai.pk]
    response = client.post(f"{Q}nuevo/", data)
    case = AlignmentCase.objects.get(item=item)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert set(case.assignments.values_list("specialist_id", flat=True)) == {team.ana.pk, team.cai.pk}
    assert "Se abrió el caso de «Alumbrado solar»" in _text(client.get(case_url(case)))
    # The same initiative again: the service's error, next to the initiative.
    again = _text(client.post(f"{Q}nuevo/", data))
    assert re.search(r'id="id_item_error"><strong>Error:</strong> Esta iniciativa ya tiene un caso', again)


# --- The case page: suggestions, blindness, proposals ----------------------------------------------


def test_suggestions_show_goals_with_their_trigger_words(team: Team) -> None:
    case = open_case(team, initiative(team.w, title="Acueducto y alcantarillado", text="Agua potable y saneamiento."))
    page = _text(client_for(team.ana).get(case_url(case)))
    assert "Sugerencias automáticas" in page
    suggestions = page.split("Sugerencias automáticas")[1].split("Propuesta independiente")[0]
    first = suggestions.split("<li>")[1]
    assert "ODS 6" in first and "sugerido" in first
    assert re.search(r"puntuación \d+ %", first)
    assert "<mark>acueducto</mark>" in first or "<mark>agua potable</mark>" in first
    assert "Usar esta sugerencia: marcar el ODS 6" in first
    # Nothing is ticked by the suggestion itself; the link ticks it in the form, never submits.
    assert not re.search(r'name="goals" value="6"[^>]*checked', page)
    marked = _text(client_for(team.ana).get(case_url(case) + "?marcar=6.1"))
    assert re.search(r'name="goals" value="6"[^>]*checked', marked)
    assert re.search(r'name="targets" value="6.1"[^>]*checked', marked)
    assert not Proposal.objects.filter(case=case).exists()


def test_proposals_stay_blind_until_everyone_submitted(team: Team) -> None:
    case = open_case(team)
    ana = client_for(team.ana)
    response = ana.post(
        case_url(case, "propuesta/"),
        {"goals": ["6", "3"], "contribution_6": "direct", "contribution_3": "indirect", "targets": ["6.1"],
         "justification": "Secreto de Ana."},
    )  # fmt: skip
    assert response.status_code == 302
    mine = _text(ana.get(case_url(case)))
    assert "Su propuesta quedó guardada" in mine and "Secreto de Ana." in mine
    assert "Las propuestas de las demás personas se muestran cuando todas hayan enviado la suya" in mine
    for who in (team.ben, team.lead, team.w.regional):
        page = _text(client_for(who).get(case_url(case)))
        assert "Secreto de Ana." not in page, who
        assert "Propuesta de Ana Especialista" not in page, who
        assert "Las propuestas de las demás personas se muestran cuando todas hayan enviado la suya" in page
        assert "1 de 2" in page  # that she submitted is not secret; what she chose is
        assert "envió su propuesta independiente" in page
        assert "ODS 3" not in page.split("Historial")[1]  # the history tells no content either
    assert propose(team.ben, case, {6: "direct"}, ["6.1"], justification="Opinión de Ben.").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    for who in (team.ana, team.ben, team.lead, team.w.regional):
        page = _text(client_for(who).get(case_url(case)))
        assert "Secreto de Ana." in page and "Opinión de Ben." in page, who
        assert "Propuesta de Ana Especialista" in page and "Propuesta de Ben Especialista" in page
    page = _text(client_for(team.lead).get(case_url(case)))
    assert "Acuerdo en objetivos (kappa de Cohen)" in page and "Sin acuerdo automático." in page
    assert "Sí, indirecta" in page  # Ana's ODS 3 in the comparison table
    assert "Adjudicación" in page


def test_target_outside_the_goals_is_a_field_error_and_nothing_is_saved(team: Team) -> None:
    case = open_case(team)
    response = propose(team.ana, case, {6: "direct"}, ["6.1", "7.2"], justification="")
    assert response.status_code == 400
    page = _text(response)
    assert re.search(r'id="p-targets_error"><strong>Error en las metas:</strong> La meta 7.2 pertenece al ODS 7', page)
    assert 'id="p-justification_error"' in page and "Este campo es obligatorio." in page
    # What was ticked stays ticked.
    assert re.search(r'name="targets" value="7.2"[^>]*checked', page)
    assert not Proposal.objects.filter(case=case).exists()
    assert not AlignmentEvent.objects.filter(case=case, action="proposal.submit").exists()
    # The lead is not assigned: a 403, not a proposal.
    assert propose(team.lead, case, {6: "direct"}).status_code == 403
    assert not Proposal.objects.filter(case=case).exists()


def test_agreed_case_shows_agreement_in_words(team: Team) -> None:
    case = open_case(team)
    propose(team.ana, case, {6: "direct"}, ["6.1"])
    propose(team.ben, case, {6: "indirect"}, ["6.1", "6.2"])
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    page = _text(client_for(team.ben).get(case_url(case)))
    assert "1,00: casi perfecto" in page and "50 % de las metas elegidas coinciden" in page
    assert "Acuerdo automático" in page and "Alineación final" in page
    assert "Publicar alineación" not in page  # Ben is neither lead nor team
    assert "Publicar alineación" in _text(client_for(team.lead).get(case_url(case)))


# --- Adjudication, publication, reassignment ---------------------------------------------------------


def test_adjudication_by_the_lead_with_a_reason(team: Team) -> None:
    case = disputed(team)
    data = {"goals": ["6", "11"], "contribution_6": "direct", "contribution_11": "indirect", "targets": ["6.1"]}
    # A specialist who is not the lead: 403, nothing changes.
    response = client_for(team.ana).post(case_url(case, "adjudicacion/"), {**data, "reason": "Yo decido."})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    lead = client_for(team.lead)
    page = _text(lead.get(case_url(case)))
    assert "Propuesto por: Ana Especialista, Ben Especialista" in page  # ODS 6, chosen by both
    # Pre-ticked: what both chose (6 and 11, target 6.1), not what one chose (1, 13).
    assert re.search(r'name="goals" value="11"[^>]*checked', page)
    assert not re.search(r'name="goals" value="13"[^>]*checked', page)
    response = lead.post(case_url(case, "adjudicacion/"), {**data, "reason": "  "})
    assert response.status_code == 400
    assert re.search(r'id="a-reason_error"><strong>Error:</strong> Este campo es obligatorio.', _text(response))
    response = lead.post(case_url(case, "adjudicacion/"), {**data, "reason": "El acueducto es la meta 6.1."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ADJUDICATED and case.decision_reason == "El acueducto es la meta 6.1."
    assert case.final.goals == [6, 11] and case.final.contributions["goals"] == {"6": "direct", "11": "indirect"}
    page = _text(lead.get(case_url(case)))
    assert "Se guardó la adjudicación" in page and "Motivo de la adjudicación" in page
    assert "Lía Líder adjudicó: ODS 6, ODS 11; metas 6.1. Motivo: El acueducto es la meta 6.1." in page


def test_publication_puts_the_goals_on_the_index_item(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    item = initiative(team.w, title="Acueducto veredal")
    case = disputed(team, item)
    adjudicate(actor=team.lead, case=case, goals={6: "direct", 11: "indirect"}, targets=["6.1"], reason="Así.")
    assert client_for(team.ana).post(case_url(case, "publicar/")).status_code == 403
    lead = client_for(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(case_url(case, "publicar/"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.sdg_goals == [6, 11] and item.sdg_targets == ["6.1"]
    page = _text(lead.get(case_url(case)))
    assert "Se publicó la alineación: la iniciativa muestra ODS 6, ODS 11 en la comunidad." in page
    assert "Alineación publicada" in page and "/buscar/?sdg_goal=6" in page
    # Twice: the service's error as a message, not a 500.
    again = lead.post(case_url(case, "publicar/"), follow=True)
    assert "Solo se publican casos acordados o adjudicados" in _text(again)


def test_reassignment_by_the_regional_team(team: Team) -> None:
    case = open_case(team)
    ben_assignment = case.assignments.get(specialist=team.ben)
    due = timezone.localdate() + timedelta(days=4)
    client = client_for(team.w.regional)
    page = _text(client.get(case_url(case)))
    assert "Reasignar una propuesta pendiente" in page
    # Specialists do not reassign: no form, and the service says no.
    assert "Reasignar una propuesta pendiente" not in _text(client_for(team.ana).get(case_url(case)))
    forbidden = {"assignment": ben_assignment.pk, "specialist": team.cai.pk}
    assert client_for(team.ana).post(case_url(case, "reasignar/"), forbidden).status_code == 403
    bad = client.post(case_url(case, "reasignar/"), {"assignment": ben_assignment.pk, "specialist": team.ana.pk})
    assert bad.status_code == 400
    assert re.search(r'id="r-specialist_error"><strong>Error:</strong> Esta persona ya está asignada', _text(bad))
    response = client.post(
        case_url(case, "reasignar/"),
        {"assignment": ben_assignment.pk, "specialist": team.cai.pk, "due_date": due.isoformat()},
    )
    assert response.status_code == 302
    ben_assignment.refresh_from_db()
    assert ben_assignment.ended_at is not None
    assert case.assignments.get(specialist=team.cai, ended_at__isnull=True).due_date == due
    assert "La propuesta pendiente pasó de Ben Especialista a Cai Especialista" in _text(client.get(case_url(case)))
    assert "Agua potable para las veredas" in _text(client_for(team.cai).get(Q))
    assert "Agua potable para las veredas" not in _text(client_for(team.ben).get(Q))


# --- Local targets and agreement ------------------------------------------------------------------------


def test_local_target_form(team: Team) -> None:
    parent = Target.objects.get(code="11.2")
    client = client_for(team.w.regional)
    bad = client.post("/ods/metas-locales/", {"parent": parent.pk, "code": "12.2.1", "title_es": "Transporte rural"})
    assert bad.status_code == 400
    assert re.search(r'id="id_code_error"><strong>Error:</strong> El código debe ser el de la meta 11.2', _text(bad))
    assert not Target.objects.filter(code="12.2.1").exists()
    response = client.post(
        "/ods/metas-locales/", {"parent": parent.pk, "code": "11.2.1", "title_es": "Transporte rural"}
    )
    assert response.status_code == 302
    target = Target.objects.get(code="11.2.1")
    assert target.is_local and target.parent == parent
    for who in (team.ana, team.w.regional):
        page = _text(client_for(who).get("/ods/metas-locales/"))
        assert "11.2.1" in page and "Transporte rural" in page
    assert "Añadir una meta local" not in _text(client_for(team.ana).get("/ods/metas-locales/"))
    refused = client_for(team.ana).post("/ods/metas-locales/", {"parent": parent.pk, "code": "11.2.2", "title_es": "X"})
    assert refused.status_code == 404 and not Target.objects.filter(code="11.2.2").exists()
    # The new local target is offered in the proposal form.
    case = open_case(team)
    assert 'name="targets" value="11.2.1"' in _text(client_for(team.ana).get(case_url(case)))


def test_agreement_page_shows_each_pair_with_its_kappa(team: Team) -> None:
    for goals_a, goals_b, targets_a, targets_b in (
        ([1, 6, 11], [6, 11, 13], ["6.1"], ["6.1", "11.1"]),
        ([7], [7], ["7.1"], ["7.1"]),
    ):
        case = open_case(team)
        submit(team.ana, case, goals_a, targets_a)
        submit(team.ben, case, goals_b, targets_b)
    page = _text(client_for(team.ana).get("/ods/acuerdo/"))
    assert "<caption" in page
    row = re.search(r"<tr> <th scope=\"row\">Ana Especialista · Ben Especialista</th>(.*?)</tr>", page)
    assert row is not None
    # 172/240 pooled over both cases (see test_workflow); the mean of 50/84 and 1; overlaps 0.5 and 1.
    assert "<td>2</td>" in row.group(1) and "0,72: considerable" in row.group(1)
    assert "0,80" in row.group(1) and "75 %" in row.group(1)
    assert "Ana Especialista · Ben Especialista" in _text(client_for(team.w.regional).get("/ods/acuerdo/"))
    empty = _text(client_for(team.cai).get("/ods/acuerdo/"))
    assert "Ana Especialista · Ben Especialista" not in empty
    assert "Todavía no hay casos en que usted y otra persona especialista hayan enviado sus propuestas." in empty


# --- After a failed submit: the addresses, the error summary ------------------------------------------


def test_a_get_on_an_action_address_goes_back_to_the_case_page(team: Team) -> None:
    case = disputed(team)
    lead = client_for(team.lead)
    # The page with errors is shown at the action's address: reloading it, or switching
    # language (set_language goes back to the current address), asks for it with GET.
    failed = lead.post(case_url(case, "adjudicacion/"), {"goals": ["6"], "reason": ""})
    assert failed.status_code == 400
    for tail, anchor in (
        ("propuesta/", "propuesta"),
        ("adjudicacion/", "adjudicacion"),
        ("reasignar/", "asignaciones"),
        ("publicar/", "publicar"),
    ):
        for method in ("get", "head"):
            response = getattr(lead, method)(case_url(case, tail))
            assert response.status_code == 302, (tail, method)
            assert response["Location"] == case_url(case) + f"#{anchor}", tail
        # Only GET and HEAD go back; any other method is still refused, and POST still acts.
        assert lead.put(case_url(case, tail)).status_code == 405, tail
        # A visitor is asked to log in first, and comes back to the same address.
        anonymous = client_for(None).get(case_url(case, tail))
        assert anonymous.status_code == 302 and "/cuenta/entrar/" in anonymous["Location"], tail
    switched = lead.post("/i18n/setlang/", {"language": "en", "next": case_url(case, "adjudicacion/")}, follow=True)
    assert switched.status_code == 200 and switched.redirect_chain[-1][0] == case_url(case) + "#adjudicacion"
    assert "Adjudication" in _text(switched) or "adjudic" in _text(switched).lower()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED  # a GET never acts
    # Someone who does not take part: the redirect leads to the same 404 as the case page.
    outsider = client_for(team.cai).get(case_url(case, "propuesta/"), follow=True)
    assert outsider.status_code == 404


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary" id="error-summary"(.*?)</div> </div>', page)
    assert match is not None, "no error summary"
    return match.group(0)


def test_a_failed_proposal_has_an_error_summary_at_the_top_linking_to_each_field(team: Team) -> None:
    case = open_case(team)
    response = propose(team.ana, case, {6: "direct"}, ["6.1", "7.2", "13.1"], justification="  ", evidence_url="x")
    assert response.status_code == 400
    page = _text(response)
    summary = _summary(page)
    # At the top of the page, before the title, focusable and found by the script; the page's
    # title says there is an error.
    assert page.index('id="error-summary"') < page.index("<h1>") < page.index('id="propuesta"')
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary and 'role="alert"' in summary
    assert re.search(r"<title>Error: Alineación ODS", page)
    assert "No se guardó su propuesta: revise lo siguiente" in summary
    assert "Revise los campos marcados." not in page
    # Every error, each linking to its input: the targets to the boxes they name.
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    for code, goal in (("7.2", 7), ("13.1", 13)):
        box = re.search(rf'name="targets" value="{re.escape(code)}" id="([^"]+)"[^>]*>', page)
        assert box is not None and "checked" in box.group(0)
        assert f"La meta {code} pertenece al ODS {goal}" in links[box.group(1)], code
    assert links["p-justification"] == "Justificación (obligatoria): Este campo es obligatorio."
    assert links["p-evidence_url"].startswith("Enlace a la evidencia: Indique una dirección web completa")
    assert len(links) == 4
    for anchor in links:
        assert f'id="{anchor}"' in page, anchor
    # The fields keep their own messages, each with its own id; the textarea is marked invalid.
    assert page.count("<strong>Error en las metas:</strong>") == 2
    assert 'id="p-targets_error"' in page and 'id="p-targets_error_2"' in page
    assert re.search(r'<div class="field field-invalid"> <label for="p-justification"', page)
    assert not Proposal.objects.filter(case=case).exists()


def test_every_target_outside_the_goals_is_named_in_the_adjudication(team: Team) -> None:
    case = disputed(team)
    data = {"goals": ["6"], "contribution_6": "direct", "targets": ["6.1", "1.1", "11.2", "13.1"], "reason": "Así."}
    response = client_for(team.lead).post(case_url(case, "adjudicacion/"), data)
    assert response.status_code == 400
    page = _text(response)
    summary = _summary(page)
    assert "No se guardó la adjudicación: revise lo siguiente" in summary
    for code, goal in (("1.1", 1), ("11.2", 11), ("13.1", 13)):
        message = f"La meta {code} pertenece al ODS {goal}, que no está entre los objetivos elegidos."
        assert message in summary, code  # in the summary...
        assert f"<strong>Error en las metas:</strong> {message}" in page, code  # ...and next to the field
    assert summary.count("<li>") == 3
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED


def test_an_error_of_the_whole_form_is_listed_without_a_link(team: Team) -> None:
    case = open_case(team)
    # Ana joined the initiative's municipality after the case opened: conflict of interest.
    Membership.objects.create(user=team.ana, municipality=team.w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    page = _text(propose(team.ana, case, {6: "direct"}))
    summary = _summary(page)
    assert re.search(r"<li>Usted es miembro del municipio de la iniciativa[^<]*</li>", summary)


# --- Navigation, deadlines in words ---------------------------------------------------------------------


def test_the_sub_menu_links_the_workshops(team: Team) -> None:
    for url, current in ((Q, "Casos de alineación"), ("/ods/taller/", "Talleres")):
        page = _text(client_for(team.ana).get(url))
        nav = page.split('aria-label="Alineación ODS"', 1)[1].split("</nav>", 1)[0]
        assert '<a href="/ods/taller/"' in nav and ">Talleres</a>" in nav, url
        assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == [current], url


def test_only_a_case_waiting_for_proposals_can_be_overdue(team: Team) -> None:
    w = team.w
    today = timezone.localdate()
    late_open = open_case(team, initiative(w, title="Abierto y atrasado"))
    agreed = open_case(team, initiative(w, title="Acordado hace tiempo"))
    submit(team.ana, agreed, [6], ["6.1"])
    submit(team.ben, agreed, [6], ["6.1"])
    fight = disputed(team, initiative(w, title="Disputa pendiente"))
    AlignmentCase.objects.filter(pk__in=[late_open.pk, agreed.pk, fight.pk]).update(deadline=today - timedelta(days=3))
    page = _text(client_for(w.regional).get(Q))
    rows = {
        title: re.search(rf">{title}</a></th>(.*?)</tr>", page.split('id="all-title"')[1]).group(1)  # type: ignore[union-attr]
        for title in ("Abierto y atrasado", "Acordado hace tiempo", "Disputa pendiente")
    }
    assert "<strong>Vencida hace 3 días</strong>" in rows["Abierto y atrasado"]
    for title in ("Acordado hace tiempo", "Disputa pendiente"):
        assert "Vencida" not in rows[title] and "due-overdue" not in rows[title], title
        assert f'<time datetime="{(today - timedelta(days=3)).isoformat()}">' in rows[title], title
    assert "Fecha límite de las propuestas" in page
    # The lead's dispute is not "overdue" either: its proposals are all in.
    lead_page = _text(client_for(team.lead).get(Q))
    assert "Disputa pendiente" in lead_page and "Vencida" not in lead_page.split('id="adjudicate-title"')[1]
    # The case page: the proposals' deadline, in words only while proposals are awaited.
    decided = _text(client_for(team.lead).get(case_url(agreed)))
    assert "<dt>Fecha límite de las propuestas</dt>" in decided and "vencida hace" not in decided.lower()
    waiting = _text(client_for(team.ana).get(case_url(late_open)))
    assert "(vencida hace 3 días)" in waiting


# --- Reassignment: only who may take it -----------------------------------------------------------------


def test_the_reassignment_form_offers_only_eligible_specialists(team: Team) -> None:
    w = team.w
    member = specialist("miembro@ods.test", "Mía Miembro")
    Membership.objects.create(user=member, municipality=w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    case = open_case(team)
    page = _text(client_for(w.regional).get(case_url(case)))
    select = re.search(r'<select name="specialist"[^>]*>(.*?)</select>', page)
    assert select is not None
    offered = re.findall(r'<option value="(\d+)"', select.group(1))
    assert offered == [str(team.cai.pk)]  # not Ana or Ben (assigned), the lead, nor Alfa's member
    assert f'min="{timezone.localdate().isoformat()}"' in page and 'name="due_date"' in page
    # Once Cai joins Alfa too, nobody may take the pending proposals: the page says so
    # instead of showing a form that could only fail.
    Membership.objects.create(user=team.cai, municipality=w.alfa, role=MunicipalRole.INITIATIVE_MANAGER)
    page = _text(client_for(w.regional).get(case_url(case)))
    assert 'name="specialist"' not in page and "Reasignar una propuesta pendiente" not in page
    assert "No se puede reasignar ahora: ninguna otra persona especialista puede tomar la propuesta pendiente" in page


def test_a_failed_reassignment_lists_its_errors_at_the_top(team: Team) -> None:
    case = open_case(team)
    ben = case.assignments.get(specialist=team.ben)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(team.w.regional).post(
        case_url(case, "reasignar/"), {"assignment": ben.pk, "specialist": team.ana.pk, "due_date": past}
    )
    assert response.status_code == 400
    summary = _summary(_text(response))
    assert "No se reasignó la propuesta: revise lo siguiente" in summary
    assert '<a href="#r-specialist">Nueva persona especialista: Esta persona ya está asignada' in summary
    assert '<a href="#r-due_date">Nueva fecha de entrega: La fecha de entrega no puede estar en el pasado.' in summary


# --- The regional team's queue: what it may publish -----------------------------------------------------


def test_the_regional_team_sees_what_is_ready_to_publish(team: Team) -> None:
    w = team.w
    empty = _text(client_for(w.regional).get(Q))
    assert "No tiene nada pendiente: ningún caso acordado o adjudicado espera publicarse" in empty
    assert "Listas para publicar" not in empty
    open_case(team, initiative(w, title="Todavía abierto"))
    agreed = open_case(team, initiative(w, title="Acordado para publicar"))
    submit(team.ana, agreed, [6], ["6.1"])
    submit(team.ben, agreed, [6], ["6.1"])
    fight = disputed(team, initiative(w, title="Adjudicado para publicar"))
    adjudicate(actor=team.lead, case=fight, goals=[6], targets=["6.1"], reason="Así.")
    page = _text(client_for(w.regional).get(Q))
    mine = page.split('id="mine-title"')[1].split('id="all-title"')[0]
    assert "No tiene nada pendiente" not in mine
    assert "Listas para publicar" in mine
    assert f'href="{case_url(agreed)}#publicar">Acordado para publicar</a>' in mine
    assert f'href="{case_url(fight)}#publicar">Adjudicado para publicar</a>' in mine
    assert "Todavía abierto" not in mine
    # A specialist who leads nothing still has nothing to publish; the lead has both.
    assert "Listas para publicar" not in _text(client_for(team.ana).get(Q))
    lead = _text(client_for(team.lead).get(Q))
    assert "Alineaciones decididas que esperan publicarse" in lead and "Acordado para publicar" in lead
