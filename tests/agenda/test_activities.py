"""The mayor's activities: overlaps flagged, bad input refused with nothing saved, daylight
saving, private activities, the calendar's days in the municipality's time zone, the pages
and API, and isolation between municipalities."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tenants.agenda import selectors_activities as reads
from tenants.agenda import services
from tenants.agenda.forms_activities import ActivityForm
from tenants.agenda.models import Activity, ActivityStatus, RequestStatus
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.models import Municipality
from tests.agenda.conftest import in_days, local, member
from tests.conftest import World, client_for

SANTIAGO = ZoneInfo("America/Santiago")


def _make(title: str, start: datetime, end: datetime, *, status: str = "confirmed", public: bool = True,
          **extra: Any) -> tuple[Activity, list[Activity]]:  # fmt: skip
    data = {"title": title, "kind": "meeting", "starts_at": start, "ends_at": end, "status": status,
            "is_public": public, **extra}  # fmt: skip
    return services.activity_save(actor=None, data=data)


def _html(response: Any) -> str:
    return str(response.content.decode())


def _day_chunk(html: str, title: str) -> str:
    """The calendar day (week or day view) whose list holds `title`."""
    chunks = [c for c in html.split('<li class="agenda-day') if title in c]
    assert len(chunks) == 1, f"{title!r} shows on {len(chunks)} days"
    return chunks[0]


# --- services: overlaps and bad input -------------------------------------------------------


def test_overlap_with_confirmed_activities_is_flagged_not_refused(in_alfa: World) -> None:
    first, overlaps = _make("Gabinete", local(2027, 3, 10, 10), local(2027, 3, 10, 11))
    assert overlaps == []
    second, overlaps = _make("Entrevista", local(2027, 3, 10, 10, 30), local(2027, 3, 10, 11, 30))
    assert [a.pk for a in overlaps] == [first.pk]  # flagged…
    assert Activity.objects.filter(pk=second.pk).exists()  # …and saved all the same
    # A tentative one does not count as taking the mayor's time.
    _make("Quizás", local(2027, 3, 11, 10), local(2027, 3, 11, 11), status="tentative")
    _third, overlaps = _make("Otra", local(2027, 3, 11, 10, 30), local(2027, 3, 11, 11, 30))
    assert overlaps == []
    # Touching is not overlapping: one ends when the next begins.
    _touch, overlaps = _make("Siguiente", local(2027, 3, 10, 11, 30), local(2027, 3, 10, 12))
    assert overlaps == []
    # A cancelled activity competes with nothing, and is not competed with.
    _gone, overlaps = _make("Cancelada", local(2027, 3, 10, 10), local(2027, 3, 10, 11), status="cancelled")
    assert overlaps == []
    services.activity_set_status(actor=None, activity=first, status=ActivityStatus.CANCELLED)
    _late, overlaps = _make("Tarde", local(2027, 3, 10, 10), local(2027, 3, 10, 10, 20))
    assert overlaps == []
    # Changing an activity reports overlaps too, never with itself.
    _saved, overlaps = services.activity_save(
        actor=None, activity=second, data={"starts_at": local(2027, 3, 10, 9, 0)}, version=second.version
    )
    assert [a.title for a in overlaps] == ["Tarde"]


def test_end_before_start_is_refused_and_nothing_is_saved(in_alfa: World) -> None:
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as err:
        _make("Al revés", local(2027, 3, 10, 11), local(2027, 3, 10, 10), actors=[], themes=[])
    assert "ends_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _make("Sin duración", local(2027, 3, 10, 11), local(2027, 3, 10, 11))
    assert "ends_at" in err.value.message_dict
    assert Activity.objects.count() == before


def test_a_future_activity_cannot_be_done(in_alfa: World) -> None:
    activity, _o = _make("Futura", in_days(3), in_days(3, 10))
    with pytest.raises(ValidationError) as err:
        services.activity_set_status(actor=None, activity=activity, status=ActivityStatus.DONE)
    assert "status" in err.value.message_dict
    with pytest.raises(ValidationError):  # nor created as done
        _make("Futura realizada", in_days(3), in_days(3, 10), status="done")
    past, _o = _make("Pasada", in_days(-1), in_days(-1, 10))
    done = services.activity_set_status(actor=None, activity=past, status="done", outcome_notes="Acuerdo firmado")
    assert (done.status, done.outcome_notes) == ("done", "Acuerdo firmado")


def test_only_agenda_editors_write(in_alfa: World) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_save(
            actor=in_alfa.editor_alfa,
            data={"title": "X", "kind": "meeting", "starts_at": in_days(1), "ends_at": in_days(1, 10)},
        )
    saved, _o = services.activity_save(
        actor=in_alfa.mayor_alfa,
        data={"title": "Mía", "kind": "meeting", "starts_at": in_days(1), "ends_at": in_days(1, 10)},
    )
    assert saved.created_by_label == "Marta Alcaldesa"


# --- daylight saving -----------------------------------------------------------------------


def _spring_gap(tz: ZoneInfo, year: int) -> datetime:
    """The first wall-clock half hour of `year` that does not exist in `tz`."""
    moment = datetime(year, 1, 1, 0, 30)
    while moment.year == year:
        aware = moment.replace(tzinfo=tz)
        if aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) != moment:
            return moment
        moment += timedelta(hours=1)
    raise AssertionError("no gap")


def _form_data(**extra: str) -> dict[str, str]:
    return {"title": "Acto cívico", "kind": "ceremony", "status": "tentative", **extra}


def test_a_time_in_the_daylight_saving_gap_is_a_field_error(in_alfa: World) -> None:
    gap = _spring_gap(SANTIAGO, 2026)
    assert gap == datetime(2026, 9, 6, 0, 30)  # Chile moves from 00:00 to 01:00 that night
    with timezone.override(SANTIAGO):
        form = ActivityForm(data=_form_data(starts_at="2026-09-06T00:30", ends_at="2026-09-06T02:00"))
        assert not form.is_valid()
        assert "starts_at" in form.errors and "ends_at" not in form.errors
        fine = ActivityForm(data=_form_data(starts_at="2026-09-06T01:30", ends_at="2026-09-06T02:00"))
        assert fine.is_valid(), fine.errors
        assert fine.cleaned_data["starts_at"].utcoffset() == timedelta(hours=-3)


def _in_santiago(w: World) -> None:
    """Alfa in a time zone with daylight saving, for this test only (rolled back)."""
    use_public_schema()
    Municipality.objects.filter(pk=w.alfa.pk).update(time_zone="America/Santiago")


def test_the_page_and_the_api_refuse_a_gap_time_and_save_nothing(w: World) -> None:
    _in_santiago(w)
    mayor = client_for(w.mayor_alfa, w.alfa)
    page = mayor.post(
        "/agenda/actividades/nueva/", _form_data(starts_at="2026-09-06T00:30", ends_at="2026-09-06T02:00")
    )
    assert page.status_code == 400
    assert 'id="id_starts_at_error"' in _html(page)
    api = mayor.post(
        "/api/v1/agenda/activities/",
        {"title": "X", "kind": "meeting", "starts_at": "2026-09-06T00:30", "ends_at": "2026-09-06T02:00"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "starts_at" in api.json()
    # A time that exists is read in the municipality's zone.
    ok = mayor.post(
        "/api/v1/agenda/activities/",
        {"title": "Y", "kind": "meeting", "starts_at": "2026-09-06T01:30", "ends_at": "2026-09-06T02:00"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["starts_at"] == "2026-09-06T01:30:00-03:00"
    use_municipality(w.alfa)
    assert list(Activity.objects.values_list("title", flat=True)) == ["Y"]


# --- private activities ----------------------------------------------------------------------


def test_private_activities_are_hidden_from_other_members_everywhere(w: World) -> None:
    use_municipality(w.alfa)
    secret, _o = _make("Reunión reservada con el gobernador", local(2027, 3, 10, 9), local(2027, 3, 10, 10),
                       public=False)  # fmt: skip
    _open, _o = _make("Feria del agricultor", local(2027, 3, 10, 15), local(2027, 3, 10, 17))
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)  # a communications editor: not a private viewer
    pages = [
        "/agenda/?vista=semana&fecha=2027-03-10",
        "/agenda/?vista=dia&fecha=2027-03-10",
        "/agenda/?vista=mes&fecha=2027-03-10",
        "/agenda/actividades/?desde=2027-03-01&hasta=2027-03-31",
        "/agenda/actividades/?desde=2027-03-01&visibilidad=privada",
    ]
    for url in pages:
        html = _html(editor.get(url))
        assert "Reunión reservada" not in html, url
    week = _html(editor.get(pages[0]))
    assert "Feria del agricultor" in week
    assert "1 actividad en este periodo" in week  # not even counted
    assert "0 actividades" in _html(editor.get(pages[4]))
    assert editor.get(f"/agenda/actividades/{secret.pk}/").status_code == 404
    assert editor.get(f"/agenda/actividades/{secret.pk}/editar/").status_code == 404
    assert editor.post(f"/agenda/actividades/{secret.pk}/estado/", {"status": "cancelled"}).status_code == 404
    listed = editor.get("/api/v1/agenda/activities/?from=2027-03-10&to=2027-03-10").json()
    assert [a["title"] for a in listed["results"]] == ["Feria del agricultor"]
    assert editor.get(f"/api/v1/agenda/activities/{secret.pk}/").status_code == 404
    # The mayor sees it.
    mayor = client_for(w.mayor_alfa, w.alfa)
    assert "Reunión reservada" in _html(mayor.get(pages[0]))
    assert mayor.get(f"/agenda/actividades/{secret.pk}/").status_code == 200

    # A participant sees the private activity they take part in.
    use_municipality(w.alfa)
    person = member("Elena Editora", "editor@alfa.test")
    person.user_id = w.editor_alfa.pk
    person.save()
    services.activity_save(actor=None, activity=secret, data={"participants": [person]})
    use_public_schema()
    for url in pages[:4]:
        assert "Reunión reservada" in _html(editor.get(url)), url
    detail = _html(editor.get(f"/agenda/actividades/{secret.pk}/"))
    assert "Privada" in detail and "Elena Editora" in detail
    assert "Editar" not in detail  # may see it, not change it
    assert editor.get(f"/api/v1/agenda/activities/{secret.pk}/").json()["participants"] == [person.pk]


def test_overlap_warnings_name_no_activity_one_may_not_see(in_alfa: World) -> None:
    hidden, _o = _make("Privada del titular", local(2027, 3, 10, 9), local(2027, 3, 10, 10), public=False)
    shown, _o = _make("Pública", local(2027, 3, 10, 9, 30), local(2027, 3, 10, 10, 30))
    assert {a.pk for a in reads.overlaps_of(in_alfa.mayor_alfa, shown)} == {hidden.pk}
    assert reads.overlaps_of(in_alfa.editor_alfa, shown) == []


# --- calendar ---------------------------------------------------------------------------------


def test_week_view_puts_a_late_evening_activity_on_its_local_day(w: World) -> None:
    use_municipality(w.alfa)
    # 23:30 in Bogotá is 04:30 UTC the next day.
    late, _o = _make("Vigilia comunitaria", local(2027, 3, 10, 23, 30), local(2027, 3, 10, 23, 55))
    assert late.starts_at.astimezone(ZoneInfo("UTC")).day == 11
    _make("Fiesta patronal", local(2027, 3, 12, 22), local(2027, 3, 13, 2))  # over midnight
    use_public_schema()
    client = client_for(w.editor_alfa, w.alfa)
    week = _html(client.get("/agenda/?vista=semana&fecha=2027-03-10"))
    assert "Semana del" in week
    chunk = _day_chunk(week, "Vigilia comunitaria")
    assert "fecha=2027-03-10" in chunk.split("</h2>")[0]  # under Wednesday 10, not Thursday 11
    assert "23:30" in chunk and "23:55" in chunk
    assert "Confirmada" in chunk and "Pública" in chunk and "Reunión" in chunk  # status, visibility, kind as text
    # An activity over midnight shows on both days.
    assert week.count("Fiesta patronal") == 2
    # Navigation: the previous and next week, and today.
    assert "fecha=2027-03-01" in week and "fecha=2027-03-15" in week
    day = _html(client.get("/agenda/?vista=dia&fecha=2027-03-11"))
    assert "Vigilia comunitaria" not in day
    assert "Vigilia comunitaria" in _html(client.get("/agenda/?vista=dia&fecha=2027-03-10"))


def test_calendar_days_split_by_local_midnight(in_alfa: World) -> None:
    _make("Fiesta patronal", local(2027, 3, 12, 22), local(2027, 3, 13, 2))
    days = reads.calendar_days(None, date(2027, 3, 12), date(2027, 3, 14))
    assert [len(d.entries) for d in days] == [1, 1, 0]
    first, second = days[0].entries[0], days[1].entries[0]
    assert (first.from_before, first.goes_on, second.from_before, second.goes_on) == (False, True, True, False)
    assert first.start.hour == 22 and second.end.hour == 2


def test_month_view(w: World) -> None:
    use_municipality(w.alfa)
    _make("Rendición de cuentas", local(2027, 2, 26, 10), local(2027, 2, 26, 12))
    _make("Aniversario del municipio", local(2027, 3, 31, 10), local(2027, 3, 31, 12), status="tentative")
    use_public_schema()
    client = client_for(w.editor_alfa, w.alfa)
    response = client.get("/agenda/?vista=mes&fecha=2027-03-15")
    html = _html(response)
    assert response.status_code == 200
    assert "marzo de 2027" in html
    assert html.count('<th scope="col">') == 7
    assert "Aniversario del municipio" in html and "Tentativa" in html
    # March 2027 starts on a Monday: the grid shows no February day, and five weeks.
    assert "Rendición de cuentas" not in html
    assert html.count("<tr>") == 1 + 5
    assert "fecha=2027-02-01" in html and "fecha=2027-04-01" in html
    assert "1 actividad en este periodo" in html
    # Nonsense in the address falls back to a sensible page.
    for url in ["/agenda/?vista=año&fecha=ayer", "/agenda/?fecha=9999-12-31", "/agenda/?vista=mes&fecha=0001-01-01"]:
        assert client.get(url).status_code == 200, url


def test_the_mayors_view_shows_the_coming_days_and_what_waits(w: World) -> None:
    use_municipality(w.alfa)
    _make("Entrevista en la radio", in_days(0, 8), in_days(0, 9))
    _make("Visita a la vereda", in_days(6, 8), in_days(6, 12))
    _make("Más allá", in_days(8, 8), in_days(8, 9))
    _make("Privada de hoy", in_days(0, 14), in_days(0, 15), public=False)
    services.task_save(
        actor=None,
        data={"kind": "commitment", "description": "Enviar cuadrilla", "assignee": member(),
              "due_date": local_today() - timedelta(days=2)},
    )  # fmt: skip
    services.request_register(
        actor=None,
        data={"kind": "audience", "channel": "letter", "subject": "Audiencia", "contact_name": "Rosa",
              "received_at": timezone.now() - timedelta(days=30)},
    )  # fmt: skip
    use_public_schema()
    html = _html(client_for(w.editor_alfa, w.alfa).get("/agenda/hoy/"))
    assert "Entrevista en la radio" in html and "Visita a la vereda" in html
    assert "Más allá" not in html and "Privada de hoy" not in html
    assert html.count('<section class="agenda-day') == 7
    assert "1 tarea o compromiso vencido" in html
    assert "1 solicitud sin respuesta fuera de plazo" in html
    assert "/agenda/tareas/" in html and "/agenda/solicitudes/" in html
    assert "Privada de hoy" in _html(client_for(w.mayor_alfa, w.alfa).get("/agenda/hoy/"))


# --- pages --------------------------------------------------------------------------------------


def test_create_edit_and_change_status_through_the_pages(w: World) -> None:
    use_municipality(w.alfa)
    _make("Gabinete", local(2027, 3, 10, 10), local(2027, 3, 10, 11))
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    form = _html(mayor.get("/agenda/actividades/nueva/?desde=2027-03-10T10:30"))
    assert 'type="datetime-local"' in form
    assert 'value="2027-03-10T10:30"' in form and 'value="2027-03-10T11:30"' in form  # start, and an hour later
    # Refused: end before start. The page says why, on the field.
    bad = mayor.post(
        "/agenda/actividades/nueva/",
        _form_data(title="Entrevista", starts_at="2027-03-10T11:00", ends_at="2027-03-10T10:00"),
    )
    assert bad.status_code == 400
    assert 'id="id_ends_at_error"' in _html(bad) and "posterior al inicio" in _html(bad)
    use_municipality(w.alfa)
    assert Activity.objects.count() == 1
    use_public_schema()
    created = mayor.post(
        "/agenda/actividades/nueva/",
        _form_data(title="Entrevista", starts_at="2027-03-10T10:30", ends_at="2027-03-10T11:30", status="confirmed",
                   address="Radio Comunitaria, calle 3"),
        follow=True,
    )  # fmt: skip
    html = _html(created)
    assert "Se guardó la actividad «Entrevista»" in html
    assert "Se cruza con otras actividades confirmadas del titular" in html and "«Gabinete»" in html
    assert "10:00" in html  # the other activity's time
    use_municipality(w.alfa)
    saved = Activity.objects.get(title="Entrevista")
    assert timezone.localtime(saved.starts_at, ZoneInfo("America/Bogota")).hour == 10
    use_public_schema()
    edit = mayor.get(f"/agenda/actividades/{saved.pk}/editar/")
    assert 'value="2027-03-10T10:30"' in _html(edit)  # shown in local time
    moved = mayor.post(
        f"/agenda/actividades/{saved.pk}/editar/",
        _form_data(title="Entrevista", starts_at="2027-03-10T12:00", ends_at="2027-03-10T13:00",
                   status="confirmed", version=str(saved.version)),
        follow=True,
    )  # fmt: skip
    assert "Se cruza" not in _html(moved)
    # Someone else's newer save is not overwritten.
    stale = mayor.post(
        f"/agenda/actividades/{saved.pk}/editar/",
        _form_data(title="Pisada", starts_at="2027-03-10T12:00", ends_at="2027-03-10T13:00",
                   version=str(saved.version)),
    )  # fmt: skip
    assert stale.status_code == 400 and "Otra persona guardó cambios" in _html(stale)
    # Cancel; done in the future is refused with a message.
    refused = mayor.post(f"/agenda/actividades/{saved.pk}/estado/", {"status": "done"}, follow=True)
    assert "Una actividad futura no puede estar realizada" in _html(refused)
    cancelled = mayor.post(f"/agenda/actividades/{saved.pk}/estado/", {"status": "cancelled"}, follow=True)
    assert "Estado actualizado: Cancelada" in _html(cancelled)
    assert mayor.get(f"/agenda/actividades/{saved.pk}/estado/").status_code == 405


def test_done_with_outcome_and_the_linked_request_and_tasks(w: World) -> None:
    use_municipality(w.alfa)
    request = services.request_register(
        actor=None,
        data={"kind": "audience", "channel": "letter", "subject": "Audiencia junta vecinal", "contact_name": "Rosa",
              "proposed_start": in_days(-1), "proposed_end": in_days(-1, 10),
              "received_at": timezone.now() - timedelta(days=3)},
    )  # fmt: skip
    accepted = services.request_transition(actor=None, request=request, to_status=RequestStatus.ACCEPTED)
    activity = accepted.activity
    assert activity is not None
    services.task_save(
        actor=None,
        data={"kind": "commitment", "description": "Enviar cuadrilla al barrio", "assignee": member(),
              "due_date": local_today() + timedelta(days=3), "activity": activity},
    )  # fmt: skip
    plain, _o = _make("Sin solicitud", in_days(-2), in_days(-2, 10))
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    page = _html(mayor.get(f"/agenda/actividades/{activity.pk}/"))
    assert request.reference in page and "Enviar cuadrilla al barrio" in page
    assert "Marcar como realizada" in page
    done = mayor.post(
        f"/agenda/actividades/{activity.pk}/estado/",
        {"status": "done", "outcome_notes": "Se acordó una mesa de trabajo", "version": str(activity.version)},
        follow=True,
    )
    assert "Estado actualizado: Realizada" in _html(done) and "Se acordó una mesa de trabajo" in _html(done)
    assert mayor.get(f"/agenda/actividades/{plain.pk}/").status_code == 200  # no request: no error


def test_list_filters_and_pages(w: World) -> None:
    from tenants.structure.models import Actor, ActorKind, Place, PlaceLevel, PlaceLevelSet, Theme

    use_municipality(w.alfa)
    axis = Theme.objects.create(code="T1", name="Agua", depth=1)
    sub = Theme.objects.create(code="T1.1", name="Acueductos", parent=axis, depth=2)
    level_set = PlaceLevelSet.objects.create(name="División")
    level = PlaceLevel.objects.create(level_set=level_set, name="Distrito", rank=1)
    district = Place.objects.create(code="D1", name="Distrito Norte", level=level)
    hood = Place.objects.create(code="D1.1", name="Barrio Alto", level=level, parent=district)
    mayor_actor = Actor.objects.create(kind=ActorKind.choices[0][0], name="Junta de acción")
    _make("Con subtema", in_days(2), in_days(2, 10), themes=[sub])
    _make("En el barrio", in_days(3), in_days(3, 10), place=hood)
    services.activity_save(
        actor=None,
        data={"title": "Con actor", "kind": "audience", "starts_at": in_days(4), "ends_at": in_days(4, 10),
              "actors": [mayor_actor], "is_public": False, "status": "confirmed"},
    )  # fmt: skip
    _make("Pasada", in_days(-5), in_days(-5, 10))
    for n in range(30):
        _make(f"Relleno {n:02d}", in_days(10 + n), in_days(10 + n, 10), status="tentative")
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)

    def titles(query: str) -> list[str]:
        html = _html(client.get("/agenda/actividades/" + query))
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)

    first_page = titles("")
    assert "Pasada" not in first_page and len(first_page) == 25  # from today, 25 a page
    assert titles(f"?tema={axis.pk}") == ["Con subtema"]  # an axis includes its themes
    assert titles(f"?lugar={district.pk}") == ["En el barrio"]  # a district its neighbourhoods
    assert titles(f"?actor={mayor_actor.pk}") == ["Con actor"]
    assert titles("?tipo=audience") == ["Con actor"]
    assert titles("?visibilidad=privada") == ["Con actor"]
    assert "Con actor" not in titles("?visibilidad=publica")
    assert titles("?estado=tentative&page=2") == [f"Relleno {n:02d}" for n in range(25, 30)]
    past = (local_today() - timedelta(days=6)).isoformat()
    until = (local_today() - timedelta(days=1)).isoformat()
    assert titles(f"?desde={past}&hasta={until}") == ["Pasada"]
    bad = _html(client.get("/agenda/actividades/?desde=no-es-fecha&tema=999999"))
    assert "Algún filtro no es válido" in bad


def test_non_editors_get_403_on_writes(w: World) -> None:
    use_municipality(w.alfa)
    public, _o = _make("Pública", in_days(1), in_days(1, 10))
    use_public_schema()
    editor = client_for(w.editor_alfa, w.alfa)
    assert editor.get("/agenda/actividades/nueva/").status_code == 403
    assert editor.post("/agenda/actividades/nueva/", _form_data()).status_code == 403
    assert editor.get(f"/agenda/actividades/{public.pk}/editar/").status_code == 403
    assert editor.post(f"/agenda/actividades/{public.pk}/estado/", {"status": "cancelled"}).status_code == 403
    body = {"title": "X", "kind": "meeting", "starts_at": "2027-03-10T10:00", "ends_at": "2027-03-10T11:00"}
    assert editor.post("/api/v1/agenda/activities/", body, content_type="application/json").status_code == 403
    patch = editor.patch(f"/api/v1/agenda/activities/{public.pk}/", {"title": "Y"}, content_type="application/json")
    assert patch.status_code == 403
    # Reading is for every member.
    for url in ["/agenda/", "/agenda/hoy/", "/agenda/actividades/", f"/agenda/actividades/{public.pk}/"]:
        assert editor.get(url).status_code == 200, url
    assert "Nueva actividad" not in _html(editor.get("/agenda/"))
    assert "Nueva actividad" in _html(client_for(w.mayor_alfa, w.alfa).get("/agenda/"))


# --- API ----------------------------------------------------------------------------------------


def test_api_create_patch_overlaps_and_bad_ids(w: World) -> None:
    use_municipality(w.alfa)
    first, _o = _make("Gabinete", local(2027, 3, 10, 10), local(2027, 3, 10, 11))
    use_public_schema()
    api = client_for(w.admin_alfa, w.alfa)  # the system counterpart keeps the agenda too
    body = {"title": "Entrevista", "kind": "media", "starts_at": "2027-03-10T10:30", "ends_at": "2027-03-10T11:30",
            "status": "confirmed", "is_public": True}  # fmt: skip
    created = api.post("/api/v1/agenda/activities/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["starts_at"] == "2027-03-10T10:30:00-05:00"
    assert [o["id"] for o in data["overlaps"]] == [first.pk]
    pk = data["id"]
    # A place, actor or initiative id that does not exist here is a field error; nothing saved.
    for field, value in (("place", 999999), ("themes", [999999]), ("initiative", 999999), ("participants", [999999])):
        bad = api.post("/api/v1/agenda/activities/", {**body, field: value}, content_type="application/json")
        assert bad.status_code == 400 and field in bad.json(), (field, bad.content)
    reversed_ = api.post(
        "/api/v1/agenda/activities/", {**body, "ends_at": "2027-03-10T09:00"}, content_type="application/json"
    )
    assert reversed_.status_code == 400 and "ends_at" in reversed_.json()
    use_municipality(w.alfa)
    assert Activity.objects.count() == 2
    use_public_schema()
    # PATCH with the version read; a stale version is refused.
    moved = api.patch(
        f"/api/v1/agenda/activities/{pk}/", {"starts_at": "2027-03-10T12:00", "ends_at": "2027-03-10T13:00",
                                              "version": data["version"]}, content_type="application/json",
    )  # fmt: skip
    assert moved.status_code == 200, moved.content
    assert moved.json()["overlaps"] == [] and moved.json()["version"] == data["version"] + 1
    stale = api.patch(
        f"/api/v1/agenda/activities/{pk}/", {"title": "Otra", "version": data["version"]},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 400
    # The list by span.
    listed = api.get("/api/v1/agenda/activities/?from=2027-03-10T11:30&to=2027-03-11").json()
    assert [a["title"] for a in listed["results"]] == ["Entrevista"]
    assert api.get("/api/v1/agenda/activities/?from=mañana").status_code == 400
    assert api.get("/api/v1/agenda/activities/999999/").status_code == 404


# --- isolation ----------------------------------------------------------------------------------


def test_another_municipality_sees_nothing_of_alfas_agenda(w: World) -> None:
    use_municipality(w.alfa)
    activity, _o = _make("Consejo de seguridad de Alfa", in_days(1), in_days(1, 10))
    use_public_schema()
    beta_in_alfa = client_for(w.admin_beta, w.alfa)
    for url in ["/agenda/", "/agenda/hoy/", "/agenda/actividades/", f"/agenda/actividades/{activity.pk}/",
                "/agenda/actividades/nueva/", "/api/v1/agenda/activities/",
                f"/api/v1/agenda/activities/{activity.pk}/"]:  # fmt: skip
        assert beta_in_alfa.get(url).status_code == 404, url
    own = client_for(w.admin_beta, w.beta)
    assert own.get(f"/agenda/actividades/{activity.pk}/").status_code == 404
    assert own.get(f"/api/v1/agenda/activities/{activity.pk}/").status_code == 404
    day = selectors_day(activity)
    for url in [f"/agenda/?vista=semana&fecha={day}", f"/agenda/?vista=mes&fecha={day}", "/agenda/hoy/",
                "/agenda/actividades/"]:  # fmt: skip
        assert "Consejo de seguridad" not in _html(own.get(url)), url
    assert own.get("/api/v1/agenda/activities/").json()["results"] == []


def selectors_day(activity: Activity) -> str:
    return timezone.localtime(activity.starts_at, ZoneInfo("America/Bogota")).date().isoformat()
