"""Demo agenda for the demo municipalities: this week's activities (public and private, one
pair overlapping), requests in every state (one waiting too long), and commitments (one
overdue). Everything goes through the services as the agenda manager; idempotent; times
are relative to the municipality's today, in its time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction

from tenants.accounts.models import User
from tenants.agenda import services
from tenants.agenda.models import Activity, ActivityStatus, RequestStatus
from tenants.db import local_today, local_tz
from tenants.initiatives.models import Initiative
from tenants.roles import MunicipalRole as R
from tenants.structure.models import Actor, NetworkMember, Place, Theme

OUTCOME = "Se acordaron los próximos pasos con la comunidad."
DECLINE = "Agradecemos la invitación; el titular tiene otro compromiso ese día."


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(local_today() + timedelta(days=days), time(hour, minute), tzinfo=local_tz())


def load_agenda(*, slug: str, people: dict[str, tuple[str, str]]) -> None:
    """Fill the current municipality's schema. `people`: role -> (full name, email)."""
    if Activity.objects.exists():
        return
    email = people[R.AGENDA_MANAGER][1]
    manager = User.objects.filter(email__iexact=email).first()
    places = list(Place.objects.filter(is_active=True).order_by("pk")[:4])
    themes = list(Theme.objects.filter(is_active=True, depth__gte=2).order_by("pk")[:4])
    actors = list(Actor.objects.filter(is_active=True).order_by("pk")[:4])
    network = list(NetworkMember.objects.filter(is_active=True).order_by("pk")[:4])
    initiative = Initiative.objects.order_by("pk").first()

    def place(n: int) -> Place | None:
        return places[n % len(places)] if places else None

    def pick(items: list, n: int) -> list:  # type: ignore[type-arg]
        return [items[n % len(items)]] if items else []

    plans = [
        # days from today, start, end, kind, public, status, title
        (-2, (9, 0), (10, 30), "meeting", False, ActivityStatus.DONE, "Gabinete municipal semanal"),
        (-1, (15, 0), (17, 0), "field_visit", True, ActivityStatus.DONE, "Recorrido por la obra de agua potable"),
        (0, (8, 30), (9, 30), "media", True, ActivityStatus.CONFIRMED, "Entrevista en la radio comunitaria"),
        (0, (10, 0), (12, 0), "audience", False, ActivityStatus.CONFIRMED, "Audiencias ciudadanas de los martes"),
        (0, (11, 30), (12, 30), "meeting", False, ActivityStatus.CONFIRMED, "Reunión con el comité de metas"),
        (1, (16, 0), (18, 0), "event", True, ActivityStatus.CONFIRMED, "Inauguración de la cancha del barrio"),
        (2, (9, 0), (11, 0), "ceremony", True, ActivityStatus.TENTATIVE, "Acto cívico en la escuela central"),
        (4, (14, 0), (16, 0), "internal", False, ActivityStatus.TENTATIVE, "Revisión del presupuesto participativo"),
    ]
    with transaction.atomic():
        made: list[Activity] = []
        for n, (days, start, end, kind, public, status, title) in enumerate(plans):
            activity, _overlaps = services.activity_save(
                actor=manager,
                data={
                    "title": title, "kind": kind, "is_public": public, "status": status,
                    "starts_at": _at(days, *start), "ends_at": _at(days, *end), "place": place(n),
                    "themes": pick(themes, n), "actors": pick(actors, n), "participants": pick(network, n),
                    "initiative": initiative if n == 1 else None,
                    "preparation_notes": "Llevar el informe de avance y la lista de compromisos anteriores.",
                    "outcome_notes": OUTCOME if status == ActivityStatus.DONE else "",
                },
            )  # fmt: skip
            made.append(activity)

        requests = [
            ("audience", "letter", "Audiencia de la junta de vecinos del sector norte", 1, None),
            ("invitation", "email", "Invitación a la feria agropecuaria regional", 2, RequestStatus.IN_ANALYSIS),
            ("direct_attention", "in_person", "Reclamo por el alumbrado de la calle principal", 9, None),
            ("audience", "phone", "Cooperativa de transporte solicita reunión", 3, RequestStatus.ACCEPTED),
            ("invitation", "web_form", "Graduación del instituto técnico", 4, RequestStatus.DECLINED),
            ("direct_attention", "letter", "Solicitud de apoyo para la escuela rural", 5, RequestStatus.DELEGATED),
        ]
        for n, (kind, channel, subject, days_ago, target) in enumerate(requests):
            request = services.request_register(
                actor=manager,
                data={
                    "kind": kind, "channel": channel, "subject": subject,
                    "contact_name": "" if actors and n % 2 == 0 else "María Elena Ramírez",
                    "requester": actors[n % len(actors)] if actors and n % 2 == 0 else None,
                    "received_at": _at(-days_ago, 10), "proposed_start": _at(3 + n, 10), "proposed_end": _at(3 + n, 11),
                    "themes": pick(themes, n), "places": [p for p in [place(n)] if p],
                },
            )  # fmt: skip
            if target is None:
                continue
            if target == RequestStatus.DELEGATED and not network:
                continue
            services.request_transition(
                actor=manager, request=request, to_status=target,
                reply=DECLINE if target == RequestStatus.DECLINED else "",
                delegated_to=network[0] if target == RequestStatus.DELEGATED else None,
                delegated_due=local_today() + timedelta(days=7) if target == RequestStatus.DELEGATED else None,
            )  # fmt: skip

        if network:
            tasks = [
                (
                    "commitment",
                    "Enviar la cuadrilla a reparar las luminarias de la calle principal",
                    -2,
                    "high",
                    made[1],
                ),
                (
                    "instruction",
                    "Preparar el informe de avance de la obra de agua para el concejo",
                    1,
                    "medium",
                    made[0],
                ),
                ("errand", "Coordinar con la radio la difusión de la feria", 5, "low", None),
            ]
            for n, (kind, description, due, priority, origin) in enumerate(tasks):
                services.task_save(
                    actor=manager,
                    data={
                        "kind": kind, "description": description, "assignee": network[n % len(network)],
                        "due_date": local_today() + timedelta(days=due), "priority": priority, "activity": origin,
                    },
                )  # fmt: skip
