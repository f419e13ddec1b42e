"""From index rows to the vectors detection compares.

Initiatives: one L2-normalised row per item made of weighted blocks, so that a dot product
is a weighted sum of per-block cosines:

    text (TF-IDF on stems and bigrams)  0.75
    SDG targets                         0.10
    SDG goals                           0.05
    platform themes                     0.10

An item without SDG or themes is not penalised: its blocks' weights are renormalised over the
blocks it has. Restrictions: text only; their type is a weak signal (cluster.WeakSignal).

For a restriction, the words it shares with its own initiative's text ("el acueducto rural")
say *what* was affected, not *what went wrong*: they are down-weighted (x 0.3) so that the
same problem on different works groups together, and different problems on the same kind of
works do not."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from community.detection.text import Corpus

TEXT_WEIGHT = 0.75
BLOCK_WEIGHTS = {"sdg_targets": 0.10, "sdg_goals": 0.05, "themes": 0.10}
OWN_INITIATIVE_FACTOR = 0.3


@dataclass
class Items:
    """The live items of one run, as parallel arrays (row i = one item)."""

    ids: list[int] = field(default_factory=list)
    municipality: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    restriction_type: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    bracket: list[str] = field(default_factory=list)
    themes: list[list[int]] = field(default_factory=list)
    goals: list[list[int]] = field(default_factory=list)
    targets: list[list[str]] = field(default_factory=list)
    initiative: list[int | None] = field(default_factory=list)  # IndexItem id of a restriction's initiative
    corpus: Corpus = field(default_factory=Corpus)

    def add(self, row: tuple) -> None:  # type: ignore[type-arg]
        (item_id, muni, kind, source, title, text, rtype, country, region, bracket, themes, goals, targets, init) = row
        self.ids.append(item_id)
        self.municipality.append(muni)
        self.kind.append(kind)
        self.source.append(source)
        self.restriction_type.append(rtype or "")
        self.country.append(country or "")
        self.region.append(f"{region} ({country})" if region else "")
        self.bracket.append(bracket or "")
        self.themes.append(list(themes or []))
        self.goals.append(list(goals or []))
        self.targets.append(list(targets or []))
        self.initiative.append(init)
        self.corpus.add(f"{title}. {text}")

    def key(self, i: int) -> str:
        return f"{self.municipality[i]}:{self.kind[i]}:{self.source[i]}"

    def __len__(self) -> int:
        return len(self.ids)


def codes(values: list[str], rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Integer codes for values[rows] ("" → -1) and the code table."""
    table: dict[str, int] = {}
    out = np.full(len(rows), -1, dtype=np.int64)
    for j, r in enumerate(rows):
        v = values[r]
        if v:
            out[j] = table.setdefault(v, len(table))
    return out, list(table)


def _one_hot(lists: list[list], rows: np.ndarray) -> tuple[sparse.csr_matrix, list]:  # type: ignore[type-arg]
    table: dict[object, int] = {}
    r_idx: list[int] = []
    c_idx: list[int] = []
    for j, r in enumerate(rows):
        for v in set(lists[r]):
            r_idx.append(j)
            c_idx.append(table.setdefault(v, len(table)))
    m = sparse.csr_matrix(
        (np.ones(len(r_idx), dtype=np.float32), (r_idx, c_idx)), shape=(len(rows), max(len(table), 1))
    )
    return m, list(table)


def _l2(m: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    present = norms > 0
    norms[~present] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32), present


@dataclass
class KindMatrix:
    rows: np.ndarray  # item row indices (into Items) of this kind
    X: sparse.csr_matrix  # combined, L2-normalised
    text: sparse.csr_matrix  # the text block alone (TF-IDF, L2), for describing groups
    n_text_terms: int
    blocks: dict[str, list]  # type: ignore[type-arg]  # block name → column values (targets, goals, theme ids)


@dataclass
class Terms:
    names: list[str]  # term id -> display form ("agua", "agua potable")
    n_stems: int  # term ids below this are single stems, the rest bigrams
    bigrams: np.ndarray  # (bigram id - n_stems) -> (stem a, stem b)


def build(items: Items) -> tuple[dict[str, KindMatrix], Terms]:
    """Matrices per kind and the text terms (stems and bigrams) with their display forms."""
    docs, terms, n_stems, bigrams = items.corpus.term_arrays()
    display = items.corpus.display_forms()
    term_names = display + [f"{display[a]} {display[b]}" for a, b in bigrams]
    n_terms = max(len(term_names), 1)
    counts = sparse.csr_matrix(
        (np.ones(len(docs), dtype=np.float32), (docs, terms)), shape=(len(items), n_terms)
    )  # duplicates are summed: term frequencies
    kinds = np.array(items.kind)
    out: dict[str, KindMatrix] = {}
    for kind in ("initiative", "restriction"):
        rows = np.flatnonzero(kinds == kind)
        tf = counts[rows].tocsr()
        tf.data = 1.0 + np.log(tf.data)  # sublinear: repeating a word is not twice the meaning
        df = np.bincount(tf.indices, minlength=n_terms).astype(np.float64)
        # Smoothed (as scikit-learn does): on small sets a word nobody else uses would
        # otherwise outweigh the few words two texts share.
        idf = (np.log((len(rows) + 1) / (df + 1)) + 1.0).astype(np.float32)
        tfidf = sparse.csr_matrix(tf @ sparse.diags(idf), dtype=np.float32)
        tfidf.eliminate_zeros()
        if kind == "restriction" and len(rows):
            tfidf = _downweight_own_initiative(items, rows, tfidf, counts)
        text, _ = _l2(tfidf)
        blocks: dict[str, list] = {}  # type: ignore[type-arg]
        if kind == "initiative":
            parts = [(text, TEXT_WEIGHT, np.diff(text.indptr) > 0)]
            for name, lists in (("sdg_targets", items.targets), ("sdg_goals", items.goals), ("themes", items.themes)):
                block, values = _one_hot(lists, rows)
                block, present = _l2(block)
                blocks[name] = values
                parts.append((block, BLOCK_WEIGHTS[name], present))
            total = sum(np.where(present, w, 0.0) for _, w, present in parts)
            total = np.where(total > 0, total, 1.0)
            scaled = [sparse.diags(np.sqrt(np.where(present, w, 0.0) / total)) @ m for m, w, present in parts]
            X = sparse.hstack(scaled, format="csr", dtype=np.float32)
        else:
            X = text
        out[kind] = KindMatrix(rows=rows, X=X, text=text, n_text_terms=n_terms, blocks=blocks)
    return out, Terms(term_names, n_stems, bigrams)


def _downweight_own_initiative(
    items: Items, rows: np.ndarray, tfidf: sparse.csr_matrix, counts: sparse.csr_matrix
) -> sparse.csr_matrix:
    row_of_id = {item_id: i for i, item_id in enumerate(items.ids)}
    init_rows = np.array([row_of_id.get(items.initiative[r], -1) if items.initiative[r] else -1 for r in rows])
    has = init_rows >= 0
    if not has.any():
        return tfidf
    # Rows of the restrictions' initiatives' term counts (an empty row when not shared).
    gather = sparse.csr_matrix(
        (np.ones(int(has.sum()), dtype=np.float32), (np.flatnonzero(has), init_rows[has])),
        shape=(len(rows), counts.shape[0]),
    )
    own = (gather @ counts).tocsr()
    own.data[:] = 1.0
    shared = tfidf.multiply(own).tocsr()
    return sparse.csr_matrix(tfidf - (1.0 - OWN_INITIATIVE_FACTOR) * shared, dtype=np.float32)
