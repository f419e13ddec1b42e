"""Tasks and commitments: the pages and the API (overdue highlighting, status transitions,
evidence on completion, who may write, isolation) and the daily reminder run in-process."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tenants.agenda import services
from tenants.agenda.models import Activity, Task, TaskNote, TaskStatus
from tenants.agenda.tasks import schedule_task_reminders, send_task_reminders
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.structure.models import NetworkMember
from tenants.workspace.models import AuditEvent
from tenants.workspace.schema_guard import NotInTenantSchema
from tests.agenda.conftest import in_days, member
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative


def make_task(description: str, *, days: int, assignee: NetworkMember, **extra: Any) -> Task:
    """A task due `days` from the municipality's today (negative: overdue). Call inside a schema."""
    data = {
        "kind": "instruction", "description": description, "assignee": assignee,
        "due_date": local_today() + timedelta(days=days), **extra,
    }  # fmt: skip
    return services.task_save(actor=None, data=data)


def make_activity(title: str, *, public: bool = True, days: int = 2, **extra: Any) -> Activity:
    activity, _overlaps = services.activity_save(
        actor=None,
        data={"title": title, "kind": "meeting", "is_public": public, "starts_at": in_days(days),
              "ends_at": in_days(days, 10), "status": "confirmed", **extra},
    )  # fmt: skip
    return activity


def rows(html: str) -> list[tuple[int, str]]:
    """(task id, row class) in the order the list shows them."""
    return [(int(pk), cls) for pk, cls in re.findall(r'<tr id="tarea-(\d+)" class="([^"]*)"', html)]


def row_html(html: str, pk: int) -> str:
    match = re.search(rf'<tr id="tarea-{pk}".*?</tr>', html, re.S)
    assert match, f"row {pk} missing"
    return match.group(0)


# --- pages ---------------------------------------------------------------------------------


def test_overdue_tasks_are_flagged_in_words_and_open_ones_come_first(in_alfa: World) -> None:
    w = in_alfa
    carlos = member()
    soon = make_task("Responder a la junta vecinal", days=3, assignee=carlos)
    late = make_task("Enviar el informe de la obra", days=-2, assignee=carlos, priority="high")
    done = make_task("Llamar al gobernador", days=-5, assignee=carlos)
    services.task_set_status(actor=None, task=done, status=TaskStatus.DONE, evidence="Llamada hecha")
    cancelled = make_task("Visitar la escuela", days=-1, assignee=carlos, kind="commitment")
    services.task_set_status(actor=None, task=cancelled, status=TaskStatus.CANCELLED)
    use_public_schema()

    page = client_for(w.editor_alfa, w.alfa).get("/agenda/tareas/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = rows(html)
    # Open first (by due date), then closed ones: an old done task is not "overdue".
    assert [pk for pk, _cls in shown] == [late.pk, soon.pk, done.pk, cancelled.pk]
    assert dict(shown)[late.pk] == "task-overdue"
    assert "⚠ Vencida" in row_html(html, late.pk)
    for other in (soon, done, cancelled):
        assert "Vencida" not in row_html(html, other.pk)

    mayor = client_for(w.mayor_alfa, w.alfa)
    only_late = rows(mayor.get("/agenda/tareas/?vencidas=1").content.decode())
    assert [pk for pk, _ in only_late] == [late.pk]
    assert [pk for pk, _ in rows(mayor.get("/agenda/tareas/?estado=done").content.decode())] == [done.pk]
    assert [pk for pk, _ in rows(mayor.get("/agenda/tareas/?clase=commitment").content.decode())] == [cancelled.pk]
    assert [pk for pk, _ in rows(mayor.get("/agenda/tareas/?prioridad=high").content.decode())] == [late.pk]
    use_municipality(w.alfa)
    other = make_task("Revisar el presupuesto", days=1, assignee=member("Luisa", "luisa@alfa.test"))
    use_public_schema()
    by_person = rows(mayor.get(f"/agenda/tareas/?responsable={other.assignee_id}").content.decode())
    assert [pk for pk, _ in by_person] == [other.pk]
    # Nonsense filters are ignored, not errors.
    assert mayor.get("/agenda/tareas/?estado=zzz&responsable=x&vencidas=2").status_code == 200

    detail = mayor.get(f"/agenda/tareas/{late.pk}/").content.decode()
    assert "⚠ Vencida" in detail


def test_create_from_an_activity_prefills_the_origin_and_links_back(in_alfa: World) -> None:
    w = in_alfa
    carlos = member()
    activity = make_activity("Reunión con la junta de acción comunal", public=False)
    initiative, _ms = make_initiative(w)
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    form = mayor.get(f"/agenda/tareas/nueva/?actividad={activity.pk}")
    assert form.status_code == 200
    html = form.content.decode()
    assert "Reunión con la junta de acción comunal" in html
    assert f'name="activity" value="{activity.pk}"' in html
    assert f'<option value="{carlos.pk}">Carlos Secretario</option>' in html
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    created = mayor.post(
        f"/agenda/tareas/nueva/?actividad={activity.pk}",
        {"kind": "commitment", "description": "Enviar la cuadrilla al barrio", "assignee": carlos.pk,
         "due_date": due, "priority": "high", "activity": activity.pk, "initiative": initiative.pk},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()
    use_municipality(w.alfa)
    task = Task.objects.get(description="Enviar la cuadrilla al barrio")
    assert task.activity_id == activity.pk and task.initiative_id == initiative.pk and task.priority == "high"
    use_public_schema()
    assert created["Location"] == f"/agenda/tareas/{task.pk}/"
    detail = mayor.get(created["Location"]).content.decode()
    assert f'href="/agenda/actividades/{activity.pk}/"' in detail
    assert f'href="/iniciativas/{initiative.pk}/"' in detail

    # A member who may not see the mayor's private activities sees the task, not its title.
    other = client_for(w.editor_alfa, w.alfa).get(created["Location"]).content.decode()
    assert "Enviar la cuadrilla al barrio" in other
    assert "Reunión con la junta de acción comunal" not in other
    assert "Una actividad privada del titular" in other

    # From an initiative and from a request.
    by_initiative = mayor.get(f"/agenda/tareas/nueva/?iniciativa={initiative.pk}").content.decode()
    assert f'<option value="{initiative.pk}" selected>' in by_initiative
    use_municipality(w.alfa)
    req = services.request_register(
        actor=None,
        data={"kind": "invitation", "channel": "letter", "subject": "Fiesta patronal", "contact_name": "Rosa"},
    )
    use_public_schema()
    by_request = mayor.get(f"/agenda/tareas/nueva/?solicitud={req.pk}").content.decode()
    assert f'name="request" value="{req.pk}"' in by_request and "Fiesta patronal" in by_request
    # An unknown origin is simply not prefilled.
    assert mayor.get("/agenda/tareas/nueva/?actividad=999999&solicitud=abc").status_code == 200


def test_bad_input_on_the_form_names_the_field_and_saves_nothing(in_alfa: World) -> None:
    w = in_alfa
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    bad = mayor.post("/agenda/tareas/nueva/", {"kind": "", "description": " ", "due_date": "31/31/2025"})
    assert bad.status_code == 400
    html = bad.content.decode()
    for field in ("kind", "description", "assignee", "due_date"):
        assert f'id="id_{field}_error"' in html, field
    use_municipality(w.alfa)
    assert not Task.objects.exists()


def test_status_transitions_and_done_needs_evidence(in_alfa: World) -> None:
    w = in_alfa
    task = make_task("Gestionar los permisos", days=5, assignee=member())
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    url = f"/agenda/tareas/{task.pk}/estado/"

    refused = mayor.post(url, {"status": "done", "evidence": "  ", "version": task.version})
    assert refused.status_code == 400
    assert "Describa la evidencia de cumplimiento." in refused.content.decode()
    use_municipality(w.alfa)
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.status, fresh.version, fresh.completed_on, fresh.evidence) == ("pending", task.version, None, "")
    assert not AuditEvent.objects.filter(action="task.status").exists()
    use_public_schema()

    assert mayor.get(url).status_code == 405
    assert mayor.post(url, {"status": "in_progress", "version": task.version}).status_code == 302
    use_municipality(w.alfa)
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.status == "in_progress"
    use_public_schema()

    # A stale page (the old version) is refused and says so.
    stale = mayor.post(url, {"status": "cancelled", "version": task.version}, follow=True)
    assert "Otra persona guardó cambios" in stale.content.decode()
    done = mayor.post(url, {"status": "done", "evidence": "Acta 12 de 2025", "version": fresh.version})
    assert done.status_code == 302
    use_municipality(w.alfa)
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.status == "done" and fresh.evidence == "Acta 12 de 2025" and fresh.completed_on == local_today()
    use_public_schema()
    # Done → cancelled is not a step; the task stays done.
    skip = mayor.post(url, {"status": "cancelled", "version": fresh.version}, follow=True)
    assert "no puede pasar" in skip.content.decode()
    use_municipality(w.alfa)
    assert Task.objects.get(pk=task.pk).status == "done"
    use_public_schema()
    page = mayor.get(f"/agenda/tareas/{task.pk}/").content.decode()
    assert "Acta 12 de 2025" in page and "Reabrir" in page


def test_follow_up_notes(in_alfa: World) -> None:
    w = in_alfa
    task = make_task("Coordinar con la policía", days=2, assignee=member())
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    empty = mayor.post(f"/agenda/tareas/{task.pk}/nota/", {"text": "   "})
    assert empty.status_code == 400 and 'id="id_text_error"' in empty.content.decode()
    added = mayor.post(f"/agenda/tareas/{task.pk}/nota/", {"text": "Se envió el oficio."})
    assert added.status_code == 302 and added["Location"].endswith("#notas")
    page = client_for(w.editor_alfa, w.alfa).get(f"/agenda/tareas/{task.pk}/").content.decode()
    assert "Se envió el oficio." in page and "Marta Alcaldesa" in page
    use_municipality(w.alfa)
    assert TaskNote.objects.filter(task=task).count() == 1


def test_every_member_reads_only_editors_write(in_alfa: World) -> None:
    w = in_alfa
    carlos = member()
    task = make_task("Preparar la rueda de prensa", days=2, assignee=carlos)
    use_public_schema()
    reader = client_for(w.editor_alfa, w.alfa)  # communications editor: not an agenda editor
    assert reader.get("/agenda/tareas/").status_code == 200
    assert reader.get(f"/agenda/tareas/{task.pk}/").status_code == 200
    assert reader.get(f"/api/v1/agenda/tasks/{task.pk}/").status_code == 200
    body = {"kind": "errand", "description": "x", "assignee": carlos.pk, "due_date": "2030-01-01"}
    assert reader.get("/agenda/tareas/nueva/").status_code == 403
    assert reader.post("/agenda/tareas/nueva/", body).status_code == 403
    assert reader.get(f"/agenda/tareas/{task.pk}/editar/").status_code == 403
    assert reader.post(f"/agenda/tareas/{task.pk}/editar/", body).status_code == 403
    assert reader.post(f"/agenda/tareas/{task.pk}/estado/", {"status": "cancelled"}).status_code == 403
    assert reader.post(f"/agenda/tareas/{task.pk}/nota/", {"text": "hola"}).status_code == 403
    api = {"kind": "errand", "description": "x", "assignee_id": carlos.pk, "due_date": "2030-01-01"}
    assert reader.post("/api/v1/agenda/tasks/", api, content_type="application/json").status_code == 403
    assert (
        reader.patch(f"/api/v1/agenda/tasks/{task.pk}/", {"description": "y"}, content_type="application/json")
    ).status_code == 403
    assert (
        reader.post(f"/api/v1/agenda/tasks/{task.pk}/status/", {"status": "cancelled"}, content_type="application/json")
    ).status_code == 403
    listing = reader.get("/agenda/tareas/").content.decode()
    assert "Nueva tarea o compromiso" not in listing
    use_municipality(w.alfa)
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.description, fresh.status, fresh.version) == ("Preparar la rueda de prensa", "pending", 1)
    assert Task.objects.count() == 1 and not TaskNote.objects.exists()


def test_edit_keeps_the_version_check(in_alfa: World) -> None:
    w = in_alfa
    task = make_task("Revisar el contrato", days=2, assignee=member())
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    form = mayor.get(f"/agenda/tareas/{task.pk}/editar/").content.decode()
    assert "Revisar el contrato" in form and 'name="version" value="1"' in form
    body = {"kind": "instruction", "description": "Revisar el contrato de obra", "assignee": task.assignee_id,
            "due_date": task.due_date.isoformat(), "priority": "low", "version": 1}  # fmt: skip
    assert mayor.post(f"/agenda/tareas/{task.pk}/editar/", body).status_code == 302
    stale = mayor.post(f"/agenda/tareas/{task.pk}/editar/", {**body, "description": "Otra cosa"})
    assert stale.status_code == 400 and "Otra persona guardó cambios" in stale.content.decode()
    use_municipality(w.alfa)
    assert Task.objects.get(pk=task.pk).description == "Revisar el contrato de obra"


# --- API -----------------------------------------------------------------------------------


def test_api_create_filter_change_and_complete(in_alfa: World) -> None:
    w = in_alfa
    carlos = member()
    activity = make_activity("Inauguración del puesto de salud")
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    due = (local_today_alfa(w) + timedelta(days=3)).isoformat()
    created = mayor.post(
        "/api/v1/agenda/tasks/",
        {"kind": "commitment", "description": "Dotar el puesto de salud", "assignee_id": carlos.pk,
         "due_date": due, "activity_id": activity.pk},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["activity_id"] == activity.pk and body["status"] == "pending" and body["overdue"] is False
    pk = body["id"]

    listing = mayor.get("/api/v1/agenda/tasks/?status=pending").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == pk
    assert mayor.get("/api/v1/agenda/tasks/?overdue=1").json()["count"] == 0
    assert mayor.get("/api/v1/agenda/tasks/?kind=errand").json()["count"] == 0

    changed = mayor.patch(
        f"/api/v1/agenda/tasks/{pk}/", {"priority": "high", "version": 1}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["priority"] == "high" and changed.json()["version"] == 2
    stale = mayor.patch(
        f"/api/v1/agenda/tasks/{pk}/", {"priority": "low", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 400

    no_evidence = mayor.post(f"/api/v1/agenda/tasks/{pk}/status/", {"status": "done"}, content_type="application/json")
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()
    assert mayor.get(f"/api/v1/agenda/tasks/{pk}/").json()["status"] == "pending"
    done = mayor.post(
        f"/api/v1/agenda/tasks/{pk}/status/", {"status": "done", "evidence": "Acta de entrega"},
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 200 and done.json()["completed_on"] == local_today_alfa(w).isoformat()


def test_api_bad_input_names_the_field(in_alfa: World) -> None:
    w = in_alfa
    archived = NetworkMember.objects.create(full_name="Ex funcionario", email="ex@alfa.test", is_active=False)
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    missing = mayor.post(
        "/api/v1/agenda/tasks/",
        {"kind": "errand", "description": "", "assignee_id": 999999, "due_date": "2030-01-01", "activity_id": 999999},
        content_type="application/json",
    )
    assert missing.status_code == 400 and {"assignee_id", "activity_id"} <= set(missing.json())
    service = mayor.post(
        "/api/v1/agenda/tasks/",
        {"kind": "errand", "description": "", "assignee_id": archived.pk, "due_date": "2030-01-01"},
        content_type="application/json",
    )
    assert service.status_code == 400 and {"assignee_id", "description"} <= set(service.json())
    assert mayor.post("/api/v1/agenda/tasks/", [1], content_type="application/json").status_code == 400
    assert mayor.get("/api/v1/agenda/tasks/").json()["count"] == 0


def local_today_alfa(w: World) -> Any:
    use_municipality(w.alfa)
    try:
        return local_today()
    finally:
        use_public_schema()


# --- isolation -----------------------------------------------------------------------------


def test_isolation_between_municipalities(in_alfa: World) -> None:
    w = in_alfa
    task = make_task("Tarea solo de Alfa", days=2, assignee=member())
    use_public_schema()
    intruder = client_for(w.admin_beta, w.alfa)  # a member of Beta on Alfa's host
    pages = [
        "/agenda/tareas/",
        f"/agenda/tareas/{task.pk}/",
        "/agenda/tareas/nueva/",
        f"/agenda/tareas/{task.pk}/editar/",
    ]
    for url in [*pages, "/api/v1/agenda/tasks/", f"/api/v1/agenda/tasks/{task.pk}/"]:
        assert intruder.get(url).status_code == 404, url
    assert intruder.post(f"/agenda/tareas/{task.pk}/estado/", {"status": "cancelled"}).status_code == 404
    assert intruder.post(f"/agenda/tareas/{task.pk}/nota/", {"text": "x"}).status_code == 404
    assert (
        intruder.post(
            f"/api/v1/agenda/tasks/{task.pk}/status/", {"status": "cancelled"}, content_type="application/json"
        )
    ).status_code == 404
    # On Beta's own host Alfa's task does not exist.
    beta = client_for(w.admin_beta, w.beta)
    assert "Tarea solo de Alfa" not in beta.get("/agenda/tareas/").content.decode()
    assert beta.get(f"/agenda/tareas/{task.pk}/").status_code == 404
    assert beta.get("/api/v1/agenda/tasks/").json()["count"] == 0
    assert beta.get(f"/api/v1/agenda/tasks/{task.pk}/").status_code == 404
    assert client_for(None, w.alfa).get("/api/v1/agenda/tasks/").status_code == 401
    assert client_for(None, w.alfa).get("/agenda/tareas/").status_code == 302  # to the login page
    use_municipality(w.alfa)
    assert Task.objects.get(pk=task.pk).status == "pending"


# --- the daily reminder (in-process; tests/agenda/test_reminders_worker.py uses a real worker) --


def _reminder_world(w: World) -> dict[str, Any]:
    use_municipality(w.alfa)
    carlos = member()
    nobody = member("Sin Correo", "")
    made = {
        "late": make_task("Entregar el informe de gestión", days=-3, assignee=carlos),
        "today": make_task("Firmar el convenio", days=0, assignee=carlos),
        "soon": make_task("Visitar la vereda El Salitre", days=2, assignee=carlos),
        "later": make_task("Preparar el presupuesto", days=10, assignee=carlos),
        "no_email": make_task("Revisar el acueducto", days=-1, assignee=nobody),
    }
    done = make_task("Llamar al ministerio", days=-4, assignee=carlos)
    made["done"] = services.task_set_status(actor=None, task=done, status=TaskStatus.DONE, evidence="Hecho")
    use_municipality(w.beta)
    made["beta"] = make_task("Beta task", days=-1, assignee=member("Bea", "bea@beta.test"))
    use_public_schema()
    return made


def test_daily_reminder_one_email_per_assignee_idempotent_per_day(w: World) -> None:
    made = _reminder_world(w)
    mail.outbox.clear()
    # The schedule runs in public and sends each municipality's task inside its schema.
    assert {"alfa", "beta"} <= set(schedule_task_reminders.delay(local_hour=None).get())
    by_to = {tuple(m.to): m for m in mail.outbox}
    assert set(by_to) == {("carlos@alfa.test",), ("bea@beta.test",)}, [m.to for m in mail.outbox]
    carlos = by_to[("carlos@alfa.test",)]
    assert "Municipio Alfa" in carlos.subject
    for key in ("late", "today", "soon"):
        assert made[key].description in carlos.body, key
        assert f"/agenda/tareas/{made[key].pk}/" in carlos.body
    assert carlos.body.index("Entregar el informe") < carlos.body.index("Firmar el convenio")  # overdue first
    for key in ("later", "done", "no_email", "beta"):
        assert made[key].description not in carlos.body, key
    assert "Beta task" in by_to[("bea@beta.test",)].body and "Alfa" not in by_to[("bea@beta.test",)].body

    use_municipality(w.alfa)
    today = local_today()
    reminded = {t.pk: t.last_reminded_on for t in Task.objects.all()}
    assert {k for k in made if k != "beta" and reminded[made[k].pk] == today} == {"late", "today", "soon"}
    versions = {t.pk: t.version for t in Task.objects.all()}
    use_public_schema()

    # Again the same day: nothing new is sent.
    mail.outbox.clear()
    schedule_task_reminders.delay(local_hour=None)
    assert mail.outbox == []
    use_municipality(w.alfa)
    assert {t.pk: t.version for t in Task.objects.all()} == versions  # reminding is not an edit
    # The next day the still-open ones are reminded again.
    Task.objects.update(last_reminded_on=today - timedelta(days=1))
    assert send_task_reminders.delay().get() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["carlos@alfa.test"]


def test_reminder_schedule_respects_each_municipalitys_local_hour(w: World) -> None:
    # 12:30 UTC is 7:30 in Bogotá (alfa) and 6:30 in Guatemala (beta). A run reminds
    # each municipality from its local reminder hour on, never before it.
    assert (w.alfa.time_zone, w.beta.time_zone) == ("America/Bogota", "America/Guatemala")
    with time_machine.travel(datetime(2030, 6, 1, 12, 30, tzinfo=UTC), tick=False):
        assert {"alfa", "beta"} <= set(schedule_task_reminders.delay(local_hour=6).get())
        at_seven = set(schedule_task_reminders.delay(local_hour=7).get())
        assert "alfa" in at_seven and "beta" not in at_seven
        at_eight = set(schedule_task_reminders.delay(local_hour=8).get())
        assert not at_eight & {"alfa", "beta"}


def test_reminder_fails_closed_outside_a_municipality(w: World) -> None:
    use_public_schema()
    with pytest.raises(NotInTenantSchema):
        send_task_reminders()
    use_municipality(w.alfa)
    with pytest.raises(RuntimeError):
        schedule_task_reminders()


def test_nonsense_ids_and_parameters_are_not_errors(w: World) -> None:
    mayor = client_for(w.mayor_alfa, w.alfa)
    big = "9" * 30
    for url in [f"/agenda/tareas/{big}/", f"/api/v1/agenda/tasks/{big}/"]:
        assert mayor.get(url).status_code == 404, url
    for url in [f"/agenda/tareas/?responsable={big}&page=abc", f"/api/v1/agenda/tasks/?assignee_id={big}",
                f"/agenda/tareas/nueva/?actividad={big}&solicitud={big}&iniciativa=x"]:  # fmt: skip
        assert mayor.get(url).status_code == 200, url
    api = mayor.post(
        "/api/v1/agenda/tasks/",
        {"kind": "errand", "description": "x", "assignee_id": int(big), "due_date": "2030-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "assignee_id" in api.json()
    page = mayor.post("/agenda/tareas/nueva/", {"kind": "errand", "description": "x", "assignee": big,
                                                 "due_date": "2030-01-01", "activity": big})  # fmt: skip
    assert page.status_code == 400 and 'id="id_assignee_error"' in page.content.decode()
    assert "La actividad de origen ya no existe" in page.content.decode()
