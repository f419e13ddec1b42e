"""A municipality's SDG alignment as the municipality and the discussion workshop see it:
the workspace page (/ods/), the SDG section of its initiatives' pages, and the workshop
summary (in the workspace and, for the regional team and the specialists, on the public
domain). Plain data (DESIGN.md §4.7), one shape for every page.

Reads public-schema tables only (the community index, cases, final alignments, the
catalogue), always filtered by one municipality, so the same functions serve a tenant
request (where the public tables are on the search path) and the public domain without ever
touching a municipality's own tables. What a case decided is shown only once it is
published; before that a case shows its status in words and nothing of the proposals
(they are blind while open, and not the municipality's to see before publication)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community.models import IndexItem, ItemKind
from ods_alignment.models import (
    AlignmentCase,
    CaseStatus,
    Contribution,
    FinalAlignment,
    Goal,
    Proposal,
    ProposalGoal,
    Target,
)
from tenants.links import portal_url
from tenants.models import Municipality

# What an unpublished case is doing, in words for the municipality (no proposal content).
STATUS_TEXT: dict[str, Promise] = {
    CaseStatus.OPEN: _("Las personas especialistas preparan sus propuestas independientes."),
    CaseStatus.IN_REVIEW: _("Las propuestas están completas; se está comparando su acuerdo."),
    CaseStatus.AGREED: _("Las personas especialistas coincidieron; falta publicar el resultado."),
    CaseStatus.DISPUTED: _("Las propuestas no coinciden; la persona especialista líder decidirá."),
    CaseStatus.ADJUDICATED: _("La persona especialista líder decidió; falta publicar el resultado."),
    CaseStatus.PUBLISHED: _("Publicada."),
}
# The method page on the public domain (ods:method); its address if the page is not wired.
METHOD_PATH = "/ods/metodo/"


# --- Shapes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRef:
    """A goal as the badge template needs it (number, colour, short name), in the language
    active when it was read."""

    number: int
    colour: str
    short: str
    title: str


@dataclass(frozen=True)
class TargetLine:
    code: str
    title: str
    contribution: str  # "direct" | "indirect"
    is_local: bool = False


@dataclass(frozen=True)
class GoalLine:
    goal: GoalRef
    contribution: str  # "direct" | "indirect"
    targets: tuple[TargetLine, ...] = ()


@dataclass(frozen=True)
class Justification:
    """One specialist's reasons (without their name), with the goals that proposal chose:
    in an adjudicated case they may differ from the published ones."""

    text: str
    evidence_url: str = ""
    goals: tuple[int, ...] = ()


@dataclass(frozen=True)
class AlignmentSummary:
    """One initiative's alignment case. `goals`, `justifications` and `reason` are filled
    only when the case is published."""

    item_key: str
    source_id: int
    status: str
    status_text: str
    published: bool
    deadline: date | None = None
    goals: tuple[GoalLine, ...] = ()
    decided_at: datetime | None = None
    published_at: datetime | None = None
    adjudicated: bool = False
    reason: str = ""
    justifications: tuple[Justification, ...] = ()

    @property
    def goal_numbers(self) -> list[int]:
        return [line.goal.number for line in self.goals]

    @property
    def target_codes(self) -> list[str]:
        return [t.code for line in self.goals for t in line.targets]


@dataclass(frozen=True)
class Entry:
    """A shared initiative of the municipality (a live community index row) and its case."""

    item_key: str
    source_id: int
    title: str
    is_public: bool
    public_url: str
    alignment: AlignmentSummary | None


@dataclass(frozen=True)
class GoalCount:
    goal: GoalRef
    initiatives: int
    direct: int


@dataclass(frozen=True)
class GoalSectionRow:
    entry: Entry
    line: GoalLine  # this goal's contribution and targets for the entry
    other_goals: tuple[int, ...] = ()  # the entry's other goals (it appears under them too)


@dataclass(frozen=True)
class GoalSection:
    goal: GoalRef
    rows: tuple[GoalSectionRow, ...]


@dataclass
class MunicipalityAlignment:
    """Everything the municipality's SDG page and its workshop summary show."""

    municipality_id: int
    name: str
    slug: str
    aligned: list[Entry] = field(default_factory=list)  # published
    in_alignment: list[Entry] = field(default_factory=list)  # a case, not published yet
    unaligned: list[Entry] = field(default_factory=list)  # shared, no case yet
    goal_counts: list[GoalCount] = field(default_factory=list)
    sections: list[GoalSection] = field(default_factory=list)  # one per goal present

    @property
    def total(self) -> int:
        return len(self.aligned) + len(self.in_alignment) + len(self.unaligned)


# --- Reads ----------------------------------------------------------------------------------


def _key_prefix(municipality_id: int) -> str:
    return f"{municipality_id}:{ItemKind.INITIATIVE}:"


def _source_id(item_key: str) -> int | None:
    """The initiative's id in its municipality from "muni_id:kind:source_id"."""
    parts = item_key.split(":")
    if len(parts) != 3 or parts[1] != ItemKind.INITIATIVE or not parts[2].isascii() or not parts[2].isdigit():
        return None
    return int(parts[2])


def _goal_ref(goal: Goal) -> GoalRef:
    return GoalRef(number=goal.number, colour=goal.colour, short=goal.short, title=goal.title)


def _goal_refs() -> dict[int, GoalRef]:
    return {g.number: _goal_ref(g) for g in Goal.objects.order_by("number")}


def _contribution(value: object) -> str:
    return str(value) if value in Contribution.values else Contribution.DIRECT


def _summaries(cases: list[AlignmentCase]) -> dict[int, AlignmentSummary]:
    """{initiative id: summary} for these cases (of one municipality), in four more
    queries whatever their number: the goals, the targets named, the published proposals
    and their goals."""
    published = [
        c
        for c in cases
        if c.status == CaseStatus.PUBLISHED and hasattr(c, "final") and c.final.published_at is not None
    ]
    published_ids = {c.pk for c in published}
    goal_refs = _goal_refs() if published else {}
    codes = {code for c in published for code in c.final.targets}
    targets = {t.code: t for t in Target.objects.filter(code__in=codes).select_related("goal")} if codes else {}
    justifications: dict[int, list[Justification]] = defaultdict(list)
    if published:
        # Only published cases: the proposals of anything else stay with the specialists.
        proposal_goals: dict[int, list[int]] = defaultdict(list)
        goal_rows = ProposalGoal.objects.filter(proposal__case_id__in=published_ids).order_by("goal__number")
        for proposal_id, number in goal_rows.values_list("proposal_id", "goal__number"):
            proposal_goals[proposal_id].append(number)
        rows = Proposal.objects.filter(case_id__in=published_ids).order_by("case_id", "submitted_at", "pk")
        for pk, case_id, text, url in rows.values_list("pk", "case_id", "justification", "evidence_url"):
            justifications[case_id].append(
                Justification(text=text, evidence_url=url, goals=tuple(proposal_goals.get(pk, [])))
            )
    out: dict[int, AlignmentSummary] = {}
    for case in cases:
        source_id = _source_id(case.item_key)
        if source_id is None:
            continue
        if case.pk not in published_ids:
            out[source_id] = AlignmentSummary(
                item_key=case.item_key,
                source_id=source_id,
                status=case.status,
                status_text=str(STATUS_TEXT.get(case.status, "")),
                published=False,
                deadline=case.deadline,
            )
            continue
        final: FinalAlignment = case.final
        contributions = final.contributions or {}
        goal_contrib = contributions.get("goals", {}) or {}
        target_contrib = contributions.get("targets", {}) or {}
        by_goal: dict[int, list[TargetLine]] = defaultdict(list)
        for code in final.targets:
            target = targets.get(code)
            number = target.goal.number if target is not None else int(code.split(".")[0])
            by_goal[number].append(
                TargetLine(
                    code=code,
                    title=target.title if target is not None else "",
                    contribution=_contribution(target_contrib.get(code)),
                    is_local=bool(target and target.is_local),
                )
            )
        lines = tuple(
            GoalLine(
                goal=goal_refs[n],
                contribution=_contribution(goal_contrib.get(str(n))),
                targets=tuple(by_goal.get(n, [])),
            )
            for n in sorted(final.goals)
            if n in goal_refs
        )
        out[source_id] = AlignmentSummary(
            item_key=case.item_key,
            source_id=source_id,
            status=case.status,
            status_text=str(STATUS_TEXT[CaseStatus.PUBLISHED]),
            published=True,
            deadline=case.deadline,
            goals=lines,
            decided_at=final.decided_at,
            published_at=final.published_at,
            # The lead's reason is required when adjudicating, and only then.
            adjudicated=bool(case.decision_reason),
            reason=case.decision_reason,
            justifications=tuple(justifications.get(case.pk, [])),
        )
    return out


def _cases(municipality_id: int) -> list[AlignmentCase]:
    return list(
        AlignmentCase.objects.filter(
            municipality_id=municipality_id, item_key__startswith=_key_prefix(municipality_id)
        ).select_related("final")
    )


def alignments_for_municipality(municipality_id: int) -> dict[int, AlignmentSummary]:
    """{initiative id in the municipality: its case}, published or not (an unpublished
    case carries its status only)."""
    return _summaries(_cases(municipality_id))


def published_for_municipality(municipality_id: int) -> dict[int, AlignmentSummary]:
    """{initiative id: published alignment} of one municipality."""
    return {k: v for k, v in alignments_for_municipality(municipality_id).items() if v.published}


def for_initiative(municipality_id: int, initiative_id: int) -> AlignmentSummary | None:
    """One initiative's case (None: it has none), for the workspace initiative page."""
    key = f"{_key_prefix(municipality_id)}{initiative_id}"
    # Only while the initiative is shared: a municipality that stops sharing it stops showing
    # its alignment too (as the method page says), until it shares it again.
    shared = IndexItem.objects.filter(
        municipality_id=municipality_id,
        kind=ItemKind.INITIATIVE,
        source_id=initiative_id,
        withdrawn_at__isnull=True,
    )
    cases = list(
        AlignmentCase.objects.filter(municipality_id=municipality_id, item_key=key)
        .filter(Exists(shared))
        .select_related("final")
    )
    return _summaries(cases).get(initiative_id)


def published_for_initiative(municipality_id: int, initiative_id: int) -> AlignmentSummary | None:
    """The initiative's published alignment, or None: what the public page shows."""
    summary = for_initiative(municipality_id, initiative_id)
    return summary if summary is not None and summary.published else None


def municipality_alignment(municipality: Municipality) -> MunicipalityAlignment:
    """The municipality's shared initiatives (live rows of the community index) sorted into
    aligned, in alignment and not aligned, with counts and sections per goal. A fixed
    number of queries (at most seven) whatever the number of initiatives."""
    items = list(
        IndexItem.objects.filter(municipality_id=municipality.pk, kind=ItemKind.INITIATIVE, withdrawn_at__isnull=True)
        .order_by("title", "source_id")
        .select_related("municipality")  # the public address is on its host: a join, not a query each
        .only("source_id", "title", "is_public", "source_url", "municipality_id", "kind", "municipality__slug")
    )
    summaries = alignments_for_municipality(municipality.pk) if items else {}
    result = MunicipalityAlignment(municipality_id=municipality.pk, name=municipality.name, slug=municipality.slug)
    for item in items:
        summary = summaries.get(item.source_id)
        entry = Entry(
            item_key=item.key,
            source_id=item.source_id,
            title=item.title,
            is_public=item.is_public,
            public_url=item.public_url,
            alignment=summary,
        )
        if summary is None:
            result.unaligned.append(entry)
        elif summary.published:
            result.aligned.append(entry)
        else:
            result.in_alignment.append(entry)
    rows_by_goal: dict[int, list[GoalSectionRow]] = defaultdict(list)
    refs: dict[int, GoalRef] = {}
    for entry in result.aligned:
        alignment = entry.alignment
        if alignment is None:
            continue
        for line in alignment.goals:
            refs[line.goal.number] = line.goal
            others = tuple(n for n in alignment.goal_numbers if n != line.goal.number)
            rows_by_goal[line.goal.number].append(GoalSectionRow(entry=entry, line=line, other_goals=others))
    for number in sorted(rows_by_goal):
        rows = rows_by_goal[number]
        result.sections.append(GoalSection(goal=refs[number], rows=tuple(rows)))
        result.goal_counts.append(
            GoalCount(
                goal=refs[number],
                initiatives=len(rows),
                direct=sum(1 for r in rows if r.line.contribution == Contribution.DIRECT),
            )
        )
    return result


def method_url(request: HttpRequest | None = None) -> str:
    """The public page that explains the alignment method, on the public domain (absolute,
    so that it works from a municipality's host and on paper)."""
    try:
        path = reverse("ods:method", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    except NoReverseMatch:
        path = METHOD_PATH
    return portal_url(path, request)


def workshop_municipalities(text: str = "") -> QuerySet[Municipality]:
    """Active municipalities sharing at least one initiative, with how many are shared,
    published and in alignment (each count one subquery: no join fan-out), for the
    regional team's and specialists' list of workshop summaries."""
    live = IndexItem.objects.filter(municipality_id=OuterRef("pk"), kind=ItemKind.INITIATIVE, withdrawn_at__isnull=True)
    cases = AlignmentCase.objects.filter(
        municipality_id=OuterRef("pk"), item__kind=ItemKind.INITIATIVE, item__withdrawn_at__isnull=True
    )

    def count(queryset: QuerySet[Any]) -> Subquery:
        return Subquery(
            queryset.order_by().values("municipality_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )

    queryset = Municipality.objects.filter(is_active=True)
    if text.strip():
        queryset = queryset.filter(name__icontains=text.strip())
    return (
        queryset.annotate(
            shared=Coalesce(count(live), 0),
            published=Coalesce(count(cases.filter(status=CaseStatus.PUBLISHED)), 0),
            in_alignment=Coalesce(count(cases.exclude(status=CaseStatus.PUBLISHED)), 0),
        )
        .filter(shared__gt=0)
        .order_by("name", "pk")
    )
