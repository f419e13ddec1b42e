"""How a hit reads for people, on the page and in the API: labels for its codes, its
traffic light, and a link only when it is a web address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from community.models import ItemKind
from ods_alignment.models import Goal
from search.backends import Hit
from search.results import status_labels
from tenants.initiatives.rules import Light
from tenants.links import safe_href
from tenants.models import Country


@dataclass(frozen=True)
class HitView:
    hit: Hit
    kind_label: str
    country_label: str
    status_label: str
    light: Light | None
    url: str  # "" unless source_url is an http(s) or site-relative address
    goals: tuple[Goal, ...] = ()  # the item's SDG goals, in order; () for an item not aligned

    def as_dict(self) -> dict[str, Any]:
        hit = self.hit
        return {
            "key": hit.key,
            "kind": hit.kind,
            "kind_label": self.kind_label,
            "title": hit.title,
            "snippet": hit.snippet,
            "snippet_html": str(hit.snippet_html),
            "municipality": hit.municipality_name,
            "country": hit.country,
            "country_label": self.country_label,
            "region": hit.region,
            "status": hit.status,
            "status_label": self.status_label,
            "light": int(self.light) if self.light is not None else None,
            "light_label": self.light.label if self.light is not None else None,
            "source_url": self.url,
            "score": round(hit.score, 4),
        }


def _light(value: int | None) -> Light | None:
    try:
        return Light(value) if value is not None else None
    except ValueError:
        return None


def _goals_of(hits: list[Hit]) -> dict[int, Goal]:
    """The goals the hits are aligned to, by number: one query for the page, none without
    any aligned hit."""
    numbers = {n for hit in hits for n in hit.sdg_goals}
    return {g.number: g for g in Goal.objects.filter(number__in=numbers)} if numbers else {}


def present(hits: list[Hit]) -> list[HitView]:
    kinds = {v: str(label) for v, label in ItemKind.choices}
    countries = {v: str(label) for v, label in Country.choices}
    statuses = status_labels()
    goals = _goals_of(hits)
    return [
        HitView(
            hit=hit,
            kind_label=kinds.get(hit.kind, hit.kind),
            country_label=countries.get(hit.country, hit.country),
            status_label=statuses.get(hit.status, hit.status),
            light=_light(hit.light),
            url=safe_href(hit.source_url),
            goals=tuple(goals[n] for n in hit.sdg_goals if n in goals),
        )
        for hit in hits
    ]
