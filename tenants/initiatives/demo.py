"""Demo priority initiatives for the three demo municipalities: a varied portfolio whose
traffic lights show every state relative to today (late, at risk, on time, done, none), with
weekly reports for the past weeks, ARO at every level (one restriction waiting for the
mayor), a reprogramming caused by a restriction, and citizens' opinions.

Everything goes through the services, acting as the demo person of the right role, so the
audit trail, the history and the outbox look like real use. Idempotent: a municipality that
already has initiatives is left alone. Dates are relative to the municipality's today.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from django.core import signing
from django.db import transaction

from tenants.accounts.models import User
from tenants.db import local_today
from tenants.initiatives import rules, services

# Who a milestone's `who` letter names.
from tenants.initiatives.demo_data import ARCHETYPES, LOCAL, NOTES, PLANS, WHO, Archetype, Plan, Problem
from tenants.initiatives.models import (
    Aro,
    AroKind,
    AroType,
    Initiative,
    Milestone,
    OpinionStatus,
    Status,
)
from tenants.initiatives.services.opinions import FORM_SALT
from tenants.initiatives.services.reports import reportable_weeks
from tenants.roles import MunicipalRole as R
from tenants.structure.models import Actor, Place, Theme


@dataclass
class Calendar:
    start: int
    target: int
    dues: list[int]
    done: dict[int, int]  # milestone index -> completed on
    current: int  # the milestone in progress today (-1: none)


# scenario -> (start, due of the last completed milestone, due of the current one, target)
SHAPES = {
    "level3": (-150, -40, 15, 210),
    "late": (-160, -60, -9, 200),
    "at_risk": (-120, -30, 25, 230),
    "lagging": (-120, -30, 30, 240),
    "reprogrammed": (-140, -40, -5, 220),  # the current one is moved to +20 by a restriction
    "on_time": (-100, -25, 20, 200),
    "suspended": (-90, -35, 30, 240),
}
REPROGRAMMED_TO = 20
JITTER = (-4, 2, -1, 5, 0, -2)


def _spread(first: int, last: int, count: int) -> list[int]:
    """`count` days from `first` to `last`, evenly (ending on `last`)."""
    if count <= 0:
        return []
    if count == 1:
        return [last]
    return [first + round(k * (last - first) / (count - 1)) for k in range(count)]


def calendar(scenario: str, archetype: Archetype) -> Calendar:
    n = len(archetype.steps)
    if scenario == "done":
        start, target = -250, -14
        dues = _spread(start + (-20 - start) // n, -20, n)
        return Calendar(start, target, dues, _completions(dues, n, start), -1)
    if scenario == "draft":
        start, target = 14, 300
        return Calendar(start, target, _spread(start + 40, 290, n), {}, -1)
    if scenario in ("level3", "reprogrammed"):
        current = archetype.restriction.at
    elif scenario == "at_risk":
        current = archetype.alert.at
    else:
        current = archetype.current
    start, last_done, due_current, target = SHAPES[scenario]
    before = _spread(start + (last_done - start) // max(current, 1), last_done, current)
    after_first = max(due_current, REPROGRAMMED_TO) + 30
    after = _spread(after_first, target - 10, n - current - 1)
    dues = [*before, due_current, *after]
    return Calendar(start, target, dues, _completions(dues, current, start), current)


def _completions(dues: list[int], count: int, start: int) -> dict[int, int]:
    """The first `count` milestones done a few days around their due date, in order, and
    never later than three days ago."""
    done: dict[int, int] = {}
    previous = start
    for i in range(count):
        day = min(max(dues[i] + JITTER[i % len(JITTER)], previous, start), -3)
        done[i] = day
        previous = day
    return done


# --- Loading -----------------------------------------------------------------------------------


class _PastSigner(signing.TimestampSigner):
    """Signs the opinion-form token as if the form had been opened two minutes ago (the
    service refuses forms filled faster than a person can)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 120)


def _people(people: dict[str, tuple[str, str]]) -> dict[str, User]:
    emails = {role: email for role, (_name, email) in people.items()}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails.values())}
    return {role: users[email.lower()] for role, email in emails.items()}


def _fresh(pk: int) -> tuple[Initiative, list[Milestone]]:
    """Re-read the initiative and its milestones: services return new objects, and a
    milestone's cached initiative must show the current status and programming state."""
    initiative = Initiative.objects.get(pk=pk)
    milestones = list(Milestone.objects.filter(initiative=initiative).order_by("position", "pk"))
    for m in milestones:
        m.initiative = initiative
    return initiative, milestones


def load_initiatives(*, slug: str, people: dict[str, tuple[str, str]]) -> None:
    """Fill the current municipality's schema. `people`: role -> (full name, email)."""
    if Initiative.objects.exists():
        return
    users = _people(people)
    words = LOCAL[slug]
    with transaction.atomic():
        for number, plan in enumerate(PLANS[slug]):
            _load_plan(plan, users, words, number)


def _load_plan(plan: Plan, users: dict[str, User], local: dict[str, str], number: int) -> None:
    archetype = ARCHETYPES[plan.archetype]
    words = {**local, "place": plan.place}
    manager, follow_up, mayor = users[R.INITIATIVE_MANAGER], users[R.INSTITUTIONAL_FOLLOW_UP], users[R.MAYOR]
    today = local_today()

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    def text(value: str) -> str:
        return value.format(**words)

    cal = calendar(plan.scenario, archetype)
    places = list(Place.objects.filter(code__in=plan.places))
    actors = list(Actor.objects.filter(name__in=plan.actors))
    initiative = services.initiative_save(
        actor=manager,
        data={
            "name": plan.name,
            "objective": text(archetype.objective),
            "description": text(archetype.description),
            "product_kind": archetype.product_kind,
            "manager_id": manager.pk,
            "follow_up_id": follow_up.pk,
            "population_reached": plan.population,
            "budget": Decimal(plan.budget),
            "funding_source": plan.funding,
            "start_date": day(cal.start),
            "target_date": day(cal.target),
            "is_public": plan.public,
            "share_with_community": plan.share,
            "themes": list(Theme.objects.filter(code__in=plan.themes)),
            "places": places,
            "actors": actors,
        },
    )
    made: list[Milestone] = []
    for index, step in enumerate(archetype.steps):
        made.append(
            services.milestone_save(
                actor=manager,
                initiative=initiative,
                data={
                    "name": text(step.name),
                    "due_date": day(cal.dues[index]),
                    "responsible_id": users[WHO[step.who]].pk,
                    "weight": step.weight,
                    "risks": step.risks,
                    "communication_opportunity": step.comm,
                    "depends_on": made[-1:],  # finish-to-start: each waits for the previous one
                    "places": places if step.on_site else [],
                    "actors": actors if step.with_actors else [],
                },
            )
        )
    if plan.scenario == "draft":
        return
    initiative = services.programming_close(actor=manager, initiative=initiative)
    services.initiative_set_status(actor=manager, initiative=initiative, status=Status.IN_EXECUTION)

    aro_types = {t.key: t for t in AroType.objects.exclude(key=None)}

    def raise_aro(kind: str, problem: Problem, milestone: Milestone | None, share: bool = False) -> Aro:
        return services.aro_raise(
            actor=manager, initiative=initiative, kind=kind, aro_type=aro_types[problem.aro_type],
            description=text(problem.description), milestone=milestone, proposed_action=text(problem.action),
            required_decision=text(problem.decision), share_with_community=share,
        )  # fmt: skip

    initiative, milestones = _fresh(initiative.pk)
    if plan.scenario == "reprogrammed":
        # A restriction hit the current milestone: the goals committee decided, the milestone
        # was reprogrammed citing the restriction, and the restriction was closed.
        problem = archetype.restriction
        current = milestones[cal.current]
        aro = raise_aro(AroKind.RESTRICTION, problem, current)
        aro = services.aro_escalate(actor=manager, aro=aro, comment="Requiere una decisión del comité de metas.")
        aro = services.aro_decide(actor=follow_up, aro=aro, decision=text(problem.decision))
        services.milestone_reprogram(
            actor=manager,
            milestone=current,
            new_due=day(REPROGRAMMED_TO),
            reason=f"{text(problem.description)} Se reprograma según la decisión del comité de metas.",
            restriction=aro,
        )
        services.aro_close(actor=follow_up, aro=aro, resolution="Resuelta: la meta se reprogramó y ya avanza.")
        initiative, milestones = _fresh(initiative.pk)

    reporter = follow_up if number % 3 == 2 else manager  # follow-up files some in the manager's absence
    _report_weeks(plan, initiative, milestones, reporter=reporter, cal=cal, today=today, words=words)
    initiative, milestones = _fresh(initiative.pk)

    if plan.scenario == "level3":
        # A restriction neither the manager nor the committee can solve: it waits for the mayor.
        aro = raise_aro(AroKind.RESTRICTION, archetype.restriction, milestones[cal.current], share=plan.share)
        aro = services.aro_escalate(
            actor=manager, aro=aro, comment="No se resuelve en la gerencia: se necesitan fondos y una negociación."
        )
        services.aro_escalate(
            actor=follow_up, aro=aro, comment="El comité de metas la eleva al despacho: es una decisión política."
        )
        raise_aro(AroKind.OPPORTUNITY, archetype.opportunity, None)
    elif plan.scenario == "at_risk":
        # An alert on the current milestone, sent up to the goals committee (level 2).
        aro = raise_aro(AroKind.ALERT, archetype.alert, milestones[cal.current])
        services.aro_escalate(actor=manager, aro=aro, comment="Pedimos al comité de metas que revise la propuesta.")
    elif plan.scenario in ("lagging", "on_time"):
        raise_aro(AroKind.OPPORTUNITY, archetype.opportunity, None)
    elif plan.scenario == "late":
        # The mayor already decided on the alert, but the milestone is still late.
        aro = raise_aro(AroKind.ALERT, archetype.alert, milestones[cal.current])
        aro = services.aro_escalate(actor=manager, aro=aro, comment="Se necesita el apoyo del comité de metas.")
        aro = services.aro_escalate(actor=follow_up, aro=aro, comment="Es un tema político: al despacho.")
        services.aro_decide(
            actor=mayor, aro=aro, decision="El despacho convoca a los dirigentes a una reunión el próximo lunes."
        )
    elif plan.scenario == "done":
        services.initiative_set_status(
            actor=manager, initiative=initiative, status=Status.COMPLETED, comment="Todas las metas cumplidas."
        )
    elif plan.scenario == "suspended":
        services.initiative_set_status(
            actor=manager,
            initiative=initiative,
            status=Status.SUSPENDED,
            comment="Suspendida hasta recibir el traspaso de fondos del gobierno central.",
        )

    if plan.public:
        _opinions(initiative, archetype, users, number)


def _report_weeks(
    plan: Plan,
    initiative: Initiative,
    milestones: list[Milestone],
    *,
    reporter: User,
    cal: Calendar,
    today: date,
    words: dict[str, str],
) -> None:
    """The weekly reports of the past weeks, oldest first, with the progress each milestone
    would have had then (on the expected line, lagging or stuck, as the scenario says), and
    each milestone completed, with its evidence, in the week it was done."""
    weeks = sorted(reportable_weeks(initiative, count=6))
    if plan.scenario == "late":
        weeks = weeks[:-3]  # the manager stopped reporting three weeks ago: stale
    done_on = {milestones[i].pk: today + timedelta(days=offset) for i, offset in cal.done.items()}
    chain = {later.pk: [earlier.pk] for earlier, later in pairwise(milestones)}
    starts = rules.milestone_starts(initiative.start_date, {m.pk: m.due_date for m in milestones}, chain)
    steps = ARCHETYPES[plan.archetype].steps

    def complete_until(day: date) -> None:
        for m in milestones:
            when = done_on.get(m.pk)
            if when is not None and when <= day and m.completed_on is None:
                evidence = steps[m.position - 1].evidence.format(**words) or (
                    f"Acta de cumplimiento de «{m.name}» firmada y archivada en la Secretaría de Planificación."
                )
                services.milestone_complete(actor=reporter, milestone=m, completed_on=when, evidence_text=evidence)

    for n, week in enumerate(weeks):
        as_of = min(week + timedelta(days=4), today)
        complete_until(as_of)
        progress: dict[int, tuple[int, str]] = {}
        current_name = ""
        for m in milestones:
            when = done_on.get(m.pk)
            if when is not None and when <= as_of:
                if when > as_of - timedelta(days=7):
                    progress[m.pk] = (100, "Cumplida esta semana.")
                continue
            if starts[m.pk] > as_of:
                continue  # not started yet
            expected = rules.expected_progress(start=starts[m.pk], due=m.due_date, today=as_of)
            value, comment = expected + 8, ""
            if plan.scenario == "lagging":
                value, comment = expected - 30, "Avance menor al previsto: el equipo técnico atiende emergencias."
            elif plan.scenario == "late" and m.due_date < today:
                value, comment = min(value, 60), "Pendiente de acuerdos con los dirigentes."
            progress[m.pk] = (max(0, min(99, value)), comment)
            current_name = current_name or m.name
        note = NOTES[(n + len(plan.name)) % len(NOTES)]
        narrative = f"Avance de la semana en «{current_name}». {note}" if current_name else note
        services.report_submit(
            actor=reporter, initiative=initiative, week_start=week, narrative=narrative, progress=progress
        )
    complete_until(today)  # done before the first reported week, or no report at all


def _opinions(initiative: Initiative, archetype: Archetype, users: dict[str, User], number: int) -> None:
    """Citizens' opinions, as sent from the public page; those the municipality answered are
    published with the reply, the others wait for moderation."""
    moderator = users[R.COMMUNICATIONS_EDITOR]
    for k, (author, body, reply) in enumerate(archetype.opinions):
        opinion = services.opinion_submit(
            initiative=initiative, author_name=author, text=body, address=f"198.51.100.{10 * number + k + 1}",
            token=_PastSigner(salt=FORM_SALT).sign("opinion"),
        )  # fmt: skip
        if reply:
            services.opinion_moderate(actor=moderator, opinion=opinion, status=OpinionStatus.APPROVED, reply=reply)
