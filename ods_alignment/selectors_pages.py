"""Reads of the public SDG pages (/ods/): which initiatives are aligned to each goal and
target, the municipalities-by-goals grid, and the method page (its editable text, its
history and live figures computed from the workflow).

What is shown: the public pages show `community.selectors.public_items()` (shared, public,
not withdrawn, of an active municipality); the regional team and SDG specialists may see, in
the grid only, `live_items()` (every shared initiative, public or not). Nothing that is not
shared is ever read here: both start from the community index, which holds only what the
municipalities share. Counts are aggregated in SQL (unnest of `sdg_goals`, GROUP BY), so a
grid over thousands of municipalities costs a handful of queries."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import get_language

from community.models import IndexItem, ItemKind
from community.selectors import live_items, public_items
from ods_alignment import agreement
from ods_alignment.models import (
    AlignmentCase,
    CaseStatus,
    FinalAlignment,
    Goal,
    Indicator,
    MethodPageRevision,
    Proposal,
    Target,
)
from ods_alignment.selectors import target_by_code
from tenants.accounts.models import User
from tenants.models import Country, Municipality
from tenants.roles import SDG_ROLES
from tenants.selectors import platform_roles_of

GOAL_PAGE_SIZE = 25
GRID_PAGE_SIZE = 50
HISTORY_SIZE = 50
HEAT_LEVELS = 4
# Official ("6.1", "6.a") and local ("11.2.1", "11.2.b") target codes; anything else is not
# looked up at all (junk in the address is a 404, never a query on arbitrary text).
TARGET_CODE = re.compile(r"^[0-9]{1,2}\.[0-9a-z]{1,3}(?:\.[0-9a-z]{1,3})?$")


# --- Which initiatives ----------------------------------------------------------------------


def sees_shared(user: User | None) -> bool:
    """The regional team and SDG specialists may see shared initiatives that are not public
    (in the grid): they align them."""
    return bool(platform_roles_of(user) & SDG_ROLES)


def initiatives(*, include_shared: bool = False) -> QuerySet[IndexItem]:
    """Shared initiatives: public ones only, or (for SDG roles) every shared one."""
    items = live_items() if include_shared else public_items()
    return items.filter(kind=ItemKind.INITIATIVE)


def _aligned(items: QuerySet[IndexItem]) -> QuerySet[IndexItem]:
    return items.filter(sdg_goals__len__gt=0)


def _safe_url(item: IndexItem) -> str:
    """The initiative's public page, if it is public and its address is a web address."""
    if not item.is_public or not item.source_url:
        return ""
    url = item.public_url
    return url if url.startswith(("https://", "http://")) else ""


def country_label(code: str) -> str:
    return str(dict(Country.choices).get(code, code))


# --- Aggregation in SQL ---------------------------------------------------------------------


def _unnest_counts(items: QuerySet[IndexItem], *, by_municipality: bool) -> list[tuple[int, ...]]:
    """Aligned initiatives per goal (and per municipality): the selector's own query as a
    subquery, its goal arrays unnested and grouped in PostgreSQL. Each array is made distinct
    on its own (a few values), so count(*) counts items without a global DISTINCT sort."""
    sql, params = items.order_by().values("municipality_id", "sdg_goals").query.sql_with_params()
    keys = "s.municipality_id, g.goal" if by_municipality else "g.goal"
    query = (
        f"SELECT {keys}, count(*) FROM ({sql}) AS s "
        "CROSS JOIN LATERAL (SELECT DISTINCT unnest(s.sdg_goals)) AS g(goal) "
        f"GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [tuple(row) for row in cursor.fetchall()]


def goal_counts(items: QuerySet[IndexItem]) -> dict[int, int]:
    """{goal number: aligned initiatives} over these items."""
    return {int(goal): int(n) for goal, n in _unnest_counts(items, by_municipality=False)}


def target_counts(items: QuerySet[IndexItem], goal: Goal) -> dict[str, int]:
    """{target code: aligned initiatives} for the targets of one goal."""
    sql, params = (
        items.filter(sdg_goals__contains=[goal.number]).order_by().values("sdg_targets").query.sql_with_params()
    )
    query = (
        f"SELECT t.code, count(*) FROM ({sql}) AS s "
        "CROSS JOIN LATERAL (SELECT DISTINCT unnest(s.sdg_targets)) AS t(code) GROUP BY t.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {str(code): int(n) for code, n in cursor.fetchall()}


# --- Goal and target pages ------------------------------------------------------------------


def goal_by_number(number: int) -> Goal | None:
    return Goal.objects.filter(number=number).first() if 1 <= number <= 17 else None


def target_for_code(code: str) -> Target | None:
    """The target of a code from the address; None for an unknown or malformed code."""
    code = (code or "").strip().lower()
    if len(code) > 12 or not TARGET_CODE.match(code):
        return None
    return target_by_code(code)


def targets_listing(goal: Goal) -> list[Target]:
    """The goal's official targets, each followed by the local targets under it."""
    return list(Target.objects.filter(goal=goal).order_by("sort_key"))


def local_targets_of(target: Target) -> list[Target]:
    return list(Target.objects.filter(parent=target).order_by("sort_key"))


def indicators_of(target: Target) -> list[Indicator]:
    return list(Indicator.objects.filter(target=target).order_by("sort_key"))


@dataclass(frozen=True)
class InitiativeRow:
    item: IndexItem
    country_label: str
    url: str  # "" when the initiative has no public page
    contribution: str  # "direct" | "indirect" | "" (unknown)


def _finals(items: Sequence[IndexItem]) -> dict[str, FinalAlignment]:
    keys = [item.key for item in items]
    if not keys:
        return {}
    return {f.item_key: f for f in FinalAlignment.objects.filter(item_key__in=keys, published_at__isnull=False)}


def _contribution(final: FinalAlignment | None, kind: str, key: str) -> str:
    if final is None or not isinstance(final.contributions, dict):
        return ""
    section = final.contributions.get(kind)
    value = section.get(key) if isinstance(section, dict) else None
    return value if value in ("direct", "indirect") else ""


def aligned_to_goal(goal: Goal) -> QuerySet[IndexItem]:
    """Public initiatives aligned to the goal, by municipality."""
    return (
        initiatives()
        .filter(sdg_goals__contains=[goal.number])
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )


def aligned_to_target(target: Target) -> QuerySet[IndexItem]:
    return (
        initiatives()
        .filter(sdg_targets__contains=[target.code])
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )


@dataclass
class InitiativePage:
    page: Page[IndexItem]
    rows: list[InitiativeRow]


def initiative_page(
    items: QuerySet[IndexItem], page: str | None, *, goal: int | None = None, target: str = ""
) -> InitiativePage:
    """A page of initiative rows, with each row's contribution to the goal or target from
    its published final alignment (one query for the whole page)."""
    paged = Paginator(items, GOAL_PAGE_SIZE).get_page(page)
    items_here = list(paged.object_list)
    finals = _finals(items_here)
    rows = [
        InitiativeRow(
            item=item,
            country_label=country_label(item.municipality.country),
            url=_safe_url(item),
            contribution=(
                _contribution(finals.get(item.key), "goals", str(goal))
                if goal is not None
                else _contribution(finals.get(item.key), "targets", target)
            ),
        )
        for item in items_here
    ]
    return InitiativePage(paged, rows)


# --- The grid -------------------------------------------------------------------------------


def heat_level(count: int, highest: int) -> int:
    """0 (none) to HEAT_LEVELS: the shade of a cell. Decoration only: the count is written."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * count / highest)))


@dataclass(frozen=True)
class Cell:
    goal: int
    count: int
    level: int


@dataclass(frozen=True)
class GridRow:
    municipality_id: int
    name: str
    slug: str
    country_label: str
    total: int  # aligned initiatives (each once, whatever its number of goals)
    cells: list[Cell]


@dataclass
class Grid:
    goals: list[Goal]
    page: Page
    rows: list[GridRow]
    goal_totals: list[int]  # per goal, over every municipality of the filter (not just the page)
    total: int
    include_shared: bool


def country_choices(*, include_shared: bool) -> list[tuple[str, str]]:
    """Countries of the municipalities that have aligned initiatives in this set."""
    codes = (
        _aligned(initiatives(include_shared=include_shared))
        .order_by()
        .values_list("municipality__country", flat=True)
        .distinct()
    )
    return sorted(((code, country_label(code)) for code in codes), key=lambda pair: pair[1])


def grid(*, include_shared: bool = False, country: str = "", page: str | None = None) -> Grid:
    """Municipalities by goals: aligned initiatives per cell, a page of municipalities at a time."""
    items = _aligned(initiatives(include_shared=include_shared))
    if country:
        items = items.filter(municipality__country=country)
    per_municipality = (
        items.order_by()
        .values("municipality_id", "municipality__name", "municipality__slug", "municipality__country")
        .annotate(n=Count("id"))
        .order_by("municipality__name", "municipality_id")
    )
    paged = Paginator(per_municipality, GRID_PAGE_SIZE).get_page(page)
    ids = [row["municipality_id"] for row in paged.object_list]
    cells: dict[tuple[int, int], int] = {}
    if ids:
        for municipality_id, goal, n in _unnest_counts(items.filter(municipality_id__in=ids), by_municipality=True):
            cells[(int(municipality_id), int(goal))] = int(n)
    goals = list(Goal.objects.order_by("number"))
    totals = goal_counts(items)
    highest = max(cells.values(), default=0)
    rows = [
        GridRow(
            municipality_id=row["municipality_id"],
            name=row["municipality__name"],
            slug=row["municipality__slug"],
            country_label=country_label(row["municipality__country"]),
            total=row["n"],
            cells=[
                Cell(
                    goal.number,
                    cells.get((row["municipality_id"], goal.number), 0),
                    heat_level(cells.get((row["municipality_id"], goal.number), 0), highest),
                )
                for goal in goals
            ],
        )
        for row in paged.object_list
    ]
    return Grid(
        goals=goals,
        page=paged,
        rows=rows,
        goal_totals=[totals.get(goal.number, 0) for goal in goals],
        total=items.count() if paged.paginator.count else 0,
        include_shared=include_shared,
    )


def grid_municipality(slug: str) -> Municipality | None:
    """An active municipality (the grid shows nothing of inactive ones)."""
    return Municipality.objects.filter(slug=slug, is_active=True).first()


@dataclass(frozen=True)
class Mark:
    goal: int
    contribution: str  # "direct" | "indirect" | "aligned" (contribution unknown) | ""


@dataclass(frozen=True)
class ItemGridRow:
    item: IndexItem
    url: str
    marks: list[Mark]


@dataclass
class MunicipalityGrid:
    municipality: Municipality
    goals: list[Goal]
    page: Page
    rows: list[ItemGridRow]
    goal_totals: list[int]
    total: int
    include_shared: bool


def municipality_grid(
    municipality: Municipality, *, include_shared: bool = False, page: str | None = None
) -> MunicipalityGrid:
    """Initiatives by goals for one municipality: a mark per goal (direct, indirect)."""
    items = _aligned(initiatives(include_shared=include_shared)).filter(municipality=municipality)
    paged = Paginator(items.select_related("municipality").order_by("title", "pk"), GRID_PAGE_SIZE).get_page(page)
    page_items = list(paged.object_list)
    finals = _finals(page_items)
    goals = list(Goal.objects.order_by("number"))
    rows = []
    for item in page_items:
        chosen = set(item.sdg_goals)
        final = finals.get(item.key)
        marks = [
            Mark(
                goal.number,
                (_contribution(final, "goals", str(goal.number)) or "aligned") if goal.number in chosen else "",
            )
            for goal in goals
        ]
        rows.append(ItemGridRow(item=item, url=_safe_url(item), marks=marks))
    totals = goal_counts(items)
    return MunicipalityGrid(
        municipality=municipality,
        goals=goals,
        page=paged,
        rows=rows,
        goal_totals=[totals.get(goal.number, 0) for goal in goals],
        total=paged.paginator.count,
        include_shared=include_shared,
    )


# --- The method page ------------------------------------------------------------------------

# The default text, shown until the regional team saves its own (and the edit form's starting
# point). Kept in code rather than seeded by a data migration: it describes the method as the
# services implement it, so it changes with them in the same commit, and a fresh platform, a
# test database or a rebuilt template schema shows it with nothing to load. The first save
# turns it into the first revision, and from then on the team's text is the page.
DEFAULT_METHOD_TEXT: dict[str, str] = {
    "es": """\
Cada iniciativa que un municipio comparte con la comunidad puede alinearse con los Objetivos de Desarrollo
Sostenible (ODS): sus 17 objetivos y 169 metas, y las metas locales que el equipo regional añade bajo una
meta oficial cuando los municipios adaptan la Agenda 2030 a su territorio. La alineación no la decide una
sola persona ni una máquina: la hacen especialistas en ODS, por consenso, en cuatro pasos.

## 1. Dos propuestas independientes y a ciegas
El equipo regional abre un caso para la iniciativa, con una fecha límite, y asigna al menos dos
especialistas y una persona especialista líder distinta de ellas. Cada especialista elige por su cuenta los
objetivos y las metas a los que contribuye la iniciativa, indica si cada contribución es directa o indirecta
y escribe una justificación, con la evidencia que la respalde.

Nadie ve las propuestas de los demás hasta que todas han llegado: ni las otras especialistas, ni la persona
líder, ni el equipo regional. Quien pertenece al gobierno del municipio de la iniciativa no puede alinearla
(conflicto de interés).

## 2. Medición del acuerdo
Cuando llegan todas las propuestas, el sistema mide cuánto coinciden:
- en los objetivos, con el coeficiente kappa de Cohen sobre las 17 decisiones «sí o no» de cada especialista
  (1 es acuerdo total; 0, el acuerdo que se esperaría por azar);
- en las metas, con el solapamiento: las metas que todas eligieron, sobre todas las metas elegidas por
  alguna.

Con más de dos especialistas se usa la media de todos los pares. El acuerdo de cada par de especialistas
también se sigue a lo largo del tiempo.

Si todas las propuestas eligieron exactamente los mismos objetivos, el caso queda acordado: se toman esos
objetivos y solo las metas que eligieron todas, y una contribución cuenta como directa solo si todas la
consideraron directa.

## 3. Adjudicación
Si los objetivos no coinciden, el caso pasa a la persona especialista líder. Ella ve todas las propuestas,
decide la alineación final y registra la razón de su decisión, que queda guardada con el caso.

## 4. Publicación
La persona líder o el equipo regional publica la alineación acordada o adjudicada en el índice de la
comunidad. Desde ese momento aparece en estas páginas (si la iniciativa es pública), en la búsqueda de la
comunidad y en el espacio de trabajo del propio municipio. Si el municipio deja de compartir la iniciativa,
su alineación deja de mostrarse; si vuelve a compartirla, la alineación publicada vuelve con ella.

## Sugerencias automáticas
Cuando una especialista abre un caso, el sistema le sugiere objetivos y metas, con una puntuación y las
palabras del texto que motivaron cada sugerencia. Es solo una ayuda para leer la iniciativa: una sugerencia
nunca se convierte en alineación sin la propuesta de una persona especialista.""",
    "en": """\
Every initiative a municipality shares with the community can be aligned with the Sustainable Development
Goals (SDGs): their 17 goals and 169 targets, and the local targets the regional team adds under an official
target as municipalities adapt the 2030 Agenda to their territory. No single person and no machine decides
the alignment: SDG specialists reach it by consensus, in four steps.

## 1. Two independent, blind proposals
The regional team opens a case for the initiative, with a deadline, and assigns at least two specialists and
a lead specialist who is neither of them. Each specialist chooses on their own the goals and targets the
initiative contributes to, says whether each contribution is direct or indirect, and writes a justification,
with the evidence behind it.

Nobody sees the others' proposals until all of them are in: not the other specialists, not the lead, not the
regional team. Anyone who belongs to the government of the initiative's municipality cannot align it
(conflict of interest).

## 2. Measuring agreement
When every proposal is in, the system measures how far they agree:
- on goals, with Cohen's kappa over each specialist's 17 "yes or no" decisions (1 is full agreement; 0 is
  the agreement expected by chance);
- on targets, with the overlap: the targets everyone chose, over all the targets anyone chose.

With more than two specialists, the mean over every pair is used. The agreement of each pair of specialists
is also followed over time.

If every proposal chose exactly the same goals, the case is agreed: those goals are taken, with only the
targets everyone chose, and a contribution counts as direct only if everyone considered it direct.

## 3. Adjudication
If the goals differ, the case goes to the lead specialist, who sees every proposal, decides the final
alignment and records the reason for the decision, which is kept with the case.

## 4. Publication
The lead or the regional team publishes the agreed or adjudicated alignment to the community index. From
then on it appears on these pages (if the initiative is public), in the community search and in the
municipality's own workspace. If the municipality stops sharing the initiative, its alignment is no longer
shown; if it shares it again, the published alignment comes back with it.

## Automatic suggestions
When a specialist opens a case, the system suggests goals and targets, with a score and the words of the
text that prompted each suggestion. It is only an aid to reading the initiative: a suggestion never becomes
an alignment without a specialist's proposal.""",
}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "list"
    text: str = ""
    items: tuple[str, ...] = ()


def text_blocks(text: str) -> list[Block]:
    """The page's plain text as blocks for the template to render (which escapes them):
    blank lines separate paragraphs (lines in between are joined), a line starting with "## "
    is a subheading, a line starting with "- " starts a list item. Nothing else is markup."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Block("list", items=tuple(bullets)))
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            if heading := line[3:].strip():
                blocks.append(Block("heading", heading))
        elif line.startswith("- "):
            if paragraph:
                flush()
            if item := line[2:].strip():
                bullets.append(item)
        elif bullets:
            bullets[-1] = f"{bullets[-1]} {line}"  # a wrapped list item goes on until a blank line
        else:
            paragraph.append(line)
    flush()
    return blocks


def current_revision() -> MethodPageRevision | None:
    return MethodPageRevision.objects.select_related("edited_by").order_by("-version").first()


@dataclass(frozen=True)
class MethodText:
    text: str
    language: str  # the language of `text` (Spanish when the active one has none)
    revision: MethodPageRevision | None  # None: the default text


def method_text(language: str | None = None, *, revision: MethodPageRevision | None = None) -> MethodText:
    """The text in the active language, falling back to Spanish."""
    language = (language or get_language() or "es")[:2]
    texts = {"es": revision.body_es, "en": revision.body_en} if revision is not None else DEFAULT_METHOD_TEXT
    if texts.get(language):
        return MethodText(texts[language], language, revision)
    return MethodText(texts["es"], "es", revision)


def method_history(limit: int = HISTORY_SIZE) -> list[MethodPageRevision]:
    return list(MethodPageRevision.objects.select_related("edited_by").order_by("-version")[:limit])


@dataclass(frozen=True)
class MethodFigures:
    published: int
    in_progress: int
    waiting_proposals: int  # open (and in review)
    waiting_adjudication: int  # disputed
    waiting_publication: int  # agreed or adjudicated, not yet published
    decided: int  # agreed, adjudicated or published
    by_agreement: int
    by_adjudication: int
    pooled_kappa: float | None  # over every specialist pair of every case past the blind stage
    compared_pairs: int  # (case, pair of specialists) comparisons behind it
    mean_target_overlap: float | None

    @property
    def agreement_share(self) -> float | None:
        return self.by_agreement / self.decided if self.decided else None

    @property
    def adjudication_share(self) -> float | None:
        return self.by_adjudication / self.decided if self.decided else None


def _pooled_kappa() -> tuple[float | None, int]:
    """Cohen's kappa pooled over every pair of proposals of every case past the blind stage
    (17 decisions per pair), as selectors.pair_agreements pools one pair's cases: one query
    of goal arrays, no model instances."""
    rows: Iterable[tuple[int, int, list[int | None]]] = (
        Proposal.objects.exclude(case__status=CaseStatus.OPEN)
        .values_list("case_id", "specialist_id")
        .annotate(goals=ArrayAgg("goal_rows__goal__number"))
        .order_by("case_id", "specialist_id")
    )
    by_case: dict[int, list[set[int]]] = {}
    for case_id, _specialist, goals in rows:
        by_case.setdefault(case_id, []).append({g for g in goals if g is not None})
    pairs = [pair for sets in by_case.values() for pair in combinations(sets, 2)]
    return agreement.pooled_kappa(pairs), len(pairs)


def method_figures() -> MethodFigures:
    decided_states = [CaseStatus.AGREED, CaseStatus.ADJUDICATED, CaseStatus.PUBLISHED]
    decided = Q(status__in=decided_states)
    # Adjudication requires a reason and agreement never sets one: the reason tells them apart
    # after publication, when both are "published".
    counts = AlignmentCase.objects.aggregate(
        published=Count("pk", filter=Q(status=CaseStatus.PUBLISHED)),
        in_progress=Count("pk", filter=~Q(status=CaseStatus.PUBLISHED)),
        waiting_proposals=Count("pk", filter=Q(status__in=[CaseStatus.OPEN, CaseStatus.IN_REVIEW])),
        waiting_adjudication=Count("pk", filter=Q(status=CaseStatus.DISPUTED)),
        waiting_publication=Count("pk", filter=Q(status__in=[CaseStatus.AGREED, CaseStatus.ADJUDICATED])),
        decided=Count("pk", filter=decided),
        by_adjudication=Count("pk", filter=decided & ~Q(decision_reason="")),
        overlap=Avg("target_overlap"),
    )
    kappa, pairs = _pooled_kappa()
    return MethodFigures(
        published=counts["published"],
        in_progress=counts["in_progress"],
        waiting_proposals=counts["waiting_proposals"],
        waiting_adjudication=counts["waiting_adjudication"],
        waiting_publication=counts["waiting_publication"],
        decided=counts["decided"],
        by_agreement=counts["decided"] - counts["by_adjudication"],
        by_adjudication=counts["by_adjudication"],
        pooled_kappa=kappa,
        compared_pairs=pairs,
        mean_target_overlap=counts["overlap"],
    )
