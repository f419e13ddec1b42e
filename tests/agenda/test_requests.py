"""Requests to the mayor (solicitudes): the workflow and its refusals (nothing half-saved),
the activity an acceptance creates, references, time in each state, the unanswered
highlight and its setting, the pages, the public form's spam traps, the API, attachments
and two-tenant isolation."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tenants.agenda import selectors, services
from tenants.agenda.forms_requests import FORM_SALT, SENT_SESSION_KEY
from tenants.agenda.models import (
    Activity,
    ActivityStatus,
    AgendaSettings,
    Request,
    RequestChannel,
    RequestStatus,
    RequestTransition,
)
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.spam import form_token
from tenants.workspace.models import AuditEvent
from tests.agenda.conftest import BOGOTA, in_days, local, member
from tests.conftest import World, client_for

S = RequestStatus


def register(**overrides: Any) -> Request:
    """A request received by letter (call inside Alfa)."""
    data = {
        "kind": "audience", "channel": "letter", "subject": "Audiencia de la junta vecinal de Alfa",
        "contact_name": "Rosa Vecina", "contact_phone": "300 111 2233",
        "proposed_start": in_days(3), "proposed_end": in_days(3, 10), **overrides,
    }  # fmt: skip
    return services.request_register(actor=None, data=data)


def move(request: Request, to_status: str, **kwargs: Any) -> Request:
    fresh = Request.objects.get(pk=request.pk)
    return services.request_transition(actor=None, request=fresh, to_status=to_status, **kwargs)


def snapshot(request: Request) -> tuple[Any, ...]:
    """Everything a refused transition must leave as it was."""
    fresh = Request.objects.get(pk=request.pk)
    return (
        fresh.status, fresh.status_since, fresh.version, fresh.activity_id, fresh.reply, fresh.delegated_to_id,
        fresh.delegated_due, fresh.answered_at, RequestTransition.objects.filter(request=fresh).count(),
        Activity.objects.count(),
    )  # fmt: skip


def upload(name: str = "carta.pdf", body: bytes = b"%PDF-1.4 carta de la junta") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


# --- The workflow ----------------------------------------------------------------------------


ALLOWED_PATHS = [
    [S.IN_ANALYSIS, S.ACCEPTED, S.CLOSED],
    [S.ACCEPTED, S.CLOSED],
    [S.IN_ANALYSIS, S.DECLINED, S.CLOSED],
    [S.DECLINED, S.CLOSED],
    [S.IN_ANALYSIS, S.DELEGATED, S.CLOSED],
    [S.DELEGATED, S.CLOSED],
]


def _args(to_status: str) -> dict[str, Any]:
    if to_status == S.DECLINED:
        return {"reply": "La agenda del titular está completa esa semana."}
    if to_status == S.DELEGATED:
        return {"delegated_to": member(), "delegated_due": local_today() + timedelta(days=7)}
    return {"note": f"Paso a {to_status}"}


@pytest.mark.parametrize("path", ALLOWED_PATHS, ids=["-".join(p) for p in ALLOWED_PATHS])
def test_every_allowed_transition(in_alfa: World, path: list[str]) -> None:
    request = register()
    for step in path:
        before = Request.objects.get(pk=request.pk).status
        done = move(request, step, **_args(step))
        assert done.status == step
        last = RequestTransition.objects.filter(request=request).last()
        assert last is not None and (last.from_status, last.to_status) == (before, step)
    done = Request.objects.get(pk=request.pk)
    assert done.answered_at is not None  # every path answered before closing
    assert RequestTransition.objects.filter(request=request).count() == len(path) + 1
    if S.DELEGATED in path:
        assert done.delegated_to is not None and done.delegated_due == local_today() + timedelta(days=7)
    if S.DECLINED in path:
        assert done.reply.startswith("La agenda del titular")
    assert (done.activity_id is not None) == (S.ACCEPTED in path)


def test_accepting_twice_is_refused_and_nothing_changes(in_alfa: World) -> None:
    request = move(register(), S.ACCEPTED)
    before = snapshot(request)
    with pytest.raises(ValidationError) as refused:
        move(request, S.ACCEPTED)
    assert "ya fue aceptada" in " ".join(refused.value.message_dict["to_status"])
    assert snapshot(request) == before
    assert Activity.objects.count() == 1


def test_a_closed_request_refuses_everything(in_alfa: World) -> None:
    request = move(move(register(), S.DECLINED, reply="No es posible."), S.CLOSED)
    before = snapshot(request)
    for target in S.values:
        with pytest.raises(ValidationError) as refused:
            move(request, target, **_args(target))
        assert "to_status" in refused.value.message_dict
    assert snapshot(request) == before


@pytest.mark.parametrize(
    ("to_status", "kwargs", "field"),
    [
        (S.DECLINED, {}, "reply"),
        (S.DECLINED, {"reply": "   "}, "reply"),
        (S.DELEGATED, {"delegated_due": "tomorrow"}, "delegated_to"),
        (S.DELEGATED, {"delegated_to": "member", "delegated_due": "yesterday"}, "delegated_due"),
        (S.DELEGATED, {"delegated_to": "member"}, "delegated_due"),
        (S.DELEGATED, {"delegated_to": "member", "delegated_due": "a moment"}, "delegated_due"),
        (S.DELEGATED, {"delegated_to": "archived", "delegated_due": "tomorrow"}, "delegated_to"),
        (S.CLOSED, {}, "to_status"),  # an unanswered request is answered before it is closed
        ("approved", {}, "to_status"),
    ],
)
def test_incomplete_answers_are_refused_and_nothing_is_saved(
    in_alfa: World, to_status: str, kwargs: dict[str, Any], field: str
) -> None:
    request = register()
    people = {"member": member(), "archived": member("Archivado", "archivado@alfa.test")}
    people["archived"].is_active = False
    people["archived"].save()
    days = {"tomorrow": local_today() + timedelta(days=1), "yesterday": local_today() - timedelta(days=1)}
    placeholders: dict[str, Any] = {**people, **days, "a moment": in_days(2)}
    resolved = {k: placeholders[v] if k.startswith("delegated_") else v for k, v in kwargs.items()}
    before = snapshot(request)
    with pytest.raises(ValidationError) as refused:
        move(request, to_status, **resolved)
    assert field in refused.value.message_dict
    assert snapshot(request) == before


def test_only_agenda_keepers_move_or_register_requests(in_alfa: World) -> None:
    w = in_alfa
    request = register()
    before = snapshot(request)
    for user in (w.editor_alfa, w.manager_alfa):
        with pytest.raises(PermissionDenied):
            services.request_transition(actor=user, request=request, to_status=S.IN_ANALYSIS)
        with pytest.raises(PermissionDenied):
            services.request_register(actor=user, data={"kind": "audience", "channel": "phone", "subject": "x"})
    assert snapshot(request) == before
    analysing = services.request_transition(actor=w.admin_alfa, request=request, to_status=S.IN_ANALYSIS)
    declined = services.request_transition(actor=w.mayor_alfa, request=analysing, to_status=S.DECLINED, reply="No")
    assert declined.status == S.DECLINED
    assert [t.actor_label for t in declined.transitions.all()][1:] == ["Ana Alfa", "Marta Alcaldesa"]


def test_stale_version_is_refused(in_alfa: World) -> None:
    request = register()
    with pytest.raises(ValidationError) as refused:
        services.request_transition(actor=None, request=request, to_status=S.IN_ANALYSIS, version=request.version + 5)
    assert refused.value.code == "stale"


# --- Accepting creates the activity ----------------------------------------------------------


def test_accept_creates_one_linked_confirmed_activity_with_the_proposed_dates(in_alfa: World) -> None:
    from tenants.structure import services as structure

    theme = structure.theme_save(actor=None, data={"code": "T1", "name": "Participación"})
    request = register(themes=[theme], subject="Invitación a la feria del maíz " + "x" * 200, kind="invitation")
    accepted = move(request, S.ACCEPTED, note="Va el titular")
    activity = Activity.objects.get()
    assert accepted.activity_id == activity.pk and activity.request.pk == request.pk
    assert activity.status == ActivityStatus.CONFIRMED and activity.kind == "event"
    assert (activity.starts_at, activity.ends_at) == (in_days(3), in_days(3, 10))
    assert activity.title.startswith("Invitación a la feria") and len(activity.title) == 200
    assert list(activity.themes.all()) == [theme]
    assert accepted.answered_at is not None


def test_accept_takes_the_dates_chosen_and_needs_some(in_alfa: World) -> None:
    no_dates = register(proposed_start=None, proposed_end=None)
    before = snapshot(no_dates)
    with pytest.raises(ValidationError) as refused:
        move(no_dates, S.ACCEPTED)
    assert "starts_at" in refused.value.message_dict
    assert snapshot(no_dates) == before and Activity.objects.count() == 0

    start, end = in_days(5, 15), in_days(5, 16)
    done = move(no_dates, S.ACCEPTED, activity_data={"starts_at": start, "ends_at": end, "is_public": True})
    activity = Activity.objects.get(request=done)
    assert (activity.starts_at, activity.ends_at, activity.is_public) == (start, end, True)
    assert activity.status == ActivityStatus.CONFIRMED


# --- References, time in each state, the unanswered highlight --------------------------------


def test_references_are_sequential_per_year_in_local_time(in_alfa: World) -> None:
    with time_machine.travel(datetime(2030, 6, 1, 15, tzinfo=UTC), tick=False):
        first = register(proposed_start=None, proposed_end=None)
        second = register(proposed_start=None, proposed_end=None)
    # 1 January 02:00 UTC is still 31 December in Bogotá: the local year counts.
    with time_machine.travel(datetime(2031, 1, 1, 2, tzinfo=UTC), tick=False):
        third = register(proposed_start=None, proposed_end=None)
    with time_machine.travel(datetime(2031, 1, 1, 12, tzinfo=UTC), tick=False):
        fourth = register(proposed_start=None, proposed_end=None)
        fifth = register(proposed_start=None, proposed_end=None)
    refs = [r.reference for r in (first, second, third, fourth, fifth)]
    assert refs == ["SOL-2030-00001", "SOL-2030-00002", "SOL-2030-00003", "SOL-2031-00001", "SOL-2031-00002"]


def test_time_in_each_state(in_alfa: World) -> None:
    start = datetime(2030, 3, 4, 14, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        request = register(proposed_start=local(2030, 3, 20), proposed_end=local(2030, 3, 20, 10))
    with time_machine.travel(start + timedelta(days=2), tick=False):
        move(request, S.IN_ANALYSIS)
    with time_machine.travel(start + timedelta(days=5, hours=3), tick=False):
        move(request, S.ACCEPTED)
    fresh = selectors.request_by_pk(request.pk)
    spans = selectors.request_durations(fresh, now=start + timedelta(days=6))
    assert spans == [
        (S.RECEIVED, timedelta(days=2)),
        (S.IN_ANALYSIS, timedelta(days=3, hours=3)),
        (S.ACCEPTED, timedelta(hours=21)),
    ]
    assert fresh.status_since == start + timedelta(days=5, hours=3)


def test_a_letter_received_days_ago_waits_since_it_arrived(in_alfa: World) -> None:
    received = timezone.now() - timedelta(days=3)
    request = register(received_at=received)
    assert request.status_since == received
    ((status, spent),) = selectors.request_durations(selectors.request_by_pk(request.pk))
    assert status == S.RECEIVED and spent >= timedelta(days=3)
    future = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        register(received_at=future)
    assert "received_at" in refused.value.message_dict


def test_unanswered_requests_are_late_after_the_configured_days(in_alfa: World) -> None:
    w = in_alfa
    assert selectors.unanswered_days() == 5
    old = register(received_at=timezone.now() - timedelta(days=6), subject="Carta antigua sin respuesta")
    recent = register(received_at=timezone.now() - timedelta(days=4), subject="Carta reciente")
    answered = move(register(received_at=timezone.now() - timedelta(days=9), subject="Carta ya respondida"),
                    S.DECLINED, reply="No es posible.")  # fmt: skip
    analysing = move(register(received_at=timezone.now() - timedelta(days=8), subject="En análisis"), S.IN_ANALYSIS)
    assert selectors.request_is_late(old) and selectors.request_is_late(analysing)
    assert not selectors.request_is_late(recent) and not selectors.request_is_late(answered)
    # The clock moves on: two days later the recent one is late too.
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert selectors.request_is_late(Request.objects.get(pk=recent.pk))

    use_public_schema()
    page = client_for(w.mayor_alfa, w.alfa).get("/agenda/solicitudes/").content.decode()
    rows = {chunk.split("</tr>")[0] for chunk in page.split("<tr")[1:]}
    late_rows = [row for row in rows if "Sin respuesta" in row]
    assert len(late_rows) == 2 and any("Carta antigua" in row for row in late_rows)
    assert all("request-late" in row and "⚠" in row for row in late_rows)  # text and icon
    assert "después de 5 días" in page

    use_municipality(w.alfa)
    services.agenda_settings_save(actor=w.admin_alfa, unanswered_days=10)
    assert selectors.unanswered_days() == 10 and not selectors.request_is_late(Request.objects.get(pk=old.pk))
    use_public_schema()
    page = client_for(w.mayor_alfa, w.alfa).get("/agenda/solicitudes/").content.decode()
    assert "Sin respuesta" not in page.split("<table")[1] and "después de 10 días" in page


def test_the_unanswered_days_setting_is_validated_and_audited(in_alfa: World) -> None:
    w = in_alfa
    for bad in (0, 91, -1, "5", True, None, 2.5):
        with pytest.raises(ValidationError) as refused:
            services.agenda_settings_save(actor=w.mayor_alfa, unanswered_days=bad)
        assert "unanswered_days" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.agenda_settings_save(actor=w.editor_alfa, unanswered_days=7)
    assert AgendaSettings.objects.get(pk=1).unanswered_days == 5
    services.agenda_settings_save(actor=w.mayor_alfa, unanswered_days=90)
    assert AgendaSettings.objects.get(pk=1).unanswered_days == 90
    event = AuditEvent.objects.filter(action="agenda.settings_changed").get()
    assert event.data == {"before": {"unanswered_days": 5}, "after": {"unanswered_days": 90}}

    use_public_schema()
    editor = client_for(w.admin_alfa, w.alfa)
    refused_page = editor.post("/agenda/solicitudes/configuracion/", {"unanswered_days": "120"})
    assert refused_page.status_code == 400 and "entre 1 y 90" in refused_page.content.decode()
    use_public_schema()
    assert editor.post("/agenda/solicitudes/configuracion/", {"unanswered_days": "3"}).status_code == 302
    use_public_schema()
    viewer = client_for(w.editor_alfa, w.alfa)
    shown = viewer.get("/agenda/solicitudes/configuracion/")
    assert shown.status_code == 200 and "después de 3 días" in shown.content.decode()
    assert 'name="unanswered_days"' not in shown.content.decode()
    use_public_schema()
    assert viewer.post("/agenda/solicitudes/configuracion/", {"unanswered_days": "8"}).status_code == 403
    use_municipality(w.alfa)
    assert selectors.unanswered_days() == 3


# --- Pages -----------------------------------------------------------------------------------


def test_an_editor_registers_a_letter_with_attachments_and_answers_it(in_alfa: World) -> None:
    w = in_alfa
    use_public_schema()
    client = client_for(w.admin_alfa, w.alfa)
    form = client.get("/agenda/solicitudes/nueva/")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="attachments"' in html and "multiple" in html and 'enctype="multipart/form-data"' in html

    use_public_schema()
    empty = client.post("/agenda/solicitudes/nueva/", {"channel": "letter"})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert 'id="id_subject_error"' in page and 'id="id_kind_error"' in page and 'id="id_contact_name_error"' in page
    use_municipality(w.alfa)
    assert Request.objects.count() == 0

    start = in_days(4, 11).strftime("%Y-%m-%dT%H:%M")
    end = in_days(4, 12).strftime("%Y-%m-%dT%H:%M")
    use_public_schema()
    created = client.post(
        "/agenda/solicitudes/nueva/",
        {"kind": "audience", "channel": "letter", "subject": "Audiencia de la asociación de padres",
         "contact_name": "Lucía Madre", "contact_organisation": "Asociación de padres Escuela 5",
         "contact_email": "lucia@correo.test", "proposed_start": start, "proposed_end": end,
         "attachments": [upload(), upload("lista.xlsx", b"firmas")]},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()
    use_municipality(w.alfa)
    request = Request.objects.get()
    assert created["Location"] == f"/agenda/solicitudes/{request.pk}/"
    assert request.channel == RequestChannel.LETTER and request.attachments.count() == 2
    assert request.proposed_start == in_days(4, 11)

    use_public_schema()
    detail = client.get(f"/agenda/solicitudes/{request.pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    expected = [request.reference, "Lucía Madre", "Asociación de padres Escuela 5", "lucia@correo.test"]
    expected += ["carta.pdf", "lista.xlsx", "Recibida", "Pasar a análisis", "Aceptar", "Declinar", "Delegar"]
    for text in expected:
        assert text in html, text
    assert "/media/" not in html
    # The accept form is prefilled with the proposed dates.
    assert f'value="{start}"' in html and f'value="{end}"' in html

    # Declining without a reply: the error is on the reply, nothing changes.
    use_public_schema()
    refused = client.post(f"/agenda/solicitudes/{request.pk}/declined/", {"declined-version": request.version})
    assert refused.status_code == 400 and 'id="id_declined-reply_error"' in refused.content.decode()
    use_municipality(w.alfa)
    assert Request.objects.get().status == S.RECEIVED

    use_public_schema()
    accepted = client.post(
        f"/agenda/solicitudes/{request.pk}/accepted/",
        {"accepted-version": request.version, "accepted-starts_at": start, "accepted-ends_at": end,
         "accepted-is_public": "on"},
    )  # fmt: skip
    assert accepted.status_code == 302
    use_municipality(w.alfa)
    done = Request.objects.get()
    assert done.status == S.ACCEPTED and done.activity is not None and done.activity.is_public

    # Accepting again (an old page): refused with a clear message, still one activity.
    use_public_schema()
    again = client.post(
        f"/agenda/solicitudes/{request.pk}/accepted/",
        {"accepted-starts_at": start, "accepted-ends_at": end}, follow=True,
    )  # fmt: skip
    assert "ya fue aceptada" in again.content.decode()
    use_municipality(w.alfa)
    assert Activity.objects.count() == 1

    use_public_schema()
    html = client.get(f"/agenda/solicitudes/{request.pk}/").content.decode()
    assert "Actividad agendada" in html and done.activity.title in html
    assert "Cerrar la solicitud" in html and "Pasar a análisis" not in html

    # Correcting the data keeps the reference and the date of receipt.
    use_public_schema()
    edit = client.get(f"/agenda/solicitudes/{request.pk}/editar/")
    assert edit.status_code == 200 and "Lucía Madre" in edit.content.decode()
    use_public_schema()
    saved = client.post(
        f"/agenda/solicitudes/{request.pk}/editar/",
        {"version": done.version, "kind": "audience", "channel": "letter", "subject": "Audiencia corregida",
         "contact_name": "Lucía Madre", "proposed_start": start, "proposed_end": end,
         "received_at": timezone.localtime(request.received_at, BOGOTA).strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert saved.status_code == 302
    use_municipality(w.alfa)
    corrected = Request.objects.get()
    assert corrected.subject == "Audiencia corregida" and corrected.reference == request.reference
    assert corrected.received_at == request.received_at and corrected.attachments.count() == 2


def test_delegate_through_the_page(in_alfa: World) -> None:
    w = in_alfa
    request = register()
    person = member()
    due = (local_today() + timedelta(days=3)).isoformat()
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)
    page = client.get(f"/agenda/solicitudes/{request.pk}/").content.decode()
    assert "Carlos Secretario" in page
    use_public_schema()
    missing = client.post(f"/agenda/solicitudes/{request.pk}/delegated/", {"delegated-delegated_due": ""})
    html = missing.content.decode()
    assert missing.status_code == 400
    assert 'id="id_delegated-delegated_to_error"' in html and 'id="id_delegated-delegated_due_error"' in html
    use_public_schema()
    ok = client.post(
        f"/agenda/solicitudes/{request.pk}/delegated/",
        {"delegated-delegated_to": person.pk, "delegated-delegated_due": due, "delegated-note": "Atiéndala usted"},
    )
    assert ok.status_code == 302
    use_municipality(w.alfa)
    fresh = Request.objects.get(pk=request.pk)
    assert fresh.status == S.DELEGATED and fresh.delegated_to == person
    use_public_schema()
    assert client.get(f"/agenda/solicitudes/{request.pk}/").status_code == 200
    # GET on a transition is not an action.
    use_public_schema()
    assert client.get(f"/agenda/solicitudes/{request.pk}/closed/").status_code == 405
    use_public_schema()
    assert client.post(f"/agenda/solicitudes/{request.pk}/whatever/").status_code == 404


def test_members_view_but_only_agenda_keepers_change(in_alfa: World) -> None:
    w = in_alfa
    request = services.request_register(
        actor=None, data={"kind": "invitation", "channel": "email", "subject": "Invitación al aniversario",
                          "contact_name": "Club de leones"}, attachments=[upload()],
    )  # fmt: skip
    attachment = request.attachments.get()
    use_public_schema()
    viewer = client_for(w.editor_alfa, w.alfa)  # communications editor: a member, not an agenda keeper
    listing = viewer.get("/agenda/solicitudes/")
    assert listing.status_code == 200 and request.reference in listing.content.decode()
    assert "Registrar una solicitud" not in listing.content.decode()
    use_public_schema()
    detail = viewer.get(f"/agenda/solicitudes/{request.pk}/")
    assert detail.status_code == 200 and "Invitación al aniversario" in detail.content.decode()
    assert 'action="/agenda/solicitudes/' not in detail.content.decode()  # no action forms
    use_public_schema()
    download = viewer.get(f"/agenda/solicitudes/{request.pk}/adjuntos/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 carta de la junta"  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    for method, path, data in [
        ("get", "/agenda/solicitudes/nueva/", {}),
        ("post", "/agenda/solicitudes/nueva/", {"kind": "audience", "channel": "phone", "subject": "x",
                                                 "contact_name": "y"}),
        ("get", f"/agenda/solicitudes/{request.pk}/editar/", {}),
        ("post", f"/agenda/solicitudes/{request.pk}/in_analysis/", {}),
        ("post", f"/agenda/solicitudes/{request.pk}/declined/", {"declined-reply": "No"}),
    ]:  # fmt: skip
        use_public_schema()
        assert getattr(viewer, method)(path, data).status_code == 403, path
    use_municipality(w.alfa)
    assert Request.objects.count() == 1 and Request.objects.get().status == S.RECEIVED


def test_list_filters_and_counts(in_alfa: World) -> None:
    w = in_alfa
    register(subject="Audiencia sobre el acueducto")
    move(register(subject="Invitación a la feria", kind="invitation", channel="email"), S.IN_ANALYSIS)
    register(subject="Atención directa de la señora Núñez", kind="direct_attention", channel="in_person")
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)

    def listing(query: str) -> str:
        use_public_schema()
        response = client.get(f"/agenda/solicitudes/?{query}")
        assert response.status_code == 200
        return response.content.decode().split("<table")[-1]

    page = client.get("/agenda/solicitudes/").content.decode()
    assert "Recibida: <strong>2</strong>" in page and "En análisis: <strong>1</strong>" in page
    assert "Todas: <strong>3</strong>" in page
    assert "Invitación a la feria" in listing("estado=in_analysis")
    assert "acueducto" not in listing("estado=in_analysis")
    assert "Núñez" in listing("tipo=direct_attention") and "feria" not in listing("tipo=direct_attention")
    assert "feria" in listing("canal=email") and "acueducto" not in listing("canal=email")
    assert "Núñez" in listing("q=nunez")  # accent-insensitive
    assert "Ninguna solicitud coincide" in listing("q=inexistente")
    assert "acueducto" in listing("estado=bogus")  # an unknown filter is ignored


# --- The public form -------------------------------------------------------------------------


class _PastSigner(signing.TimestampSigner):
    """Signs the form token as if the page had been opened a minute ago."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 60)


def aged_token() -> str:
    return _PastSigner(salt=FORM_SALT).sign("form")


_addresses = itertools.count(1)


def post_public(client: Client, *, address: str | None = None, **overrides: str) -> HttpResponse:
    data = {
        "kind": "audience", "contact_name": "Rosa Ciudadana", "contact_email": "rosa@correo.test",
        "subject": "Audiencia sobre el alumbrado de mi calle", "description": "Somos doce familias.",
        "token": aged_token(), "pagina_web": "", **overrides,
    }  # fmt: skip
    use_public_schema()
    return client.post("/publico/solicitud/", data, REMOTE_ADDR=address or f"10.1.{next(_addresses)}.1")  # type: ignore[return-value]


def _count(w: World) -> int:
    use_municipality(w.alfa)
    n = Request.objects.count()
    use_public_schema()
    return n


def test_anonymous_citizen_submits_and_gets_the_reference(in_alfa: World) -> None:
    w = in_alfa
    use_public_schema()
    client = client_for(None, w.alfa)
    listing = client.get("/publico/")
    assert 'href="/publico/solicitud/"' in listing.content.decode()
    use_public_schema()
    form = client.get("/publico/solicitud/")
    html = form.content.decode()
    assert form.status_code == 200 and 'name="token"' in html and 'name="pagina_web"' in html
    assert "direct_attention" not in html and 'name="channel"' not in html
    when = in_days(10, 16).strftime("%Y-%m-%dT%H:%M")
    sent = post_public(client, proposed_start=when, contact_phone="", address="192.0.2.10")
    assert sent.status_code == 302 and sent["Location"] == "/publico/solicitud/enviada/"
    use_municipality(w.alfa)
    request = Request.objects.get()
    assert request.channel == RequestChannel.WEB_FORM and request.status == S.RECEIVED
    assert request.requester is None and request.contact_name == "Rosa Ciudadana"
    assert request.proposed_start == in_days(10, 16)
    assert len(request.sender_hash) == 64 and "192.0.2.10" not in request.sender_hash
    use_public_schema()
    shown = client.get(sent["Location"])
    assert shown.status_code == 200 and request.reference in shown.content.decode()
    # Another visitor (no such session) is not shown anyone's reference.
    use_public_schema()
    stranger = client_for(None, w.alfa).get("/publico/solicitud/enviada/")
    assert stranger.status_code == 302 and stranger["Location"] == "/publico/solicitud/"
    assert client.session[SENT_SESSION_KEY] == request.reference
    # Members find it in the list.
    use_public_schema()
    assert request.reference in client_for(w.mayor_alfa, w.alfa).get("/agenda/solicitudes/").content.decode()


def test_public_form_refuses_spam_and_floods_and_saves_nothing(in_alfa: World) -> None:
    w = in_alfa
    client = client_for(None, w.alfa)
    honeypot = post_public(client, pagina_web="http://casino.test")
    assert honeypot.status_code == 400 and "No pudimos recibir su mensaje" in honeypot.content.decode()
    too_fast = post_public(client, token=form_token(FORM_SALT))
    assert too_fast.status_code == 400 and "Espere unos segundos" in too_fast.content.decode()
    forged = post_public(client, token="form:1abc:forged")
    assert forged.status_code == 400 and "El formulario caducó" in forged.content.decode()
    other_form = post_public(client, token=_PastSigner(salt="initiatives-opinion").sign("form"))
    assert other_form.status_code == 400
    links = post_public(client, description="Vea http://a.test http://b.test www.c.test")
    assert links.status_code == 400 and 'id="id_description_error"' in links.content.decode()
    assert _count(w) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "direct_attention"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"contact_email": "", "contact_phone": ""}, "contact_email"),
        ({"contact_email": "no-es-correo"}, "contact_email"),
        ({"contact_name": "", "contact_organisation": "Junta"}, "contact_name"),
        ({"subject": ""}, "subject"),
        ({"proposed_start": "2020-01-01T10:00"}, "proposed_start"),
    ],
)
def test_public_form_field_errors(in_alfa: World, overrides: dict[str, str], field: str) -> None:
    response = post_public(client_for(None, in_alfa.alfa), **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'value="Rosa Ciudadana"' in html or overrides.get("contact_name") == ""  # what was written is kept
    assert _count(in_alfa) == 0


def test_fourth_public_request_in_an_hour_is_refused(in_alfa: World) -> None:
    w = in_alfa
    client = client_for(None, w.alfa)
    for n in range(3):
        assert post_public(client, subject=f"Audiencia {n}", address="198.51.100.9").status_code == 302
    fourth = post_public(client, subject="Audiencia 4", address="198.51.100.9")
    assert fourth.status_code == 400 and "Ya envió 3 mensajes en la última hora" in fourth.content.decode()
    assert _count(w) == 3
    assert post_public(client, subject="Vecina", address="198.51.100.10").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert post_public(client, subject="Después", address="198.51.100.9").status_code == 302
    assert _count(w) == 5


def test_public_submit_ignores_what_the_form_does_not_ask(in_alfa: World) -> None:
    created = services.request_submit_public(
        data={"kind": "invitation", "contact_name": "Club", "contact_phone": "123", "subject": "Aniversario",
              "channel": "letter", "received_at": timezone.now() - timedelta(days=30), "status": "accepted"},
        sender="a" * 64,
    )  # fmt: skip
    assert created.channel == RequestChannel.WEB_FORM and created.status == S.RECEIVED
    assert created.received_at > timezone.now() - timedelta(minutes=1)


def test_attachments_are_for_members_only(in_alfa: World) -> None:
    w = in_alfa
    request = services.request_register(
        actor=None, data={"kind": "audience", "channel": "letter", "subject": "Carta", "contact_name": "Rosa"},
        attachments=[upload()],
    )  # fmt: skip
    url = f"/agenda/solicitudes/{request.pk}/adjuntos/{request.attachments.get().pk}/"
    use_public_schema()
    anonymous = client_for(None, w.alfa).get(url)
    assert anonymous.status_code == 302 and "/cuenta/" in anonymous["Location"]
    use_public_schema()
    assert client_for(w.outsider, w.alfa).get(url).status_code == 404
    use_public_schema()
    assert client_for(w.mayor_alfa, w.alfa).get(url + "x/").status_code == 404
    use_public_schema()
    assert client_for(w.mayor_alfa, w.alfa).get(f"/agenda/solicitudes/{request.pk + 1}/adjuntos/1/").status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_api_register_read_and_move(in_alfa: World) -> None:
    w = in_alfa
    use_public_schema()
    api = client_for(w.admin_alfa, w.alfa)
    created = api.post(
        "/api/v1/agenda/requests/",
        {"kind": "audience", "channel": "phone", "subject": "Audiencia por teléfono", "contact_name": "Pedro",
         "proposed_start": in_days(2, 9).isoformat(), "proposed_end": in_days(2, 10).isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["reference"].startswith("SOL-") and body["status"] == "received" and body["late"] is False
    assert body["transitions"][0]["to_status"] == "received"

    use_public_schema()
    bad = api.post("/api/v1/agenda/requests/", {"kind": "audience", "channel": "phone", "subject": ""},
                   content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "subject" in bad.json()

    use_public_schema()
    listing = api.get("/api/v1/agenda/requests/?status=received").json()
    assert [r["id"] for r in listing["results"]] == [pk]
    use_public_schema()
    assert api.get("/api/v1/agenda/requests/?status=closed").json()["results"] == []

    def transition(**payload: Any) -> Any:
        use_public_schema()
        return api.post(f"/api/v1/agenda/requests/{pk}/transition/", payload, content_type="application/json")

    declined = transition(to_status="declined")
    assert declined.status_code == 400 and "reply" in declined.json()
    delegated = transition(to_status="delegated", delegated_to=999999, delegated_due="2000-01-01")
    assert delegated.status_code == 400 and {"delegated_to", "delegated_due"} <= set(delegated.json())
    analysing = transition(to_status="in_analysis", note="Lo revisa el despacho")
    assert analysing.status_code == 200 and analysing.json()["status"] == "in_analysis"
    start = in_days(6, 8)
    accepted = transition(
        to_status="accepted",
        activity={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["activity_id"]
    twice = transition(to_status="accepted")
    assert twice.status_code == 400 and "ya fue aceptada" in twice.json()["to_status"][0]
    use_municipality(w.alfa)
    activity = Activity.objects.get()
    assert activity.starts_at == start and activity.ends_at == start + timedelta(hours=2)

    use_public_schema()
    detail = api.get(f"/api/v1/agenda/requests/{pk}/").json()
    assert [t["to_status"] for t in detail["transitions"]] == ["received", "in_analysis", "accepted"]
    assert all(isinstance(t["seconds_in_state"], int) for t in detail["transitions"])

    # A member who does not keep the agenda reads but does not move.
    use_public_schema()
    viewer = client_for(w.editor_alfa, w.alfa)
    assert viewer.get(f"/api/v1/agenda/requests/{pk}/").status_code == 200
    use_public_schema()
    refused = viewer.post(f"/api/v1/agenda/requests/{pk}/transition/", {"to_status": "closed"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    use_public_schema()
    assert viewer.post("/api/v1/agenda/requests/", {"kind": "audience", "channel": "phone", "subject": "x",
                                                    "contact_name": "y"}, content_type="application/json"
                       ).status_code == 403  # fmt: skip
    use_public_schema()
    closed = transition(to_status="closed")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_api_delegates_to_a_network_member(in_alfa: World) -> None:
    w = in_alfa
    request = register()
    person = member()
    due = (local_today() + timedelta(days=2)).isoformat()
    use_public_schema()
    response = client_for(w.mayor_alfa, w.alfa).post(
        f"/api/v1/agenda/requests/{request.pk}/transition/",
        {"to_status": "delegated", "delegated_to": person.pk,
         "delegated_due": due, "note": "Atienda usted"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["delegated_to_id"] == person.pk and response.json()["status"] == "delegated"


# --- Isolation -------------------------------------------------------------------------------


def test_beta_never_sees_alfa_requests(in_alfa: World) -> None:
    w = in_alfa
    request = services.request_register(
        actor=None,
        data={"kind": "audience", "channel": "letter", "subject": "Secreto de Alfa", "contact_name": "Rosa"},
        attachments=[upload()],
    )
    attachment = request.attachments.get()
    pk = request.pk
    alfa_paths = [
        "/agenda/solicitudes/", f"/agenda/solicitudes/{pk}/", f"/agenda/solicitudes/{pk}/editar/",
        f"/agenda/solicitudes/{pk}/adjuntos/{attachment.pk}/", "/api/v1/agenda/requests/",
        f"/api/v1/agenda/requests/{pk}/",
    ]  # fmt: skip
    beta_on_alfa = client_for(w.admin_beta, w.alfa)
    for path in alfa_paths:
        use_public_schema()
        assert beta_on_alfa.get(path).status_code == 404, path
    for path in (f"/agenda/solicitudes/{pk}/in_analysis/", f"/api/v1/agenda/requests/{pk}/transition/"):
        use_public_schema()
        assert beta_on_alfa.post(path, {"to_status": "in_analysis"}).status_code == 404, path

    # In its own workspace Beta's editor finds nothing of Alfa's, under any of its ids.
    use_public_schema()
    beta = client_for(w.admin_beta, w.beta)
    listing = beta.get("/agenda/solicitudes/")
    assert listing.status_code == 200 and "Secreto de Alfa" not in listing.content.decode()
    for path in alfa_paths[1:4] + alfa_paths[5:]:
        use_public_schema()
        assert beta.get(path).status_code == 404, path
    use_public_schema()
    assert beta.post(f"/agenda/solicitudes/{pk}/in_analysis/").status_code == 404
    use_public_schema()
    assert beta.post(f"/api/v1/agenda/requests/{pk}/transition/", {"to_status": "in_analysis"},
                     content_type="application/json").status_code == 404  # fmt: skip
    use_public_schema()
    api = beta.get("/api/v1/agenda/requests/").json()
    assert api["results"] == []
    use_municipality(w.alfa)
    assert Request.objects.get(pk=pk).status == S.RECEIVED
