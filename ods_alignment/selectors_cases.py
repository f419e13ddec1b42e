"""Reads of the specialists' workflow pages (/ods/casos/, /ods/metas-locales/, /ods/acuerdo/):
case lists for the regional team, initiatives still without a case, a case's assignments
and history, the catalogue as the proposal form shows it, and agreement per pair with names.

Blindness is not decided here: proposals are read only through
selectors.proposals_visible_to. These reads never return a proposal's content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from community.models import IndexItem, ItemKind
from community.selectors import live_items
from ods_alignment.models import (
    AlignmentCase,
    AlignmentEvent,
    Assignment,
    CaseStatus,
    FinalAlignment,
    Goal,
    Proposal,
    Target,
)
from ods_alignment.selectors import PairAgreement, pair_agreements
from tenants.accounts.models import User
from tenants.models import Membership
from tenants.roles import PlatformRole
from tenants.selectors import user_names

# The team's case list: "" = every case not yet published (the work in progress).
IN_PROGRESS = ""
ALL = "todos"


def sdg_specialists() -> QuerySet[User]:
    """Active accounts with the SDG specialist role, by name: who may be assigned or lead."""
    return (
        User.objects.filter(is_active=True, platform_roles__role=PlatformRole.SDG_SPECIALIST)
        .distinct()
        .order_by("full_name", "email")
    )


def reassignable_specialists(case: AlignmentCase) -> QuerySet[User]:
    """Who may take over a pending proposal of this case, as the service checks it: an active
    SDG specialist who is not the lead, not already assigned to the case now, and not a member
    of the initiative's municipality (conflict of interest)."""
    assigned = case.assignments.filter(ended_at__isnull=True).values("specialist_id")
    members = Membership.objects.filter(municipality_id=case.municipality_id).values("user_id")
    return sdg_specialists().exclude(pk=case.lead_id).exclude(pk__in=assigned).exclude(pk__in=members)


def specialists_by_id(ids: list[int]) -> dict[int, User]:
    """{id: account} of the accounts among `ids` that have the SDG specialist role (any
    other id is simply absent: the caller says it is not a specialist's)."""
    return {
        u.pk: u for u in User.objects.filter(pk__in=ids, platform_roles__role=PlatformRole.SDG_SPECIALIST).distinct()
    }


# --- Cases and initiatives for the regional team ---------------------------------------------


def cases_list(*, status: str = IN_PROGRESS, q: str = "") -> QuerySet[AlignmentCase]:
    """Cases by deadline, with how many specialists are assigned now and how many proposals
    are in (counts only, never content), in one query."""
    queryset = AlignmentCase.objects.select_related("item", "municipality", "lead").annotate(
        assigned_count=Count("assignments", filter=Q(assignments__ended_at__isnull=True), distinct=True),
        submitted_count=Count("proposals", distinct=True),
    )
    if status == IN_PROGRESS:
        queryset = queryset.exclude(status=CaseStatus.PUBLISHED)
    elif status != ALL:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(Q(item__title__icontains=q) | Q(municipality__name__icontains=q))
    return queryset.order_by("deadline", "pk")


READY_TO_PUBLISH = (CaseStatus.AGREED, CaseStatus.ADJUDICATED)


def cases_to_publish() -> QuerySet[AlignmentCase]:
    """Agreed or adjudicated cases not yet published, by deadline: what the regional team
    may publish (the lead sees their own in their queue)."""
    return (
        AlignmentCase.objects.filter(status__in=READY_TO_PUBLISH)
        .select_related("item", "municipality")
        .order_by("deadline", "pk")
    )


def _key_expression() -> Concat:
    # IndexItem.key ("muni:kind:source") in SQL, to compare with AlignmentCase.item_key: a case
    # follows its initiative by key, even when the index row was rebuilt.
    return Concat(
        Cast("municipality_id", CharField()),
        Value(":"),
        "kind",
        Value(":"),
        Cast("source_id", CharField()),
        output_field=CharField(),
    )


def live_initiatives() -> QuerySet[IndexItem]:
    """Shared initiatives that may be aligned: in the index, not withdrawn, active municipality."""
    return live_items().filter(kind=ItemKind.INITIATIVE)


def initiatives_without_case(*, q: str = "") -> QuerySet[IndexItem]:
    """Shared initiatives that no case aligns yet, by municipality and title."""
    has_case = AlignmentCase.objects.filter(item_key=OuterRef("case_key"))
    queryset = (
        live_initiatives()
        .annotate(case_key=_key_expression())
        .exclude(Exists(has_case))
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(municipality__name__icontains=q))
    return queryset


# --- One case ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    submitted_at: datetime | None  # when the proposal came in; None while pending

    @property
    def active(self) -> bool:
        return self.assignment.ended_at is None

    @property
    def pending(self) -> bool:
        return self.active and self.submitted_at is None


def case_assignments(case: AlignmentCase) -> list[AssignmentRow]:
    """Everyone asked to propose (current first, then reassigned ones), and *whether* and
    when each submitted: that much is not blind, the proposal itself is."""
    submitted = dict(Proposal.objects.filter(case=case).values_list("specialist_id", "submitted_at"))
    rows = case.assignments.select_related("specialist")
    ordered = sorted(rows, key=lambda a: (a.ended_at is not None, a.due_date, a.pk))
    return [AssignmentRow(a, submitted.get(a.specialist_id) if a.ended_at is None else None) for a in ordered]


def active_assignments(case: AlignmentCase, *, pending_only: bool = False) -> QuerySet[Assignment]:
    """The case's current assignments with their specialists; with `pending_only`, only
    those still waiting for their proposal (what the reassignment form offers)."""
    queryset = case.assignments.filter(ended_at__isnull=True).select_related("specialist")
    if pending_only:
        submitted = Proposal.objects.filter(case_id=OuterRef("case_id"), specialist_id=OuterRef("specialist_id"))
        queryset = queryset.exclude(Exists(submitted))
    return queryset


def assignment_of(case: AlignmentCase, assignment_id: int) -> Assignment | None:
    """One of the case's assignments (current or ended); None if it is another case's."""
    return case.assignments.select_related("case").filter(pk=assignment_id).first()


def final_of(case: AlignmentCase) -> FinalAlignment | None:
    return FinalAlignment.objects.filter(case=case).first()


def case_events(case: AlignmentCase) -> list[AlignmentEvent]:
    """The case's events, oldest first, with their actors."""
    return list(AlignmentEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "pk"))


@dataclass(frozen=True)
class History:
    events: list[AlignmentEvent]
    names: dict[int, str]  # every account the events mention, by id


def case_history(case: AlignmentCase) -> History:
    """The case's events, oldest first, and the names of the people their details mention
    (two queries, however long the history)."""
    events = case_events(case)
    ids: set[int] = set()
    for event in events:
        detail = event.detail if isinstance(event.detail, dict) else {}
        for key in ("lead", "previous", "specialist"):
            if isinstance(detail.get(key), int):
                ids.add(detail[key])
        ids.update(i for i in detail.get("specialists") or [] if isinstance(i, int))
    return History(events=events, names=user_names(ids))


def catalogue() -> list[tuple[Goal, list[Target]]]:
    """The 17 goals, each with its targets (official and local) in the official order: what
    the proposal and adjudication forms offer. Two queries."""
    goals = list(Goal.objects.order_by("number"))
    by_goal: dict[int, list[Target]] = {g.pk: [] for g in goals}
    for target in Target.objects.order_by("sort_key"):
        by_goal.setdefault(target.goal_id, []).append(target)
    return [(goal, by_goal[goal.pk]) for goal in goals]


def goals_by_number() -> dict[int, Goal]:
    return {g.number: g for g in Goal.objects.order_by("number")}


def targets_by_code(codes: set[str]) -> dict[str, Target]:
    if not codes:
        return {}
    return {t.code: t for t in Target.objects.filter(code__in=codes).select_related("goal")}


# --- Local targets -----------------------------------------------------------------------------


def official_targets() -> QuerySet[Target]:
    return Target.objects.filter(is_local=False).select_related("goal").order_by("sort_key")


def local_targets_by_parent() -> list[tuple[Target, list[Target]]]:
    """Local targets grouped under their official target, in the official order (one query)."""
    groups: dict[int, tuple[Target, list[Target]]] = {}
    rows = (
        Target.objects.filter(is_local=True)
        .select_related("parent", "parent__goal", "created_by")
        .order_by("parent__sort_key", "sort_key")
    )
    for target in rows:
        assert target.parent is not None  # the database guarantees it (odstarget_local_has_parent)
        groups.setdefault(target.parent_id, (target.parent, []))[1].append(target)  # type: ignore[arg-type]
    return list(groups.values())


# --- Agreement per pair --------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    pair: PairAgreement
    name_a: str
    name_b: str


def pair_rows(*, specialist: User | None) -> list[PairRow]:
    """pair_agreements with the specialists' names: every pair (specialist=None, the regional
    team) or only the pairs one specialist is part of."""
    pairs = pair_agreements(specialist=specialist)
    names = user_names({p.specialist_a for p in pairs} | {p.specialist_b for p in pairs})
    return [PairRow(p, names.get(p.specialist_a, "—"), names.get(p.specialist_b, "—")) for p in pairs]
