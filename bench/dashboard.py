"""Dashboard benchmark: the workspace home (with the municipal dashboard) and the full
dashboard page of a big municipality.

    ./dev bench dashboard.py                      # 50 initiatives, 1,000 milestones, 2,000 activities, 500 tasks
    ./dev bench dashboard.py --runs 100 --keep    # more runs; keep the database to look at it

The issue asks that, with the demo data scaled to 50 initiatives, 1,000 milestones, 2,000
agenda items and 500 commitments, the dashboard renders in under 200 ms at the median with
a fixed number of queries (the count is asserted in tests/dashboard/test_query_counts.py;
the timing lives here).

Runs on a database of its own (`--db`, default sigobito_bench_dashboard, on the server of
DATABASE_URL), created and dropped by the script. The fixture starts from the demo
structure of Villa Esperanza (its themes, places with coordinates and management network,
loaded through the services) and scales it with bulk_create: the initiatives of
bench/initiatives.py (50 x 20 milestones, weekly reports, open ARO at every level) placed
and themed, 2,000 activities over a year around today (public and private, a handful every
day), 500 tasks and commitments (overdue, due soon, later, done), 200 requests in every
state, 300 communication actions (a third published) and the weekly snapshots of this week
and the twelve before. Each page is requested through Django's test client as the
municipality's mayor, with production settings (DEBUG off, cached templates). Prints the
median and p95 time per request and the queries per request.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402  (bench/ is on the path: the scripts run as files)

SLUG = "bench-tablero"
DEMO_SLUG = "villa-esperanza"  # whose demo structure (places, themes, network) is loaded
TARGET_MS = 200


def build_rest(*, activities: int, tasks: int, requests: int, actions: int, editor_id: int) -> dict[str, int]:
    """Agenda, tasks, requests and communication actions in the current schema (after the
    structure and the initiatives). Returns the row counts."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from tenants.agenda.models import (
        Activity,
        ActivityKind,
        ActivityStatus,
        Request,
        RequestChannel,
        RequestKind,
        RequestStatus,
        Task,
        TaskKind,
        TaskPriority,
        TaskStatus,
    )
    from tenants.communications.models import ActionStatus, CommunicationAction, Origin
    from tenants.db import current_municipality, local_today
    from tenants.initiatives.models import Initiative
    from tenants.structure.models import NetworkMember, Place, Theme

    tz = ZoneInfo(current_municipality().time_zone)
    today = local_today()
    places = list(Place.objects.order_by("pk"))
    themes = list(Theme.objects.filter(depth__gte=2).order_by("pk")) or list(Theme.objects.order_by("pk"))
    network = list(NetworkMember.objects.order_by("pk"))
    initiatives = list(Initiative.objects.order_by("pk"))

    # Initiatives on the map and in the plan's axes.
    Initiative.places.through.objects.bulk_create(
        Initiative.places.through(initiative_id=i.pk, place_id=places[n % len(places)].pk)
        for n, i in enumerate(initiatives)
    )
    Initiative.themes.through.objects.bulk_create(
        Initiative.themes.through(initiative_id=i.pk, theme_id=themes[n % len(themes)].pk)
        for n, i in enumerate(initiatives)
    )

    # Activities: a year around today (half before, half after), ~5 a day from 7:00, one
    # in three private; past ones done, a few cancelled.
    kinds = list(ActivityKind.values)
    days_span = 366
    rows = []
    for n in range(activities):
        day = today + timedelta(days=n * days_span // activities - days_span // 2)
        start = datetime(day.year, day.month, day.day, 7 + (n % 6) * 2, 0, tzinfo=tz)
        status = (
            ActivityStatus.CANCELLED
            if n % 23 == 0
            else ActivityStatus.DONE
            if day < today
            else ActivityStatus.CONFIRMED
            if n % 3
            else ActivityStatus.TENTATIVE
        )
        rows.append(
            Activity(
                title=f"Actividad {n + 1}: reunión con la comunidad",
                kind=kinds[n % len(kinds)],
                is_public=n % 3 != 0,
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                place=places[n % len(places)] if n % 4 else None,
                status=status,
                created_by_label="bench",
            )
        )
    made = Activity.objects.bulk_create(rows, batch_size=1000)
    Activity.themes.through.objects.bulk_create(
        (Activity.themes.through(activity_id=a.pk, theme_id=themes[n % len(themes)].pk) for n, a in enumerate(made)),
        batch_size=2000,
    )

    # Tasks and commitments: due from two months back to two months ahead; those due in
    # the past mostly done, a fifth of them still open (overdue).
    task_rows = []
    for n in range(tasks):
        due = today + timedelta(days=(n * 120) // tasks - 60)
        done = due < today and n % 5 != 0
        task_rows.append(
            Task(
                kind=list(TaskKind.values)[n % 3],
                description=f"Compromiso {n + 1}: dar respuesta a la junta vecinal",
                assignee=network[n % len(network)],
                due_date=due,
                priority=list(TaskPriority.values)[n % 3],
                status=TaskStatus.DONE if done else TaskStatus.IN_PROGRESS if n % 2 else TaskStatus.PENDING,
                completed_on=due if done else None,
                activity=made[n % len(made)] if n % 3 == 0 else None,
            )
        )
    Task.objects.bulk_create(task_rows, batch_size=1000)

    # Requests in every state, received over the last two months.
    statuses = list(RequestStatus.values)
    now = timezone.now()
    request_rows = []
    for n in range(requests):
        status = statuses[n % len(statuses)]
        received = now - timedelta(days=(n * 60) // requests, hours=n % 9)
        request_rows.append(
            Request(
                reference=f"SOL-{n + 1:05d}",
                kind=list(RequestKind.values)[n % 3],
                channel=list(RequestChannel.values)[n % 5],
                contact_name=f"Vecina {n + 1}",
                subject=f"Solicitud {n + 1}: audiencia sobre el alumbrado",
                status=status,
                status_since=received,
                received_at=received,
                delegated_to=network[n % len(network)] if status == RequestStatus.DELEGATED else None,
                reply="Gracias." if status in (RequestStatus.DECLINED, RequestStatus.CLOSED) else "",
            )
        )
    Request.objects.bulk_create(request_rows, batch_size=1000)

    # Communication actions planned over three months around today; a third published.
    action_rows = []
    for n in range(actions):
        planned = today + timedelta(days=(n * 90) // actions - 45)
        published = planned <= today and n % 3 == 0
        action_rows.append(
            CommunicationAction(
                title=f"Acción comunicacional {n + 1}",
                origin=Origin.INSTITUTIONAL,
                message="Informar a la población de los avances.",
                audience="Vecinos del municipio",
                editor_id=editor_id,
                planned_date=planned,
                status=ActionStatus.PUBLISHED
                if published
                else ActionStatus.IN_PREPARATION
                if n % 2
                else ActionStatus.IDENTIFIED,
                published_at=datetime(planned.year, planned.month, planned.day, 10, tzinfo=tz) if published else None,
                created_by_label="bench",
            )
        )
    CommunicationAction.objects.bulk_create(action_rows, batch_size=1000)
    return {
        "activities": len(made),
        "tasks": len(task_rows),
        "requests": len(request_rows),
        "communication actions": len(action_rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--initiatives", type=int, default=50)
    parser.add_argument("--milestones", type=int, default=20, help="per initiative")
    parser.add_argument("--weeks", type=int, default=12, help="weekly reports per initiative")
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--actions", type=int, default=300)
    benchlib.add_run_arguments(parser, db="sigobito_bench_dashboard")
    args = parser.parse_args()

    with benchlib.django_database(args.db, keep=args.keep, DEBUG="0"):
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from initiatives import build as build_initiatives  # bench/initiatives.py

        from tenants.dashboard.services import snapshot_take
        from tenants.db import local_today, use_municipality, use_public_schema
        from tenants.roles import MunicipalRole
        from tenants.structure.demo import load_structure

        municipality, people = benchlib.municipality_with_people(
            slug=SLUG,
            people=[
                (MunicipalRole.MAYOR, "titular@bench.test"),
                (MunicipalRole.AGENDA_MANAGER, "agenda@bench.test"),
                (MunicipalRole.INITIATIVE_MANAGER, "gerente@bench.test"),
                (MunicipalRole.INSTITUTIONAL_FOLLOW_UP, "seguimiento@bench.test"),
                (MunicipalRole.COMMUNICATIONS_EDITOR, "comunicacion@bench.test"),
            ],
        )
        use_municipality(municipality)
        t0 = time.perf_counter()
        load_structure(slug=DEMO_SLUG, people={role: (u.full_name, u.email) for role, u in people.items()})
        counts = build_initiatives(
            initiatives=args.initiatives,
            milestones=args.milestones,
            weeks=args.weeks,
            manager_id=people[MunicipalRole.INITIATIVE_MANAGER].pk,
            follow_up_id=people[MunicipalRole.INSTITUTIONAL_FOLLOW_UP].pk,
        )
        counts.update(
            build_rest(
                activities=args.activities,
                tasks=args.tasks,
                requests=args.requests,
                actions=args.actions,
                editor_id=people[MunicipalRole.COMMUNICATIONS_EDITOR].pk,
            )
        )
        today = local_today()
        for week in range(12, -1, -1):
            snapshot_take(today=today - timedelta(days=7 * week))
        counts["weekly snapshots"] = 13
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        use_public_schema()
        print(f"fixture in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

        viewers = [("mayor", MunicipalRole.MAYOR), ("communications editor", MunicipalRole.COMMUNICATIONS_EDITOR)]
        with benchlib.unhashed_static():
            for who, role in viewers:
                client = Client(HTTP_HOST=f"{SLUG}.{settings.PLATFORM_DOMAIN}")
                client.force_login(people[role])
                for url in ("/", "/tablero/"):
                    benchlib.measure(
                        client,
                        url,
                        label=f"{url:10} as {who:22}",
                        runs=args.runs,
                        warmup=args.warmup,
                        target_ms=TARGET_MS,
                        profile=args.profile,
                    )


if __name__ == "__main__":
    main()
