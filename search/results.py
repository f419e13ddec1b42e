"""What both backends do the same way once they have found something: turn matched ids
into hits (always through the community selectors, so a stale search index can never show
an item that is no longer public), and raw facet counts into labelled facet values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community import selectors
from community.models import IndexItem, ItemKind, PlatformTheme, PopulationBracket
from search import sdg
from search.backends import FACETS, FacetValue, Hit, SearchRequest
from search.text import snippet_html, snippet_plain
from tenants.models import Country
from tenants.validators import parse_id

# A facet shows its most frequent values; the values the request filters on always stay.
FACET_SIZE = 20
SNIPPET_WORDS = 30


def visible_items(request: SearchRequest) -> QuerySet[IndexItem]:
    return selectors.public_items() if request.public_only else selectors.live_items()


def status_labels() -> dict[str, str]:
    """Initiatives carry their workflow status; restrictions are open or resolved."""
    from tenants.initiatives.models import Status

    labels = {value: str(label) for value, label in Status.choices}
    labels["open"] = _("Abierta")
    labels["closed"] = _("Resuelta")
    return labels


def facet_status(item: IndexItem) -> str:
    """The status facet's value: an initiative's status, or whether a restriction is open."""
    if item.status:
        return item.status
    if item.kind == ItemKind.RESTRICTION:
        return "open" if item.is_open else "closed"
    return ""


def facet_status_sql(alias: str) -> str:
    """The same rule in SQL, over the columns of community_indexitem as `alias`."""
    return (
        f"COALESCE(NULLIF({alias}.status, ''), CASE WHEN {alias}.kind = 'restriction' "
        f"THEN CASE WHEN {alias}.is_open THEN 'open' ELSE 'closed' END ELSE '' END)"
    )


FACET_STATUS_SQL = facet_status_sql("community_indexitem")


def _labeller(facet: str, values: Sequence[str]) -> Mapping[str, str]:
    if facet == "kind":
        return {v: str(label) for v, label in ItemKind.choices}
    if facet == "country":
        return {v: str(label) for v, label in Country.choices}
    if facet == "population_bracket":
        return {v: str(label) for v, label in PopulationBracket.choices}
    if facet == "platform_theme":
        ids = [pk for v in values if (pk := parse_id(v)) is not None]
        return {str(pk): name for pk, name in PlatformTheme.objects.filter(pk__in=ids).values_list("pk", "name")}
    if facet == "sdg_goal":
        return sdg.goal_labels(values)
    if facet == "sdg_target":
        return sdg.target_labels(values)
    if facet == "status":
        return status_labels()
    return {}


def labelled_facets(
    raw: Mapping[str, Sequence[tuple[str, int]]], request: SearchRequest
) -> dict[str, list[FacetValue]]:
    """Raw (value, count) pairs per facet -> the most frequent FACET_SIZE values, labelled
    for people, plus any value the request filters on (with its count, maybe 0), so a chosen
    filter never disappears from the page."""
    chosen = request.filters()
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        counts = {str(value): int(count) for value, count in raw.get(facet, ()) if value not in (None, "")}
        top = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))[:FACET_SIZE]
        keep = dict(top)
        for value in chosen.get(facet, ()):
            keep.setdefault(value, counts.get(value, 0))
        labels = _labeller(facet, list(keep))
        values = [FacetValue(value, labels.get(value, value), count) for value, count in keep.items()]
        # Most frequent first; equal counts: SDGs in the official order ("6.2" before "6.10"),
        # the rest by label (two stable sorts).
        if facet in ("sdg_goal", "sdg_target"):
            values.sort(key=lambda f: sdg.code_order(f.value))
        else:
            values.sort(key=lambda f: f.label.lower())
        values.sort(key=lambda f: -f.count)
        facets[facet] = values
    return facets


def hydrate(
    request: SearchRequest,
    scored: Sequence[tuple[int, float]],
    *,
    snippets: Mapping[int, str] | None = None,
    headline: Any = None,
) -> list[Hit]:
    """Hits for (item id, score) in that order, read through the community selector: ids
    the selector no longer allows are dropped. Snippets come from the backend (`snippets`,
    marked text) or from an SQL expression annotated as `marked` (`headline`); without
    either, the start of the item's text."""
    ids = [item_id for item_id, _score in scored]
    rows = visible_items(request).filter(pk__in=ids).select_related("municipality")
    if headline is not None:
        rows = rows.annotate(marked=headline)
    by_id = {row.pk: row for row in rows}
    hits = []
    for item_id, score in scored:
        row = by_id.get(item_id)
        if row is None:
            continue
        marked = (snippets or {}).get(item_id) or getattr(row, "marked", None) or ""
        if not marked:
            marked = Truncator(row.text).words(SNIPPET_WORDS)
        hits.append(
            Hit(
                id=row.pk,
                key=row.key,
                kind=row.kind,
                title=row.title,
                municipality_name=row.municipality.name,
                country=row.country,
                region=row.region,
                status=facet_status(row),
                light=row.light,
                # The index keeps the path on the municipality's own host.
                source_url=row.public_url,
                snippet=snippet_plain(marked),
                snippet_html=snippet_html(marked),
                score=float(score),
                sdg_goals=tuple(sorted(set(row.sdg_goals or ()))),
            )
        )
    return hits
