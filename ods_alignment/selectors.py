"""Reads of the SDG alignment: the catalogue, what each person may see of a case (proposals
stay blind until every assigned specialist has submitted), work queues, and agreement
between specialist pairs over time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ods_alignment import agreement
from ods_alignment.models import (
    AlignmentCase,
    Assignment,
    CaseStatus,
    Goal,
    Proposal,
    ProposalGoal,
    ProposalTarget,
    Target,
)
from tenants.accounts.models import User
from tenants.selectors import is_regional_team

# Reminders and queues flag what is due within this many days (and what is overdue).
DUE_SOON_DAYS = 2


# --- Catalogue ------------------------------------------------------------------------------


def goals() -> QuerySet[Goal]:
    return Goal.objects.order_by("number")


def targets_of(goal: Goal) -> QuerySet[Target]:
    return Target.objects.filter(goal=goal).order_by("sort_key")


def target_by_code(code: str) -> Target | None:
    return Target.objects.select_related("goal").filter(code=(code or "").strip().lower()).first()


# --- Cases and proposals --------------------------------------------------------------------


def _with_rows(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return queryset.select_related("specialist").prefetch_related(
        Prefetch("goal_rows", queryset=ProposalGoal.objects.select_related("goal")),
        Prefetch("target_rows", queryset=ProposalTarget.objects.select_related("target")),
    )


def is_participant(user: User | None, case: AlignmentCase) -> bool:
    """The specialists assigned now, those who submitted a proposal on the case (their work
    is part of it), the lead, and the regional team. A specialist reassigned away before
    submitting (often for a conflict of interest) no longer sees the case."""
    if user is None or not user.is_authenticated:
        return False
    return (
        is_regional_team(user)
        or user.pk == case.lead_id
        or case.assignments.filter(specialist=user, ended_at__isnull=True).exists()
        or case.proposals.filter(specialist=user).exists()
    )


def case_for(user: User | None, case_id: int) -> AlignmentCase | None:
    """The case if the user takes part in it; None alike for missing and forbidden."""
    related = ("item", "item__municipality", "municipality", "lead")  # the item's public address needs its host
    case = AlignmentCase.objects.select_related(*related).filter(pk=case_id).first()
    return case if case is not None and is_participant(user, case) else None


def cases_visible_to(user: User | None, *, status: str | None = None) -> QuerySet[AlignmentCase]:
    """The cases a person takes part in (the regional team: all), by deadline, ready to list
    without a query per case. is_participant's rule in SQL: the lead, the specialists
    assigned now, and those who submitted a proposal on the case."""
    if user is None or not user.is_authenticated:
        return AlignmentCase.objects.none()
    # item__municipality: an item's public address is on its municipality's host.
    queryset = AlignmentCase.objects.select_related("item", "item__municipality", "municipality", "lead")
    if not is_regional_team(user):
        assigned = Assignment.objects.filter(case_id=OuterRef("pk"), specialist=user, ended_at__isnull=True)
        submitted = Proposal.objects.filter(case_id=OuterRef("pk"), specialist=user)
        queryset = queryset.filter(Q(lead=user) | Exists(assigned) | Exists(submitted))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("specialist").order_by("pk")),
        Prefetch("proposals", queryset=Proposal.objects.only("pk", "case_id", "specialist_id")),
    ).order_by("deadline", "pk")


def proposals_visible_to(user: User | None, case: AlignmentCase) -> list[Proposal]:
    """Blind until complete: while the case is open, a specialist sees only their own
    proposal and nobody else (not the lead, not the team) sees any, so no one can pass them
    on. Once every assigned specialist has submitted, all participants see all of them."""
    if not is_participant(user, case):
        return []
    queryset = _with_rows(Proposal.objects.filter(case=case))
    if case.status == CaseStatus.OPEN:
        queryset = queryset.filter(specialist=user)
    return list(queryset.order_by("submitted_at", "pk"))


# --- Queues ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    case: AlignmentCase
    due_date: date
    days_left: int  # negative: overdue
    action: str  # "propose" | "adjudicate" | "publish"

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS


@dataclass
class Queue:
    to_propose: list[QueueEntry] = field(default_factory=list)
    to_adjudicate: list[QueueEntry] = field(default_factory=list)
    to_publish: list[QueueEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.to_propose) + len(self.to_adjudicate) + len(self.to_publish)


def pending_assignments() -> QuerySet[Assignment]:
    """Active assignments of open cases whose specialist has not submitted yet."""
    submitted = Proposal.objects.filter(case_id=OuterRef("case_id"), specialist_id=OuterRef("specialist_id"))
    return (
        Assignment.objects.filter(ended_at__isnull=True, case__status=CaseStatus.OPEN)
        .exclude(Exists(submitted))
        .select_related("case", "case__item", "case__municipality", "specialist")
    )


def queue_for(user: User, *, today: date | None = None) -> Queue:
    """What is waiting for this person, earliest deadline first: proposals to write, and, for
    the lead specialist, disputes to adjudicate and agreed cases to publish."""
    today = today or timezone.localdate()
    queue = Queue()
    for assignment in pending_assignments().filter(specialist=user).order_by("due_date", "pk"):
        queue.to_propose.append(
            QueueEntry(assignment.case, assignment.due_date, (assignment.due_date - today).days, "propose")
        )
    led = AlignmentCase.objects.filter(lead=user).select_related("item", "municipality").order_by("deadline", "pk")
    for case in led.filter(status=CaseStatus.DISPUTED):
        queue.to_adjudicate.append(QueueEntry(case, case.deadline, (case.deadline - today).days, "adjudicate"))
    for case in led.filter(status__in=[CaseStatus.AGREED, CaseStatus.ADJUDICATED]):
        queue.to_publish.append(QueueEntry(case, case.deadline, (case.deadline - today).days, "publish"))
    return queue


def assignments_to_remind(today: date) -> QuerySet[Assignment]:
    """Pending assignments due within DUE_SOON_DAYS or overdue, not yet reminded today."""
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    return (
        pending_assignments()
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS), specialist__is_active=True)
        .exclude(reminded_at__gte=start_of_day)
        .order_by("specialist_id", "due_date", "pk")
    )


# --- Agreement over time --------------------------------------------------------------------


@dataclass(frozen=True)
class PairAgreement:
    specialist_a: int
    specialist_b: int
    cases: int
    pooled_kappa: float  # over all their goal decisions together (17 per case)
    mean_kappa: float  # mean of the per-case kappas
    mean_target_overlap: float


def pair_agreements(*, specialist: User | None = None) -> list[PairAgreement]:
    """Agreement of every specialist pair over the cases both proposed on (cases past the
    blind stage only), optionally only the pairs of one specialist; most cases first."""
    proposals = _with_rows(Proposal.objects.exclude(case__status=CaseStatus.OPEN))
    by_case: dict[int, dict[int, Proposal]] = defaultdict(dict)
    for proposal in proposals:
        by_case[proposal.case_id][proposal.specialist_id] = proposal
    pairs: dict[tuple[int, int], list[tuple[Proposal, Proposal]]] = defaultdict(list)
    for case_proposals in by_case.values():
        for a, b in combinations(sorted(case_proposals), 2):
            pairs[(a, b)].append((case_proposals[a], case_proposals[b]))
    out: list[PairAgreement] = []
    for (a, b), rows in pairs.items():
        if specialist is not None and specialist.pk not in (a, b):
            continue
        goal_pairs = [(pa.goal_numbers, pb.goal_numbers) for pa, pb in rows]
        kappas = [agreement.cohen_kappa(x, y) for x, y in goal_pairs]
        overlaps = [agreement.jaccard(pa.target_codes, pb.target_codes) for pa, pb in rows]
        out.append(
            PairAgreement(
                specialist_a=a,
                specialist_b=b,
                cases=len(rows),
                pooled_kappa=agreement.pooled_kappa(goal_pairs) or 0.0,
                mean_kappa=sum(kappas) / len(kappas),
                mean_target_overlap=sum(overlaps) / len(overlaps),
            )
        )
    return sorted(out, key=lambda p: (-p.cases, p.specialist_a, p.specialist_b))


# --- Learning from agreed alignments -----------------------------------------------------------


@dataclass(frozen=True)
class AgreedText:
    """An initiative's indexed text and its published alignment: a training example."""

    item_key: str
    text: str
    goals: tuple[int, ...]
    targets: tuple[str, ...]


def agreed_texts() -> list[AgreedText]:
    """Published alignments whose initiative is still in the index with its text (a withdrawn
    initiative's tombstone has none, and its text is no longer ours to learn from). Local
    targets count as their official parent: the model knows only the official catalogue."""
    from ods_alignment.models import FinalAlignment

    parents = dict(Target.objects.filter(is_local=True).values_list("code", "parent__code"))
    rows = (
        FinalAlignment.objects.filter(published_at__isnull=False, case__item__withdrawn_at__isnull=True)
        .exclude(case__item__text="", case__item__title="")
        .values_list("item_key", "case__item__title", "case__item__text", "goals", "targets")
        .order_by("item_key")
    )
    return [
        AgreedText(
            item_key=key,
            text=f"{title}\n{text}".strip(),
            goals=tuple(sorted(goals)),
            targets=tuple(sorted({parents.get(code) or code for code in targets})),
        )
        for key, title, text, goals, targets in rows
    ]
