"""Cohen's kappa and target overlap, against hand-checked arithmetic."""

from __future__ import annotations

import pytest

from ods_alignment.agreement import case_agreement, cohen_kappa, jaccard, pooled_kappa


def test_kappa_hand_checked_example() -> None:
    # A = {1, 6, 11}, B = {6, 11, 13}, n = 17 goals, each a yes/no decision.
    # Both yes: {6, 11} = 2; both no: 17 - |A or B| = 17 - 4 = 13; so po = 15/17.
    # pA = pB = 3/17; pe = (3/17)(3/17) + (14/17)(14/17) = (9 + 196)/289 = 205/289.
    # kappa = (po - pe) / (1 - pe) = (255/289 - 205/289) / (84/289) = 50/84 = 0.595238...
    assert cohen_kappa({1, 6, 11}, {6, 11, 13}) == pytest.approx(50 / 84)


def test_kappa_other_hand_checked_example() -> None:
    # A = {7}, B = {13}: both yes 0, both no 15, po = 15/17; pA = pB = 1/17;
    # pe = 1/289 + 256/289 = 257/289; kappa = (255 - 257)/(289 - 257) = -2/32 = -0.0625.
    assert cohen_kappa({7}, {13}) == pytest.approx(-0.0625)


def test_kappa_identical_and_degenerate() -> None:
    assert cohen_kappa({3, 4}, {3, 4}) == 1.0
    # Both answer "no" to everything (or "yes" to everything): pe = 1, the formula is 0/0,
    # and they agree on every decision.
    assert cohen_kappa(set(), set()) == 1.0
    assert cohen_kappa(set(range(1, 18)), set(range(1, 18))) == 1.0
    # One says yes to everything, the other to nothing: po = 0; pA = 1, pB = 0, so
    # pe = 1·0 + 0·1 = 0; kappa = (0 - 0)/(1 - 0) = 0.
    assert cohen_kappa(set(range(1, 18)), set()) == 0.0


def test_pooled_kappa_over_cases() -> None:
    # Case 1: {1,6,11} vs {6,11,13}: agree 15, yes 3 and 3. Case 2: {7} vs {7}: agree 17, yes 1 and 1.
    # Pooled over 34 decisions: po = 32/34; pA = pB = 4/34;
    # pe = (4/34)^2 + (30/34)^2 = (16 + 900)/1156 = 916/1156;
    # kappa = (1088/1156 - 916/1156) / (240/1156) = 172/240 = 0.71666...
    assert pooled_kappa([({1, 6, 11}, {6, 11, 13}), ({7}, {7})]) == pytest.approx(172 / 240)
    assert pooled_kappa([]) is None


def test_jaccard_and_case_agreement() -> None:
    assert jaccard({"6.1", "6.2"}, {"6.1", "6.3"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 1.0
    kappa, overlap = case_agreement([{1, 6, 11}, {6, 11, 13}], [{"6.1"}, {"6.1", "11.1"}])
    assert kappa == pytest.approx(50 / 84)
    assert overlap == pytest.approx(0.5)
    with pytest.raises(ValueError):
        case_agreement([{1}], [set()])
