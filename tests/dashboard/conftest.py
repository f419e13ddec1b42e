from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tenants.agenda import services as agenda_services
from tenants.agenda.models import Activity, Request, Task
from tenants.communications import services as communications_services
from tenants.communications.models import ActionStatus, CommunicationAction
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import services as initiative_services
from tenants.initiatives.models import AroKind, AroType, Initiative, Status
from tenants.initiatives.services.reports import reportable_weeks
from tests.agenda.conftest import in_days, member
from tests.communications.conftest import make_action, ready_piece
from tests.conftest import World
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    """Run service calls inside Alfa's schema, as a request to alfa.localhost would."""
    use_municipality(w.alfa)
    yield w
    use_public_schema()


@dataclass
class Made:
    initiatives: list[Initiative] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    private_today: Activity | None = None
    tasks: list[Task] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    actions: list[CommunicationAction] = field(default_factory=list)


def fill(w: World, first: int = 0, last: int = 3, made: Made | None = None) -> Made:
    """A bit of everything the dashboard counts, numbered first..last-1 (call inside Alfa).
    Each round adds: an initiative in execution with reports (every third one without any,
    so stale), ARO at levels 1, 2 and 3 (and one at level 1 of an initiative managed by
    someone else), a public and a private activity today and one later this week, overdue,
    due-soon and later tasks, a late and a fresh request, and communication actions planned
    this week (one published now)."""
    made = made or Made()
    types = list(AroType.objects.all())
    carlos = member(f"Carlos {first}", f"carlos{first}@alfa.test")
    today = local_today()
    for n in range(first, last):
        manager = w.manager_alfa if n % 2 == 0 else w.followup_alfa
        initiative, milestones = make_initiative(
            w, name=f"Iniciativa del tablero {n:02d}", milestones=3, close=True, manager_id=manager.pk
        )
        initiative = initiative_services.initiative_set_status(
            actor=None, initiative=initiative, status=Status.IN_EXECUTION
        )
        if n % 3 == 0:
            # Closed a month ago and never reported: stale (a new one gets a week of grace).
            Initiative.objects.filter(pk=initiative.pk).update(
                programming_closed_at=timezone.now() - timedelta(days=30)
            )
        else:
            for week in reversed(reportable_weeks(initiative, count=2)):
                initiative_services.report_submit(
                    actor=None, initiative=initiative, week_start=week, narrative="Avance.",
                    progress={m.pk: (5 * n, "") for m in milestones},
                )  # fmt: skip
        made.initiatives.append(initiative)
        for level, kind in ((1, AroKind.ALERT), (2, AroKind.OPPORTUNITY), (3, AroKind.RESTRICTION)):
            aro = initiative_services.aro_raise(
                actor=None, initiative=initiative, milestone=milestones[level - 1], kind=kind,
                aro_type=types[n % len(types)], description=f"Asunto de nivel {level} número {n}",
            )  # fmt: skip
            for _ in range(level - 1):
                aro = initiative_services.aro_escalate(actor=None, aro=aro, comment="Se eleva.")

        for title, public, days in (
            (f"Reunión pública {n}", True, 0),
            (f"Reunión privada del titular {n}", False, 0),
            (f"Visita de la semana {n}", True, 1),
        ):
            activity, _ = agenda_services.activity_save(
                actor=None,
                data={"title": title, "kind": "meeting", "is_public": public, "status": "confirmed",
                      "starts_at": in_days(days, 8 + n % 8), "ends_at": in_days(days, 9 + n % 8)},
            )  # fmt: skip
            made.activities.append(activity)
            if not public and made.private_today is None:
                made.private_today = activity

        for description, days in (
            (f"Tarea vencida {n}", -3),
            (f"Tarea que vence pronto {n}", 1),
            (f"Más tarde {n}", 9),
        ):
            made.tasks.append(
                agenda_services.task_save(
                    actor=None,
                    data={
                        "kind": "commitment",
                        "description": description,
                        "assignee": carlos,
                        "due_date": today + timedelta(days=days),
                    },
                )
            )
        for subject, days_ago in ((f"Solicitud olvidada {n}", 12), (f"Solicitud reciente {n}", 0)):
            made.requests.append(
                agenda_services.request_register(
                    actor=None,
                    data={
                        "kind": "audience",
                        "channel": "letter",
                        "subject": subject,
                        "contact_name": "Vecina",
                        "received_at": timezone.now() - timedelta(days=days_ago, minutes=5),
                    },
                )
            )
        made.actions.append(make_action(w, title=f"Acción de la semana {n}", planned_date=today))
        published = ready_piece(w).action
        published = communications_services.action_set_status(
            actor=w.editor_alfa, action=published, status=ActionStatus.PUBLISHED
        )
        made.actions.append(published)
    # One published long ago: not this week.
    old = ready_piece(w).action
    old = communications_services.action_set_status(actor=w.editor_alfa, action=old, status=ActionStatus.PUBLISHED)
    CommunicationAction.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - timedelta(days=30), planned_date=today - timedelta(days=30)
    )
    return made


def page_rows(response: Any) -> int:
    """How many rows a list page shows in all (every page of a paginated list)."""
    context = response.context
    if "page" in context and hasattr(context["page"], "paginator"):
        return int(context["page"].paginator.count)
    if "queue" in context:
        return len(context["queue"])
    return len(context["rows"])
