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
import sys
import time
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402  (bench/ is on the path: the scripts run as files)

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
    benchlib.add_run_arguments(parser, db="sigobito_bench_initiatives")
    args = parser.parse_args()

    with benchlib.django_database(args.db, keep=args.keep, DEBUG="0"):
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from tenants.db import use_municipality, use_public_schema
        from tenants.roles import MunicipalRole

        municipality, people = benchlib.municipality_with_people(
            slug=SLUG,
            people=[
                (MunicipalRole.MAYOR, "titular@bench.test"),
                (MunicipalRole.INITIATIVE_MANAGER, "gerente@bench.test"),
                (MunicipalRole.INSTITUTIONAL_FOLLOW_UP, "seguimiento@bench.test"),
            ],
        )
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
        with benchlib.unhashed_static():
            for url in ("/iniciativas/", "/iniciativas/nivel/3/"):
                benchlib.measure(
                    client,
                    url,
                    label=f"{url:24}",
                    runs=args.runs,
                    warmup=args.warmup,
                    target_ms=TARGET_MS,
                    profile=args.profile,
                )


if __name__ == "__main__":
    main()
