"""Initiatives benchmark: the portfolio and the level-3 page of a big municipality.

    ./dev bench initiatives.py                      # 50 initiatives x 20 milestones x 52 reports
    ./dev bench initiatives.py --runs 100 --keep    # more runs; keep the database to look at it

The issue asks that, with 50 initiatives x 20 milestones x 52 weekly reports in one
municipality (52,000 report lines), `/iniciativas/` and `/iniciativas/nivel/3/` each answer
in under 150 ms at the median, in a bounded number of queries (the query count is asserted
in tests/initiatives/test_query_counts.py; the timing lives here).

Runs on a database of its own (`--db`, default sigobito_bench_initiatives, on the server of
DATABASE_URL), created and dropped by the script, so the development data is untouched. The
fixture is written with bulk_create (the services would take minutes for 50,000 rows) but is
consistent: programming closed with baselines, finish-to-start chains, milestones done on the
way, weekly reports with a line per milestone, the latest report's progress on each
milestone, and open ARO at every level with their movements. Each page is requested through
Django's test client as the municipality's mayor, with production settings (DEBUG off,
cached templates). Prints the median and p95 time per request and the queries per request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402  (bench/ is on the path: the scripts run as files)
from benchlib import percentile  # noqa: E402

SLUG = "bench-iniciativas"
TARGET_MS = 150


def build(*, initiatives: int, milestones: int, weeks: int, manager_id: int, follow_up_id: int) -> dict[str, int]:
    """Fill the current municipality's schema. Returns the row counts."""
    from django.utils import timezone

    from tenants.initiatives import rules
    from tenants.initiatives.cycle import cycle_day, local_today
    from tenants.initiatives.models import (
        Aro,
        AroKind,
        AroMovement,
        AroStep,
        AroType,
        DateChange,
        DateChangeKind,
        Initiative,
        Milestone,
        ProductKind,
        ReportLine,
        Status,
        WeeklyReport,
    )

    today = local_today()
    day = cycle_day()
    this_week = rules.week_start(today, day)
    first_week = this_week - timedelta(days=7 * (weeks - 1))
    start = first_week - timedelta(days=3)
    target = today + timedelta(days=180)
    closed_at = timezone.now() - (today - start)
    kinds = list(ProductKind.values)

    rows = Initiative.objects.bulk_create(
        Initiative(
            name=f"Iniciativa {i + 1:03d}: mejora del servicio {i % 7 + 1}",
            objective="Que las familias del municipio reciban un servicio mejor y a tiempo.",
            product_kind=kinds[i % len(kinds)],
            manager_id=manager_id,
            follow_up_id=follow_up_id,
            start_date=start,
            target_date=target,
            status=Status.IN_EXECUTION,
            programming_closed_at=closed_at,
            is_public=i % 5 == 0,
            population_reached=1000 + 37 * i,
        )
        for i in range(initiatives)
    )

    # Milestones evenly from start to target; a quarter of the initiatives run 3 weeks behind
    # (their current milestone is late), the rest are on the line.
    span = (target - start).days
    ms: list[Milestone] = []
    done_on: dict[tuple[int, int], date | None] = {}
    for i, initiative in enumerate(rows):
        behind = i % 4 == 0
        for k in range(milestones):
            due = start + timedelta(days=round((k + 1) * span / milestones))
            finished = due + timedelta(days=21 if behind else -2)
            completed = finished if finished < today - timedelta(days=3) else None
            done_on[(initiative.pk, k)] = completed
            ms.append(
                Milestone(
                    initiative=initiative,
                    position=k + 1,
                    name=f"Meta intermedia {k + 1} de {initiative.pk}",
                    due_date=due,
                    baseline_due_date=due,
                    responsible_id=manager_id if k % 2 else follow_up_id,
                    weight=1 + k % 3,
                    progress=100 if completed else 0,
                    completed_on=completed,
                    evidence_text="Acta de cumplimiento firmada." if completed else "",
                    communication_opportunity=k % 6 == 0,
                )
            )
    ms = Milestone.objects.bulk_create(ms)
    by_initiative: dict[int, list[Milestone]] = {}
    for m in ms:
        by_initiative.setdefault(m.initiative_id, []).append(m)
    Through = Milestone.depends_on.through
    Through.objects.bulk_create(
        Through(from_milestone_id=later.pk, to_milestone_id=earlier.pk)
        for chain in by_initiative.values()
        for earlier, later in pairwise(chain)
    )
    DateChange.objects.bulk_create(
        DateChange(milestone=m, kind=DateChangeKind.BASELINE, new_due_date=m.due_date, actor_label="bench") for m in ms
    )

    # 52 weekly reports per initiative, each with a line per milestone: the progress the
    # straight line expects by the end of that week (a behind initiative lags 30 points),
    # 100 once done.
    reports = WeeklyReport.objects.bulk_create(
        WeeklyReport(
            initiative=initiative,
            week_start=first_week + timedelta(days=7 * w),
            submitted_by_id=manager_id,
            narrative=f"Semana {w + 1}: avance según lo programado.",
            submitted_by_label="bench",
        )
        for initiative in rows
        for w in range(weeks)
    )
    starts = {
        pk: rules.milestone_starts(start, {m.pk: m.due_date for m in chain}, {b.pk: [a.pk] for a, b in pairwise(chain)})
        for pk, chain in by_initiative.items()
    }
    behind_ids = {initiative.pk for i, initiative in enumerate(rows) if i % 4 == 0}
    latest: dict[int, int] = {}
    lines: list[ReportLine] = []
    for report in reports:
        as_of = min(report.week_start + timedelta(days=4), today)
        chain = by_initiative[report.initiative_id]
        for k, m in enumerate(chain):
            completed = done_on[(report.initiative_id, k)]
            if completed is not None and completed <= as_of:
                value = 100
            else:
                s = starts[report.initiative_id][m.pk]
                value = rules.expected_progress(start=s, due=m.due_date, today=as_of)
                value = max(0, min(99, value - (30 if report.initiative_id in behind_ids else 0)))
            lines.append(ReportLine(report=report, milestone=m, progress=value))
            if report.week_start == this_week:
                latest[m.pk] = value
    ReportLine.objects.bulk_create(lines, batch_size=5000)
    for m in ms:
        if m.completed_on is None:
            m.progress = latest.get(m.pk, 0)
    Milestone.objects.bulk_update([m for m in ms if m.completed_on is None], ["progress"], batch_size=2000)

    # ARO: 60 open (25 at level 1, 20 at level 2, 15 at level 3 awaiting the mayor) and 40
    # closed, on the pending milestones, each with its movements.
    types = list(AroType.objects.all())
    aro_kinds = [AroKind.RESTRICTION, AroKind.ALERT, AroKind.ALERT, AroKind.OPPORTUNITY]
    plan = [1] * 25 + [2] * 20 + [3] * 15 + [0] * 40  # 0: closed
    aros = []
    for n, level in enumerate(plan):
        initiative = rows[(n * 7) % len(rows)]
        pending = [m for m in by_initiative[initiative.pk] if m.completed_on is None]
        aros.append(
            Aro(
                initiative=initiative,
                milestone=pending[n % len(pending)] if pending and n % 5 else None,
                kind=aro_kinds[n % len(aro_kinds)],
                aro_type=types[n % len(types)],
                description=f"Problema {n + 1}: el proveedor no entrega a tiempo los materiales.",
                proposed_action="Buscar otro proveedor.",
                required_decision="Autorizar la compra directa.",
                level=level or 1 + n % 3,
                awaiting_decision=bool(level),
                is_open=bool(level),
                raised_on=today - timedelta(days=n % 40),
                closed_on=None if level else today - timedelta(days=1),
                resolution="" if level else "Resuelto con otro proveedor.",
                raised_by_id=manager_id,
                raised_by_label="bench",
            )
        )
    aros = Aro.objects.bulk_create(aros)
    moves = []
    for aro in aros:
        moves.append(AroMovement(aro=aro, step=AroStep.RAISED, to_level=1, actor_label="bench"))
        for lvl in range(2, aro.level + 1):
            moves.append(
                AroMovement(
                    aro=aro,
                    step=AroStep.ESCALATED,
                    from_level=lvl - 1,
                    to_level=lvl,
                    comment="Se eleva.",
                    actor_label="bench",
                )
            )
        if not aro.is_open:
            moves.append(AroMovement(aro=aro, step=AroStep.CLOSED, from_level=aro.level, actor_label="bench"))
    AroMovement.objects.bulk_create(moves)
    return {
        "initiatives": len(rows),
        "milestones": len(ms),
        "reports": len(reports),
        "report lines": len(lines),
        "ARO": len(aros),
        "open ARO at level 3": sum(1 for a in aros if a.is_open and a.level == 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--initiatives", type=int, default=50)
    parser.add_argument("--milestones", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--db", default="sigobito_bench_initiatives", help="the throwaway database's name")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one request per page")
    args = parser.parse_args()

    bench_db = args.db
    server = benchlib.create(bench_db, DEBUG="0")

    import warnings

    import django

    # Whitenoise warns that STATIC_ROOT was never collected; the bench does not serve files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from tenants import services
    from tenants.accounts.services import user_create_or_update
    from tenants.db import use_municipality, use_public_schema
    from tenants.roles import MunicipalRole

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t0:.1f} s")
        result = services.municipality_create(
            actor=None,
            name="Municipio de referencia",
            slug=SLUG,
            country="CO",
            time_zone="America/Bogota",
            admin_email="admin@bench.test",
        )
        municipality = result.municipality
        people = {}
        for role, email in [
            (MunicipalRole.MAYOR, "titular@bench.test"),
            (MunicipalRole.INITIATIVE_MANAGER, "gerente@bench.test"),
            (MunicipalRole.INSTITUTIONAL_FOLLOW_UP, "seguimiento@bench.test"),
        ]:
            people[role] = user_create_or_update(email=email, full_name=f"Persona {role}")
            services.membership_grant(actor=None, municipality=municipality, user=people[role], role=role)

        use_municipality(municipality)
        t0 = time.perf_counter()
        counts = build(
            initiatives=args.initiatives,
            milestones=args.milestones,
            weeks=args.weeks,
            manager_id=people[MunicipalRole.INITIATIVE_MANAGER].pk,
            follow_up_id=people[MunicipalRole.INSTITUTIONAL_FOLLOW_UP].pk,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        use_public_schema()
        print(f"fixture in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

        client = Client(HTTP_HOST=f"{SLUG}.{settings.PLATFORM_DOMAIN}")
        client.force_login(people[MunicipalRole.MAYOR])
        # Production settings hash static file names from a manifest that `collectstatic`
        # writes at image build time; the bench serves them unhashed instead.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            for url in ("/iniciativas/", "/iniciativas/nivel/3/"):
                for _ in range(args.warmup):
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                times = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - t0)
                    assert response.status_code == 200
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                median = statistics.median(times) * 1000
                verdict = "ok" if median < TARGET_MS else f"OVER the {TARGET_MS} ms target"
                print(
                    f"GET {url:24} median {median:6.1f} ms, p95 {percentile(times, 0.95) * 1000:6.1f} ms, "
                    f"{len(queries)} queries, {len(response.content) // 1024} KiB  ({args.runs} runs; {verdict})"
                )
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    profiler.enable()
                    client.get(url)
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    finally:
        if not args.keep:
            benchlib.drop(server, bench_db)


if __name__ == "__main__":
    main()
