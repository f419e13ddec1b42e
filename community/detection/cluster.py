"""Grouping by similarity to a centroid, in rounds, without comparing every pair.

The input is one L2-normalised sparse row per item (TF-IDF text plus SDG and theme blocks,
see features.py), so a dot product is a cosine. Items join a group only if they are similar
enough to the group's *centroid* (the normalised mean of its members), never merely to one
other member: that is what keeps unrelated items from being chained together.

Finding the groups without O(n²) work:

1. **Sampled rounds.** Take a few hundred *seed* items from the pool of ungrouped items and
   compute their similarity to the whole pool (a sparse product, seeds x pool). A seed whose
   neighbourhood (similarity ≥ `pair_threshold`) spans two or more municipalities proposes a
   centroid (the mean of that neighbourhood); seeds already inside a chosen neighbourhood,
   and centroids too close to an existing one (≥ `merge_threshold`), are skipped. Then every
   pool item is compared with the centroids (pool x centroids, cheap: there are few) and
   joins the best one if its score reaches `assign_threshold`; centroids are recomputed
   from their members and the pool is assigned once more. Large groups are found in the
   first rounds almost surely, since a seed falls in them with high probability, and they
   leave the pool.
2. **Sweep.** When the pool is small (≤ `exact_pool`), or sampling stops paying off, every
   pool item becomes a seed. On a large leftover pool the product then skips terms whose
   document frequency in the pool exceeds `sweep_df_cap` (an inverted index with a frequency
   cap): a group made of such frequent terms would have been sampled already.
3. **Final pass.** Centroids closer than `merge_threshold` are merged (two rounds may have
   found the same theme from different seeds), then every item is assigned to its best
   centroid (so early, rough assignments are corrected); groups with fewer than two
   municipalities are dropped.

Cost: the seed products are (seeds x pool) with few seeds, the assignment products are
(pool x groups) with centroids pruned to their `centroid_terms` heaviest terms; nothing is
(items x items). On 500,000 restrictions this takes about half a minute.

The *score* of an item against a group is ``min(1, cos(item, centroid) + Σ w·share)``, where
each weak signal (region, country, population bracket for initiatives; restriction type for
restrictions) adds its small weight times the share of the group's other members having the
item's value of it: weak signals nudge borderline items, they never make a group on their
own. For a member, both the centroid and the shares leave the item itself out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class WeakSignal:
    codes: np.ndarray  # per item, an integer code (-1 = unknown)
    weight: float


@dataclass(frozen=True)
class Params:
    # Similarity a seed's neighbour needs (it only proposes a group; membership is decided
    # against the centroid).
    pair_threshold: float = 0.35
    # Score an item needs against a group's centroid (leaving itself out) to be a member.
    # Tuned on the generated sets (bench/community_data.py) and on hand-written paraphrases:
    # real paraphrases of one aim score 0.4-0.5 pairwise, different aims under 0.1.
    assign_threshold: float = 0.38
    # Centroids this similar describe the same theme.
    merge_threshold: float = 0.5
    seeds_per_round: int = 400
    exact_pool: int = 12_000
    max_sampled_rounds: int = 6
    min_round_gain: float = 0.01  # stop sampling when a round groups less than this share of the pool
    sweep_df_cap: int = 300
    centroid_terms: int = 80
    chunk_rows: int = 20_000
    seed_chunk: int = 200
    seed: int = 8


@dataclass
class Clustering:
    labels: np.ndarray  # per item, group index or -1
    scores: np.ndarray  # per item, score against its group (0 when ungrouped)
    centroids: sparse.csr_matrix  # group index → centroid row
    stats: dict[str, float | int] = field(default_factory=dict)


def _normalise_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


def _prune_rows(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Keep each row's `keep` largest entries, then renormalise: a centroid of a group of
    thousands touches thousands of terms, most with negligible weight, and every extra term
    makes the item x centroid product slower."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    rows, cols, vals = [], [], []
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for r in range(matrix.shape[0]):
        a, b = indptr[r], indptr[r + 1]
        top = np.argpartition(data[a:b], -keep)[-keep:] + a if b - a > keep else np.arange(a, b)
        rows.append(np.full(len(top), r))
        cols.append(indices[top])
        vals.append(data[top])
    if not rows:
        return matrix
    pruned = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape, dtype=np.float32
    )
    return _normalise_rows(pruned)


def _indicator(labels: np.ndarray, k: int, *, mean: bool) -> sparse.csr_matrix:
    """Group x item matrix with 1 (or 1/size) where the item belongs to the group."""
    members = np.flatnonzero(labels >= 0)
    groups = labels[members]
    values = np.ones(len(members), dtype=np.float32)
    if mean:
        sizes = np.bincount(groups, minlength=k).astype(np.float32)
        values = 1.0 / sizes[groups]
    return sparse.csr_matrix((values, (groups, members)), shape=(k, len(labels)))


def _row_argmax(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: has any entry, column of the largest entry, its value. Vectorised (scipy's
    own argmax loops over rows in Python, which is what a run would spend its time on)."""
    n = m.shape[0]
    counts = np.diff(m.indptr)
    has = counts > 0
    arg = np.zeros(n, dtype=np.int64)
    top = np.zeros(n, dtype=np.float32)
    if m.nnz == 0:
        return has, arg, top
    starts = m.indptr[:-1][has]
    top[has] = np.maximum.reduceat(m.data, starts)
    rows = np.repeat(np.arange(n), counts)
    hits = np.flatnonzero(m.data == top[rows])
    first = np.r_[True, rows[hits][1:] != rows[hits][:-1]]  # first maximum of each row
    arg[rows[hits][first]] = m.indices[hits[first]]
    return has, arg, top


class _Grouper:
    def __init__(self, X: sparse.csr_matrix, municipalities: np.ndarray, weak: list[WeakSignal], params: Params):
        self.X = sparse.csr_matrix(X, dtype=np.float32)
        self.n = X.shape[0]
        self.muni = municipalities
        self.weak = weak
        self.p = params
        self.rng = np.random.default_rng(params.seed)
        self.labels = np.full(self.n, -1, dtype=np.int64)
        self.scores = np.zeros(self.n, dtype=np.float32)
        self.C = sparse.csr_matrix((0, X.shape[1]), dtype=np.float32)
        self.shares: list[np.ndarray] = [np.zeros((0, max(int(w.codes.max(initial=-1)) + 1, 1))) for w in weak]
        self.sizes = np.zeros(0, dtype=np.float32)  # members per group (as of the last recompute)
        self.sum_norm = np.zeros(0, dtype=np.float32)  # norm of the sum of the members' rows
        self.stats: dict[str, float | int] = {"rounds": 0, "sweeps": 0}

    # -- centroids and weak-signal shares from the current labels --------------------------

    def recompute(self) -> None:
        k = self.C.shape[0]
        if k == 0:
            return
        sums = _indicator(self.labels, k, mean=False) @ self.X
        self.sum_norm = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel()).astype(np.float32)
        self.C = _prune_rows(sums, self.p.centroid_terms)
        members = self.labels >= 0
        self.sizes = np.bincount(self.labels[members], minlength=k).astype(np.float32)
        sizes = np.maximum(self.sizes, 1)
        for i, w in enumerate(self.weak):
            table = np.zeros((k, self.shares[i].shape[1]))
            known = members & (w.codes >= 0)
            np.add.at(table, (self.labels[known], w.codes[known]), 1.0)
            self.shares[i] = table / sizes[:, None]

    def score(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best group and score for each of `rows` against the current centroids.

        An item is scored against its own group *without itself* (leave-one-out): otherwise
        any two items make a group whose centroid is close to both (for a pair the score is
        then exactly their similarity)."""
        best = np.full(len(rows), -1, dtype=np.int64)
        score = np.zeros(len(rows), dtype=np.float32)
        if self.C.shape[0] == 0 or len(rows) == 0:
            return best, score
        CT = self.C.T.tocsr()
        k = self.C.shape[0]
        sizes = self.sizes if len(self.sizes) == k else np.zeros(k, dtype=np.float32)
        sum_norm = self.sum_norm if len(self.sum_norm) == k else np.zeros(k, dtype=np.float32)
        for start in range(0, len(rows), self.p.chunk_rows):
            chunk = rows[start : start + self.p.chunk_rows]
            sims = (self.X[chunk] @ CT).tocsr()
            has, arg, top = _row_argmax(sims)
            own = has & (self.labels[chunk] == arg) & (sizes[arg] >= 1)
            n_own = sizes[arg[own]]
            if own.any():
                xs = top[own] * sum_norm[arg[own]]  # x · (sum of the group's members)
                rest = np.sqrt(np.maximum(sum_norm[arg[own]] ** 2 - 2 * xs + 1, 1e-12))
                top[own] = np.where(n_own >= 2, (xs - 1) / rest, 0.0)
            s = top.copy()
            for i, w in enumerate(self.weak):
                codes = w.codes[chunk]
                ok = has & (codes >= 0)
                bonus = np.zeros(len(chunk), dtype=np.float32)
                bonus[ok] = self.shares[i][arg[ok], codes[ok]]
                # Leave-one-out here too: an item's own value is not "shared".
                mine = ok & own
                if mine.any():
                    n = sizes[arg[mine]]
                    bonus[mine] = np.where(n >= 2, (bonus[mine] * n - 1) / np.maximum(n - 1, 1), 0.0)
                s = s + w.weight * bonus
            best[start : start + len(chunk)] = np.where(has, arg, -1)
            score[start : start + len(chunk)] = np.where(has, np.clip(s, 0.0, 1.0), 0.0)
        return best, score

    def assign(self, rows: np.ndarray) -> int:
        best, score = self.score(rows)
        ok = (best >= 0) & (score >= self.p.assign_threshold)
        self.labels[rows] = np.where(ok, best, -1)
        self.scores[rows] = np.where(ok, score, 0.0)
        return int(ok.sum())

    # -- proposing centroids from seeds ----------------------------------------------------

    def propose(self, pool: np.ndarray, seeds_pos: np.ndarray, df_cap: int | None) -> int:
        """Seeds (positions in `pool`) → new centroids appended to C. Returns how many."""
        Xp = self.X[pool]
        if df_cap is not None:
            df = np.bincount(Xp.indices, minlength=Xp.shape[1])
            keep = np.flatnonzero((df > 1) & (df <= df_cap))
            Xc = Xp[:, keep]
        else:
            Xc = Xp
        XcT = Xc.T.tocsr()
        muni = self.muni[pool]
        neighbourhoods: list[np.ndarray] = []
        owners: list[int] = []
        for start in range(0, len(seeds_pos), self.p.seed_chunk):
            chunk = seeds_pos[start : start + self.p.seed_chunk]
            sims = (Xc[chunk] @ XcT).tocsr()
            sims.data[sims.data < self.p.pair_threshold] = 0
            sims.eliminate_zeros()
            for r, seed in enumerate(chunk):
                cols = sims.indices[sims.indptr[r] : sims.indptr[r + 1]]
                if len(cols) < 2:
                    continue
                if np.unique(muni[cols]).size < 2:
                    continue
                neighbourhoods.append(cols)
                owners.append(int(seed))
        if not neighbourhoods:
            return 0
        order = np.argsort([-len(nb) for nb in neighbourhoods], kind="stable")
        covered = np.zeros(len(pool), dtype=bool)
        chosen: list[np.ndarray] = []
        for i in order:
            if covered[owners[i]]:
                continue
            nb = neighbourhoods[i]
            if covered[nb].mean() > 0.5:
                continue
            covered[nb] = True
            chosen.append(nb)
        rows = np.concatenate([np.full(len(nb), j) for j, nb in enumerate(chosen)])
        cols = np.concatenate(chosen)
        vals = np.concatenate([np.full(len(nb), 1.0 / len(nb), dtype=np.float32) for nb in chosen])
        ind = sparse.csr_matrix((vals, (rows, cols)), shape=(len(chosen), len(pool)))
        new = _prune_rows(ind @ Xp, self.p.centroid_terms)
        # Skip proposals that repeat an existing centroid or an earlier proposal.
        keep_rows: list[int] = []
        if self.C.shape[0]:
            near_old = np.asarray((new @ self.C.T).max(axis=1).todense()).ravel() >= self.p.merge_threshold
        else:
            near_old = np.zeros(new.shape[0], dtype=bool)
        among = (new @ new.T).tocsr()
        kept = np.zeros(new.shape[0], dtype=bool)
        for j in range(new.shape[0]):
            if near_old[j]:
                continue
            a, b = among.indptr[j], among.indptr[j + 1]
            close = among.indices[a:b][among.data[a:b] >= self.p.merge_threshold]
            if kept[close].any():
                continue
            kept[j] = True
            keep_rows.append(j)
        if not keep_rows:
            return 0
        self.C = sparse.vstack([self.C, new[keep_rows]]).tocsr()
        for i in range(len(self.shares)):
            self.shares[i] = np.vstack([self.shares[i], np.zeros((len(keep_rows), self.shares[i].shape[1]))])
        # The new groups' shares start from the seed neighbourhoods.
        for j, row_index in enumerate(keep_rows):
            group = self.C.shape[0] - len(keep_rows) + j
            members = pool[chosen[row_index]]
            for i, w in enumerate(self.weak):
                codes = w.codes[members]
                codes = codes[codes >= 0]
                if len(codes):
                    self.shares[i][group] = np.bincount(codes, minlength=self.shares[i].shape[1]) / len(members)
        return len(keep_rows)

    def merge_close_centroids(self) -> None:
        """Groups proposed in different rounds can converge on the same theme once their
        centroids are recomputed: merge centroids closer than `merge_threshold`."""
        k = self.C.shape[0]
        if k < 2:
            return
        self.recompute()
        close = sparse.triu(self.C @ self.C.T, k=1).tocoo()
        keep = close.data >= self.p.merge_threshold
        if not keep.any():
            return
        graph = sparse.coo_matrix((np.ones(int(keep.sum())), (close.row[keep], close.col[keep])), shape=(k, k))
        n_comp, comp = connected_components(graph, directed=False)
        grouped = self.labels >= 0
        self.labels[grouped] = comp[self.labels[grouped]]
        self.C = sparse.csr_matrix((n_comp, self.C.shape[1]), dtype=np.float32)
        self.shares = [np.zeros((n_comp, s.shape[1])) for s in self.shares]
        self.stats["merged_centroids"] = k - n_comp
        self.recompute()

    def drop_single_municipality_groups(self) -> None:
        k = self.C.shape[0]
        members = np.flatnonzero(self.labels >= 0)
        pairs = np.unique(np.stack([self.labels[members], self.muni[members]], axis=1), axis=0)
        spread = np.bincount(pairs[:, 0], minlength=k) if len(pairs) else np.zeros(k, dtype=np.int64)
        weak_groups = spread < 2
        bad = weak_groups[self.labels[members]]
        self.labels[members[bad]] = -1
        self.scores[members[bad]] = 0
        # Renumber the surviving groups densely.
        alive = np.flatnonzero(~weak_groups)
        remap = np.full(k, -1, dtype=np.int64)
        remap[alive] = np.arange(len(alive))
        grouped = self.labels >= 0
        self.labels[grouped] = remap[self.labels[grouped]]
        self.C = self.C[alive]
        self.shares = [s[alive] for s in self.shares]

    # -- the whole procedure ---------------------------------------------------------------

    def run(self) -> Clustering:
        pool = np.arange(self.n)
        sampled = 0
        last_gain = 1.0
        while len(pool) >= 2:
            if len(pool) <= self.p.exact_pool:
                seeds, cap, final = np.arange(len(pool)), None, True
            elif sampled >= self.p.max_sampled_rounds or last_gain < self.p.min_round_gain:
                seeds, cap, final = np.arange(len(pool)), self.p.sweep_df_cap, True
            else:
                seeds = np.sort(self.rng.choice(len(pool), size=self.p.seeds_per_round, replace=False))
                cap, final = None, False
                sampled += 1
            self.stats["rounds"] = int(self.stats["rounds"]) + 1
            self.stats["sweeps"] = int(self.stats["sweeps"]) + int(final)
            added = self.propose(pool, seeds, cap)
            if added:
                self.assign(pool)
                self.recompute()
                grouped = self.assign(pool)
            else:
                grouped = 0
            last_gain = grouped / len(pool)
            pool = pool[self.labels[pool] < 0]
            if final:
                break
        self.merge_close_centroids()
        # Final pass: settle every item against the settled centroids.
        for _ in range(2):
            if self.C.shape[0] == 0:
                break
            self.recompute()
            self.assign(np.arange(self.n))
        if self.C.shape[0]:
            self.drop_single_municipality_groups()
            if self.C.shape[0]:
                self.recompute()
        self.stats["groups"] = int(self.C.shape[0])
        self.stats["grouped_items"] = int((self.labels >= 0).sum())
        return Clustering(self.labels, self.scores, self.C, self.stats)


def cluster(
    X: sparse.csr_matrix,
    municipalities: np.ndarray,
    *,
    weak: list[WeakSignal] | None = None,
    params: Params | None = None,
) -> Clustering:
    if X.shape[0] == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros(0, np.float32), sparse.csr_matrix((0, X.shape[1])))
    return _Grouper(X, municipalities, weak or [], params or Params()).run()
