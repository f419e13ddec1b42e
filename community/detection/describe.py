"""What a found group is called, why it exists, and how strong it is.

- **Terms**: a term is ranked by ``coverage² x idf`` (coverage = share of the group's members
  whose text has it; idf = how rare it is among items of that kind), so the name comes from
  words most members share and few outsiders use. The name joins the two best terms,
  preferring a bigram over the single words inside it: "agua potable · acueducto rural".
- **Shared attributes** (SDG targets and goals, platform themes, regions, countries,
  population brackets, restriction types): a value is listed when at least two
  municipalities' members have it and it covers at least 20 % of the members.
- **Strength** (0..1) = cohesion x size factor x spread factor, where cohesion is the mean
  member score (similarity to the group's centroid, see cluster.py), the size factor is
  ``1 - exp(-(m - 1) / 8)`` for m municipalities (2 → 0.12, 5 → 0.39, 10 → 0.68, 25 → 0.95:
  a theme shared by many municipalities matters more than a coincidence between two), and the spread factor is
  ``0.8 + 0.2 · min(1, (c - 1) / 2)`` for c countries (a theme that crosses borders is what
  a regional community is for; one country's is still a theme, a little weaker)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from community.detection.cluster import Clustering
from community.detection.features import Items, KindMatrix, Terms

SHARED_MIN_COVERAGE = 0.2
TERM_MIN_COVERAGE = 0.15
REASON_TERMS = 8
NAME_PARTS = 2


@dataclass
class Found:
    kind: str  # GroupKind value
    keys: list[str]
    item_ids: list[int]
    scores: list[float]
    auto_name: str
    reasons: dict  # type: ignore[type-arg]
    strength: float


def strength(cohesion: float, municipalities: int, countries: int) -> float:
    size = 1.0 - math.exp(-(municipalities - 1) / 8.0)
    spread = 0.8 + 0.2 * min(1.0, (countries - 1) / 2.0)
    return round(max(0.0, min(1.0, cohesion * size * spread)), 3)


def _shared(values_per_member: list[tuple[int, list]], size: int) -> list:  # type: ignore[type-arg]
    counts: Counter = Counter()  # type: ignore[type-arg]
    munis: dict[object, set[int]] = {}
    for muni, values in values_per_member:
        for v in set(values):
            counts[v] += 1
            munis.setdefault(v, set()).add(muni)
    return [v for v, c in counts.most_common() if c >= SHARED_MIN_COVERAGE * size and len(munis[v]) >= 2][:10]


def _shared_one(values: list[str], pairs: list[tuple[int, int]], size: int) -> list:  # type: ignore[type-arg]
    return _shared([(m, [values[r]] if values[r] else []) for m, r in pairs], size)


def describe(
    *,
    kind: str,
    group_kind: str,
    km: KindMatrix,
    items: Items,
    clustering: Clustering,
    terms: Terms,
) -> list[Found]:
    term_names, n_stems, bigrams = terms.names, terms.n_stems, terms.bigrams
    labels = clustering.labels
    k = clustering.centroids.shape[0]
    if k == 0:
        return []
    members = np.flatnonzero(labels >= 0)
    # coverage: groups x terms, how many members have each term
    binary = km.text.copy()
    binary.data[:] = 1.0
    ind = sparse.csr_matrix(
        (np.ones(len(members), dtype=np.float32), (labels[members], members)), shape=(k, len(labels))
    )
    coverage = (ind @ binary).tocsr()
    df = np.bincount(binary.indices, minlength=binary.shape[1]).astype(np.float64)
    idf = np.log(max(len(labels), 1) / np.maximum(df, 1.0))
    sizes = np.bincount(labels[members], minlength=k)
    by_group: list[list[int]] = [[] for _ in range(k)]
    for m in members:
        by_group[labels[m]].append(int(m))

    def stems_of(term: int) -> set[int]:
        if term < n_stems:
            return {term}
        a, b = bigrams[term - n_stems]
        return {int(a), int(b)}

    found: list[Found] = []
    for g in range(k):
        rows = by_group[g]
        size = int(sizes[g])
        a, b = coverage.indptr[g], coverage.indptr[g + 1]
        cols, counts = coverage.indices[a:b], coverage.data[a:b]
        cov = counts / size
        ok = (cov >= TERM_MIN_COVERAGE) & (counts >= 2)
        cols, cov = cols[ok], cov[ok]
        rank = np.argsort(-(cov * cov * idf[cols]), kind="stable")
        ranked = [int(t) for t in cols[rank]]
        name_parts: list[int] = []
        for t in ranked[:15]:
            stems = stems_of(t)
            if any(stems <= stems_of(p) for p in name_parts):
                continue  # a word already inside a chosen bigram
            if t >= n_stems:
                # A bigram replaces the single words it contains.
                name_parts = [p for p in name_parts if not stems_of(p) <= stems]
                if any(stems & stems_of(p) for p in name_parts):
                    continue
            name_parts.append(t)
            if len(name_parts) >= NAME_PARTS:
                break
        reason_terms: list[str] = []
        seen_stems: set[int] = set()
        for t in ranked:
            if t < n_stems and t in seen_stems:
                continue
            reason_terms.append(term_names[t])
            seen_stems |= stems_of(t)
            if len(reason_terms) >= REASON_TERMS:
                break
        item_rows = km.rows[rows]
        munis = [items.municipality[r] for r in item_rows]
        n_munis = len(set(munis))
        n_countries = len({items.country[r] for r in item_rows})
        scores = clustering.scores[rows]
        cohesion = float(scores.mean()) if len(scores) else 0.0

        pairs = list(zip(munis, item_rows.tolist(), strict=True))
        reasons = {
            "terms": reason_terms,
            "sdg_targets": _shared([(m, items.targets[r]) for m, r in pairs], size),
            "sdg_goals": _shared([(m, items.goals[r]) for m, r in pairs], size),
            "themes": _shared([(m, items.themes[r]) for m, r in pairs], size),
            "regions": _shared_one(items.region, pairs, size),
            "countries": _shared_one(items.country, pairs, size),
            "population_brackets": _shared_one(items.bracket, pairs, size),
            "municipalities": n_munis,
            "countries_count": n_countries,
            "members": size,
            "cohesion": round(cohesion, 3),
        }
        if kind == "restriction":
            reasons["restriction_types"] = _shared_one(items.restriction_type, pairs, size)
        name = " · ".join(term_names[t] for t in name_parts) or (reason_terms[0] if reason_terms else "")
        found.append(
            Found(
                kind=group_kind,
                keys=[items.key(r) for r in item_rows],
                item_ids=[items.ids[r] for r in item_rows],
                scores=[round(float(s), 3) for s in scores],
                auto_name=name[:200],
                reasons=reasons,
                strength=strength(cohesion, n_munis, n_countries),
            )
        )
    return found
