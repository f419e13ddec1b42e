"""The search interface (DESIGN.md §2): one small typed contract, two backends.

PostgreSQL full text is the default and what CI runs; Elasticsearch is chosen by setting
ELASTICSEARCH_URL. Callers build a `SearchRequest`, call `get_backend().search(request)`
and get `SearchResults` back, whichever backend answered (Elasticsearch falls back to
PostgreSQL when it is down, so a search never fails because of it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from community.models import IndexItem

# The facets, in the order pages show them. Each is also the name of the request's filter
# and of the GET parameter.
FACETS = ("kind", "country", "region", "population_bracket", "platform_theme", "sdg_goal", "sdg_target", "status")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Deep pages cost a sort of everything before them (and Elasticsearch refuses past 10,000).
MAX_RESULT_WINDOW = 10_000


class BackendUnavailable(Exception):
    """The backend could not be reached or refused the request."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    # Filters: several values of one facet are alternatives (OR); facets combine with AND.
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    population_bracket: tuple[str, ...] = ()
    platform_theme: tuple[int, ...] = ()
    sdg_goal: tuple[int, ...] = ()
    # Target codes ("6.1", "6.a", local "11.2.1"), as IndexItem.sdg_targets holds them.
    sdg_target: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # Only items anyone may see (community.selectors.public_items); False: every live item
    # (live_items), for the regional team's tools.
    public_only: bool = True

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The active filters, facet name -> values as text."""
        values = {name: tuple(str(v) for v in getattr(self, name)) for name in FACETS}
        return {name: v for name, v in values.items() if v}

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Hit:
    id: int
    key: str
    kind: str
    title: str
    municipality_name: str
    country: str
    region: str
    status: str
    light: int | None
    source_url: str
    snippet: str  # plain text
    snippet_html: SafeString  # escaped, highlighted words in <mark>
    score: float
    sdg_goals: tuple[int, ...] = ()  # the published SDG alignment's goals; () if not aligned


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    backend: str = "postgresql"
    # Set when the words had to be matched with OR because no item has all of them.
    relaxed: bool = False
    # Set when there were more matches than a backend counts exactly: `total` is then a
    # lower bound ("more than N"), never an estimate above the truth.
    total_is_lower_bound: bool = False
    # Set when the facet counts were taken over the first matches only (so each is a lower
    # bound too); the page says so.
    facets_partial: bool = False

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULT_WINDOW)
        return max(1, -(-reachable // self.page_size))


class SearchBackend(Protocol):
    name: str

    def index(self, items: Sequence[IndexItem]) -> set[str]:
        """Index live items; returns the keys that reached the backend. Raises
        BackendUnavailable when it cannot be reached at all."""
        ...

    def remove(self, keys: Iterable[str]) -> set[str]:
        """Forget items (withdrawn); returns the keys that are gone (absent counts)."""
        ...

    def search(self, request: SearchRequest) -> SearchResults: ...


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL."""
    if elasticsearch_enabled():
        from search.backends.elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    from search.backends.postgres import PostgresBackend

    return PostgresBackend()
