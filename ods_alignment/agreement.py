"""Agreement between specialists: Cohen's kappa on the 17 yes/no goal decisions, the
overlap (Jaccard) of the targets they chose, and what all of them chose. Pure functions on
sets and on proposals already read (their rows prefetched), no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TypeVar

from ods_alignment.models import Contribution, Proposal

GOALS = 17
K = TypeVar("K", int, str)


def _kappa_from(agree: int, a_yes: int, b_yes: int, n: int) -> float:
    """Cohen's kappa for two raters making `n` binary decisions: `agree` decisions alike,
    `a_yes`/`b_yes` decisions answered "yes" by each rater."""
    if n <= 0:
        raise ValueError("n must be positive")
    po = agree / n
    pa, pb = a_yes / n, b_yes / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe >= 1.0:
        # Both raters gave the same answer to every decision (all yes or all no): chance
        # agreement is total and the formula is 0/0. They agree on everything: kappa = 1.
        return 1.0
    return (po - pe) / (1 - pe)


def cohen_kappa(a: set[int], b: set[int], n: int = GOALS) -> float:
    """Kappa between two goal selections over the `n` goals (each goal a yes/no decision).
    po = share of goals both chose or both left out; pe = pA·pB + (1-pA)(1-pB) with pA=|A|/n."""
    both_yes = len(a & b)
    both_no = n - len(a | b)
    return _kappa_from(both_yes + both_no, len(a), len(b), n)


def pooled_kappa(pairs: Iterable[tuple[set[int], set[int]]], n: int = GOALS) -> float | None:
    """Kappa over all the decisions of several cases taken together (17 per case): the
    agreement of a specialist pair over time, weighting every decision alike."""
    agree = a_yes = b_yes = total = 0
    for a, b in pairs:
        agree += len(a & b) + n - len(a | b)
        a_yes += len(a)
        b_yes += len(b)
        total += n
    return _kappa_from(agree, a_yes, b_yes, total) if total else None


def jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two target selections; two empty selections agree fully."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def case_agreement(goal_sets: Sequence[set[int]], target_sets: Sequence[set[str]]) -> tuple[float, float]:
    """(kappa, target overlap) of a case: with two specialists, Cohen's kappa and Jaccard;
    with more, their means over every pair (Light's kappa)."""
    pairs = list(combinations(range(len(goal_sets)), 2))
    if not pairs:
        raise ValueError("agreement needs at least two proposals")
    kappa = sum(cohen_kappa(goal_sets[i], goal_sets[j]) for i, j in pairs) / len(pairs)
    overlap = sum(jaccard(target_sets[i], target_sets[j]) for i, j in pairs) / len(pairs)
    return kappa, overlap


def _weakest(choices: Sequence[Mapping[K, str]]) -> dict[K, str]:
    """The keys every mapping has, each direct only if every mapping says direct."""
    direct, indirect = str(Contribution.DIRECT), str(Contribution.INDIRECT)
    common = set(choices[0]).intersection(*choices[1:])
    return {key: direct if all(c[key] == direct for c in choices) else indirect for key in common}


def common_selection(proposals: Sequence[Proposal]) -> tuple[dict[int, str], dict[str, str]]:
    """({goal: contribution}, {target code: contribution}) of what *every* proposal chose,
    each "direct" only if every proposal said direct, else "indirect": what an automatic
    agreement publishes (nothing one specialist did not claim independently), and where the
    lead's adjudication starts. Nothing for no proposals. Reads the prefetched `goal_rows`
    (with `goal`) and `target_rows` (with `target`)."""
    if not proposals:
        return {}, {}
    goals = _weakest([{row.goal.number: str(row.contribution) for row in p.goal_rows.all()} for p in proposals])
    targets = _weakest([{row.target.code: str(row.contribution) for row in p.target_rows.all()} for p in proposals])
    return goals, targets
