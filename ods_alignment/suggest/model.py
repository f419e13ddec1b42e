"""The suggestion model: per-goal and per-target term weights, calibration and thresholds.

How a text is scored
    The text's features (stems and bigrams, see text.py) get the weight 1 + log(count) and the
    vector is L2-normalised. Its raw score for goal g is the dot product with the goal's weight
    row; a per-goal logistic turns it into a score in 0..1 (`a_g * raw + b_g`), and the goal is
    predicted when the score reaches the goal's tuned threshold (plus the best goal when its
    score reaches `top_min`: most initiatives address at least one goal). Targets are scored the
    same way against per-target rows and weighted by their goal's score.

Where the weights come from
    * the prior: the official goal, target and indicator texts in es/en/fr and the seed lexicon
      (lexicon.py). For each goal, a feature's mass is the weighted number of those texts that
      contain it; its weight is log(1 + mass) * (share of its mass in this goal)^gamma, so words every
      goal's texts use ("desarrollo", "acceso") weigh little and specific ones ("alcantarillado")
      much;
    * the supervised part (train()): per-goal log-odds of features in labelled examples
      (agreed alignments), positive part only, blended as prior + β * supervised, β chosen on a
      tuning split of the examples.

Calibration and thresholds are fitted on scores the model did not see the text of: official
texts scored by a prior built without their target (5 folds grouped by target) and the tuning
split of the labelled examples.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ods_alignment.suggest.catalogue import OfficialText, load_official_texts, target_codes
from ods_alignment.suggest.lexicon import lexicon_entries
from ods_alignment.suggest.text import Analyzer, check_language, detect_language

GOALS = 17
MAX_CHARS = 20_000  # longer texts are cut here (documented): the start says what a text is about
MODEL_DIR = Path(__file__).resolve().parent / "model"
DEFAULT_MODEL_PATH = MODEL_DIR / "sdg_model.npz"
FORMAT_VERSION = 1

# Weights of each kind of source text in the prior (a lexicon term says more, per word, than a
# long indicator title); bigrams count extra because a phrase is more specific than its words.
SOURCE_WEIGHT = {"goal": 3.0, "target": 1.5, "indicator": 1.0, "lexicon": 3.0}
BIGRAM_BOOST = 1.5
GAMMA = 1.5

Floats = npt.NDArray[np.float32]

_ANALYZER: Analyzer | None = None


def analyzer() -> Analyzer:
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = Analyzer()
    return _ANALYZER


@dataclass(frozen=True)
class Example:
    """A labelled text: goals (1..17) and targets ("6.1") it addresses."""

    text: str
    lang: str
    goals: frozenset[int]
    targets: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str, lang: str, goals: Iterable[int], targets: Iterable[str] = ()) -> Example:
        return cls(text, lang, frozenset(int(g) for g in goals), frozenset(str(t) for t in targets))


@dataclass
class GoalSuggestion:
    goal: int
    score: float
    predicted: bool
    triggers: list[str]


@dataclass
class TargetSuggestion:
    target: str
    goal: int
    score: float
    triggers: list[str]


@dataclass
class Suggestions:
    lang: str
    truncated: bool
    goals: list[GoalSuggestion]  # all 17, best first
    targets: list[TargetSuggestion]  # the best few, best first

    @property
    def predicted_goals(self) -> list[int]:
        return sorted(g.goal for g in self.goals if g.predicted)


# ---------------------------------------------------------------------------------------------
# Building blocks


def _features(text: str, lang: str) -> tuple[dict[str, int], dict[str, str]]:
    analysed = analyzer().analyse(text, lang)
    return analysed.counts, analysed.surface


def _accumulate(rows: dict[Any, dict[str, float]], key: Any, features: Iterable[str], weight: float) -> None:
    row = rows.setdefault(key, {})
    for feature in features:
        w = weight * (BIGRAM_BOOST if " " in feature else 1.0)
        row[feature] = row.get(feature, 0.0) + w


def _weights(mass: dict[Any, dict[str, float]], keys: Sequence[Any], vocab: dict[str, int]) -> Floats:
    """log(1 + mass) * share^gamma, rows L2-normalised."""
    matrix = np.zeros((len(keys), len(vocab)), dtype=np.float64)
    for i, key in enumerate(keys):
        for feature, value in mass.get(key, {}).items():
            matrix[i, vocab[feature]] = value
    totals = matrix.sum(axis=0)
    totals[totals == 0] = 1.0
    weights = np.log1p(matrix) * (matrix / totals) ** GAMMA
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (weights / norms).astype(np.float32)


def _source_docs(
    official: Sequence[OfficialText], *, exclude_targets: frozenset[str] = frozenset()
) -> list[tuple[int, str, str, str, float]]:
    """(goal, target, lang, text, weight) of every prior source, official and lexicon."""
    docs = [
        (t.goal, t.target, t.lang, t.text, SOURCE_WEIGHT[t.kind])
        for t in official
        if t.target not in exclude_targets or not t.target
    ]
    docs += [(g, tgt, lang, term, SOURCE_WEIGHT["lexicon"]) for g, tgt, lang, term in lexicon_entries()]
    return docs


@dataclass
class Prior:
    vocab: dict[str, int]
    goal_weights: Floats
    target_codes: list[str]
    target_weights: Floats


def build_prior(official: Sequence[OfficialText], *, exclude_targets: frozenset[str] = frozenset()) -> Prior:
    goal_mass: dict[Any, dict[str, float]] = {}
    target_mass: dict[Any, dict[str, float]] = {}
    vocab: dict[str, int] = {}
    for goal, target, lang, text, weight in _source_docs(official, exclude_targets=exclude_targets):
        counts, _ = _features(text, lang)
        for feature in counts:
            vocab.setdefault(feature, len(vocab))
        _accumulate(goal_mass, goal, counts, weight)
        if target:
            _accumulate(target_mass, target, counts, weight)
    codes = target_codes(list(official))
    return Prior(
        vocab=vocab,
        goal_weights=_weights(goal_mass, list(range(1, GOALS + 1)), vocab),
        target_codes=codes,
        target_weights=_weights(target_mass, codes, vocab),
    )


def _vector(counts: dict[str, int], vocab: dict[str, int]) -> tuple[npt.NDArray[np.intp], Floats, list[str]]:
    known = [(vocab[f], f, c) for f, c in counts.items() if f in vocab]
    if not known:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32), []
    idx = np.fromiter((k[0] for k in known), dtype=np.intp, count=len(known))
    values = np.fromiter((1.0 + math.log(k[2]) for k in known), dtype=np.float32, count=len(known))
    # Normalised by all the text's features, known or not: a long text that mentions water
    # once is less about water than a short one.
    total = math.sqrt(sum((1.0 + math.log(c)) ** 2 for c in counts.values()))
    return idx, values / np.float32(total), [k[1] for k in known]


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def fit_logistic(raw: npt.NDArray[np.float64], y: npt.NDArray[np.float64], ridge: float = 1.0) -> tuple[float, float]:
    """One-feature logistic regression (slope, intercept) by Newton's method, with a small ridge
    on the slope (few positives per goal)."""
    a, b = 5.0, -3.0
    for _ in range(50):
        p = _sigmoid(a * raw + b)
        w = p * (1 - p) + 1e-9
        grad = np.array([np.sum((p - y) * raw) + ridge * (a - 5.0) / 100, np.sum(p - y)])
        hess = np.array([[np.sum(w * raw * raw) + ridge / 100, np.sum(w * raw)], [np.sum(w * raw), np.sum(w) + 1e-6]])
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-6:
            break
    return float(max(a, 0.1)), float(b)


# ---------------------------------------------------------------------------------------------
# The model


@dataclass
class Model:
    vocab: dict[str, int]
    prior: Floats  # (17, V)
    supervised: Floats  # (17, V), zero until trained
    beta: float
    target_codes: list[str]
    target_weights: Floats  # (T, V)
    slope: npt.NDArray[np.float64]  # (17,)
    intercept: npt.NDArray[np.float64]  # (17,)
    thresholds: npt.NDArray[np.float64]  # (17,)
    top_min: float
    meta: dict[str, Any] = field(default_factory=dict)
    _combined: Floats | None = field(default=None, repr=False)
    _target_goal: npt.NDArray[np.intp] | None = field(default=None, repr=False)

    @property
    def weights(self) -> Floats:
        if self._combined is None:
            self._combined = (self.prior + np.float32(self.beta) * self.supervised).astype(np.float32)
        return self._combined

    def _target_goals(self) -> npt.NDArray[np.intp]:
        if self._target_goal is None:
            self._target_goal = np.array([int(c.split(".")[0]) - 1 for c in self.target_codes], dtype=np.intp)
        return self._target_goal

    # -- scoring ---------------------------------------------------------------------------

    @staticmethod
    def prepare(text: str, lang: str | None) -> tuple[str, str, bool]:
        """Validated (text, lang, truncated): empty text or unknown language → ValueError."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("empty text: there is nothing to suggest goals for")
        code = check_language(lang) if lang else detect_language(text)
        truncated = len(text) > MAX_CHARS
        return (text[:MAX_CHARS] if truncated else text), code, truncated

    def raw_scores(self, text: str, lang: str) -> npt.NDArray[np.float64]:
        counts, _ = _features(text, lang)
        idx, values, _names = _vector(counts, self.vocab)
        if not len(idx):
            return np.zeros(GOALS)
        return (self.weights[:, idx] @ values).astype(np.float64)

    def probabilities(self, raw: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return _sigmoid(self.slope * raw + self.intercept)

    def decide(self, probs: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        predicted = probs >= self.thresholds
        best = int(np.argmax(probs))
        if probs[best] >= self.top_min:
            predicted[best] = True
        return predicted

    def goal_scores(self, text: str, lang: str | None = None) -> npt.NDArray[np.float64]:
        """Scores 0..1 of the 17 goals (index 0 = goal 1); the fast path for batches."""
        text, code, _ = self.prepare(text, lang)
        return self.probabilities(self.raw_scores(text, code))

    def suggest(
        self, text: str, lang: str | None = None, *, top_targets: int = 10, top_triggers: int = 5
    ) -> Suggestions:
        text, code, truncated = self.prepare(text, lang)
        counts, surface = _features(text, code)
        idx, values, names = _vector(counts, self.vocab)
        if len(idx):
            contributions = self.weights[:, idx] * values  # (17, k)
            raw = contributions.sum(axis=1).astype(np.float64)
        else:
            contributions = np.zeros((GOALS, 0), dtype=np.float32)
            raw = np.zeros(GOALS)
        probs = self.probabilities(raw)
        predicted = self.decide(probs)
        goals = [
            GoalSuggestion(
                goal=int(g) + 1,
                score=round(float(probs[g]), 4),
                predicted=bool(predicted[g]),
                triggers=_triggers(contributions[g], names, surface, top_triggers),
            )
            for g in np.argsort(-probs, kind="stable")
        ]
        targets: list[TargetSuggestion] = []
        if len(idx):
            t_contrib = self.target_weights[:, idx] * values  # (T, k)
            sims = t_contrib.sum(axis=1)
            owner = self._target_goals()
            best_in_goal = np.zeros(GOALS, dtype=np.float32)
            np.maximum.at(best_in_goal, owner, sims)
            relative = np.where(best_in_goal[owner] > 0, sims / np.maximum(best_in_goal[owner], 1e-9), 0.0)
            # A target's score: its goal's score * how close it comes to the goal's best
            # target, so the best target of a likely goal leads.
            scores = probs[owner] * np.sqrt(np.clip(relative, 0.0, 1.0))
            for t in np.argsort(-scores, kind="stable")[:top_targets]:
                if scores[t] <= 0.01 or sims[t] <= 0:
                    break
                targets.append(
                    TargetSuggestion(
                        target=self.target_codes[t],
                        goal=int(owner[t]) + 1,
                        score=round(float(scores[t]), 4),
                        triggers=_triggers(t_contrib[t], names, surface, top_triggers),
                    )
                )
        return Suggestions(lang=code, truncated=truncated, goals=goals, targets=targets)

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str] = DEFAULT_MODEL_PATH) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        meta = {**self.meta, "format": FORMAT_VERSION, "beta": self.beta, "top_min": self.top_min}
        tmp = target.with_name(target.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            vocab=np.array(words),
            prior=self.prior.astype(np.float16),
            supervised=self.supervised.astype(np.float16),
            target_codes=np.array(self.target_codes),
            target_weights=self.target_weights.astype(np.float16),
            slope=self.slope,
            intercept=self.intercept,
            thresholds=self.thresholds,
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )
        os.replace(tmp, target)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str] = DEFAULT_MODEL_PATH) -> Model:
        with np.load(Path(path), allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"model file {path} has format {meta.get('format')}, expected {FORMAT_VERSION}")
            words = [str(w) for w in data["vocab"]]
            return cls(
                vocab={w: i for i, w in enumerate(words)},
                prior=data["prior"].astype(np.float32),
                supervised=data["supervised"].astype(np.float32),
                beta=float(meta["beta"]),
                target_codes=[str(c) for c in data["target_codes"]],
                target_weights=data["target_weights"].astype(np.float32),
                slope=data["slope"].astype(np.float64),
                intercept=data["intercept"].astype(np.float64),
                thresholds=data["thresholds"].astype(np.float64),
                top_min=float(meta["top_min"]),
                meta=meta,
            )


def _triggers(row: npt.NDArray[Any], names: list[str], surface: dict[str, str], limit: int) -> list[str]:
    """The text's words/phrases that contributed most to a score (a phrase hides its own words)."""
    order = np.argsort(-row, kind="stable")
    chosen: list[str] = []
    for i in order[: 3 * limit]:
        if row[i] <= 0:
            break
        shown = surface.get(names[i], names[i])
        if any(shown in c for c in chosen):
            continue
        inside = [c for c in chosen if c in shown]  # a phrase replaces the words it contains
        if inside:
            chosen[chosen.index(inside[0])] = shown
            chosen = [c for c in chosen if c not in inside[1:]]
        elif len(chosen) < limit:
            chosen.append(shown)
    return chosen


# ---------------------------------------------------------------------------------------------
# Building, calibrating, training


def _split(key: str, share: float, salt: str = "") -> bool:
    """A stable pseudo-random split: True for about `share` of keys."""
    digest = hashlib.sha256(f"{salt}{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _oof_official(
    official: Sequence[OfficialText], vocab_model: Model, folds: int = 5
) -> tuple[list[npt.NDArray[np.float64]], list[int]]:
    """Raw scores of target/indicator texts from priors built without their target (5 folds by
    target), with their goal: honest positives and negatives for calibration."""
    raws: list[npt.NDArray[np.float64]] = []
    labels: list[int] = []
    codes = sorted({t.target for t in official if t.target})
    for fold in range(folds):
        held = frozenset(c for c in codes if int(hashlib.sha256(c.encode()).hexdigest(), 16) % folds == fold)
        prior = build_prior(official, exclude_targets=held)
        for t in official:
            if t.target in held and t.kind in ("target", "indicator"):
                counts, _ = _features(t.text, t.lang)
                idx, values, _n = _vector(counts, prior.vocab)
                raw = (prior.goal_weights[:, idx] @ values).astype(np.float64) if len(idx) else np.zeros(GOALS)
                if vocab_model.beta:
                    sup_idx, sup_vals, _ = _vector(counts, vocab_model.vocab)
                    if len(sup_idx):
                        raw = raw + vocab_model.beta * (vocab_model.supervised[:, sup_idx] @ sup_vals)
                raws.append(raw)
                labels.append(t.goal)
    return raws, labels


def _calibrate(
    model: Model,
    official_raw: tuple[list[npt.NDArray[np.float64]], list[int]],
    tuning: Sequence[Example],
    tuning_raw: Sequence[npt.NDArray[np.float64]] | None = None,
) -> None:
    """Fit per-goal slope/intercept on out-of-fold official texts and tuning examples, then the
    thresholds and top_min on the tuning examples (official texts when there are none).
    `tuning_raw`: the examples' raw scores when they must not come from the model itself
    (out-of-fold scores while training)."""
    o_raw, o_goal = official_raw
    t_raw = (
        list(tuning_raw)
        if tuning_raw is not None
        else [model.raw_scores(e.text, check_language(e.lang)) for e in tuning]
    )
    raw = np.array(o_raw + t_raw) if (o_raw or t_raw) else np.zeros((0, GOALS))
    y = np.zeros_like(raw)
    for i, g in enumerate(o_goal):
        y[i, g - 1] = 1
    for j, e in enumerate(tuning):
        for g in e.goals:
            y[len(o_raw) + j, g - 1] = 1
    # Municipal texts (the tuning examples) are what the model is for: they weigh more than the
    # official texts in the fit, which only anchor it.
    weights = np.ones(len(raw))
    if tuning:
        weights[len(o_raw) :] = max(1.0, len(o_raw) / (2 * len(tuning)))
    for g in range(GOALS):
        rep_raw = np.repeat(raw[:, g], np.round(weights).astype(int))
        rep_y = np.repeat(y[:, g], np.round(weights).astype(int))
        model.slope[g], model.intercept[g] = fit_logistic(rep_raw, rep_y)
    if tuning:
        probs = model.probabilities(np.array(t_raw))
        truth = y[len(o_raw) :]
    else:
        probs = model.probabilities(raw)
        truth = y
    _tune_thresholds(model, probs, truth)


def _tune_thresholds(model: Model, probs: npt.NDArray[np.float64], truth: npt.NDArray[np.float64]) -> None:
    grid = np.round(np.arange(0.1, 0.91, 0.05), 2)
    # Shared threshold first (stable with few positives), then per goal where the goal has
    # enough positives to say otherwise, shrunk toward the shared one.
    best_shared, best_top = 0.5, 1.1
    best_f1 = -1.0
    for top_min in (0.05, 0.15, 0.3, 1.1):
        for t in grid:
            model.thresholds[:] = t
            model.top_min = top_min
            f1 = macro_f1(truth, np.array([model.decide(p) for p in probs]))
            if f1 > best_f1 + 1e-9:
                best_f1, best_shared, best_top = f1, float(t), top_min
    model.thresholds[:] = best_shared
    model.top_min = best_top
    for g in range(GOALS):
        positives = int(truth[:, g].sum())
        if positives < 5:
            continue
        scores = []
        for t in grid:
            pred = probs[:, g] >= t
            scores.append(_f1(truth[:, g].astype(bool), pred))
        chosen = float(grid[int(np.argmax(scores))])
        model.thresholds[g] = round((chosen * positives + best_shared * 5) / (positives + 5), 3)


def _f1(truth: npt.NDArray[np.bool_], pred: npt.NDArray[np.bool_]) -> float:
    tp = float(np.sum(truth & pred))
    fp = float(np.sum(~truth & pred))
    fn = float(np.sum(truth & ~pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(truth: npt.NDArray[Any], pred: npt.NDArray[Any]) -> float:
    """Mean F1 over the goals that occur in the truth or the predictions (a goal absent from
    both says nothing)."""
    t = truth.astype(bool)
    p = pred.astype(bool)
    scores = [_f1(t[:, g], p[:, g]) for g in range(t.shape[1]) if t[:, g].any() or p[:, g].any()]
    return float(np.mean(scores)) if scores else 0.0


def _empty_model(prior: Prior, meta: dict[str, Any]) -> Model:
    return Model(
        vocab=prior.vocab,
        prior=prior.goal_weights,
        supervised=np.zeros_like(prior.goal_weights),
        beta=0.0,
        target_codes=prior.target_codes,
        target_weights=prior.target_weights,
        slope=np.full(GOALS, 5.0),
        intercept=np.full(GOALS, -3.0),
        thresholds=np.full(GOALS, 0.5),
        top_min=1.1,
        meta=meta,
    )


def build_base(
    *,
    official: Sequence[OfficialText] | None = None,
    exclude_targets: frozenset[str] = frozenset(),
    tuning: Sequence[Example] = (),
) -> Model:
    """The model from the official texts and the lexicon alone (no agreed alignments), with
    calibration on out-of-fold official texts and, when given, tuning examples."""
    texts = list(official) if official is not None else load_official_texts()
    texts = [t for t in texts if not t.target or t.target not in exclude_targets]
    model = _empty_model(build_prior(texts), {"trained_examples": 0, "tuning_examples": len(tuning)})
    _calibrate(model, _oof_official(texts, model), tuning)
    return model


def _log_odds(examples: Sequence[Example], vocab: dict[str, int], alpha: float = 0.5) -> Floats:
    """Per goal, the positive part of the log-odds of each feature (document counts) in texts
    labelled with the goal vs the others, rows L2-normalised. Features unknown to the prior
    are ignored (train() first adds those used in two examples or more)."""
    present = np.zeros((len(examples), len(vocab)), dtype=np.float32)
    labels = np.zeros((len(examples), GOALS), dtype=np.float32)
    for i, e in enumerate(examples):
        counts, _ = _features(e.text, check_language(e.lang))
        for f in counts:
            j = vocab.get(f)
            if j is not None:
                present[i, j] = 1
        for g in e.goals:
            labels[i, g - 1] = 1
    pos = labels.T @ present  # (17, V) documents of goal g containing f
    n_pos = labels.sum(axis=0)[:, None]
    neg = present.sum(axis=0)[None, :] - pos
    n_neg = len(examples) - n_pos
    odds = np.log((pos + alpha) / (n_pos + 2 * alpha)) - np.log((neg + alpha) / (n_neg + 2 * alpha))
    odds = np.where(pos > 0, np.maximum(odds, 0.0), 0.0)
    norms = np.linalg.norm(odds, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (odds / norms).astype(np.float32)


def _with_example_vocabulary(prior: Prior, examples: Sequence[Example], min_docs: int = 2) -> Prior:
    """The prior with the words of the examples it does not know (used in 2+ examples) added as
    zero columns: agreed alignments teach vocabulary the official texts and lexicon lack."""
    docs: dict[str, int] = {}
    for e in examples:
        counts, _ = _features(e.text, check_language(e.lang))
        for f in counts:
            if f not in prior.vocab:
                docs[f] = docs.get(f, 0) + 1
    new = sorted(f for f, n in docs.items() if n >= min_docs)
    if not new:
        return prior
    vocab = dict(prior.vocab)
    for f in new:
        vocab[f] = len(vocab)
    pad = len(new)
    return Prior(
        vocab=vocab,
        goal_weights=np.pad(prior.goal_weights, ((0, 0), (0, pad))),
        target_codes=prior.target_codes,
        target_weights=np.pad(prior.target_weights, ((0, 0), (0, pad))),
    )


def train(
    examples: Sequence[Example],
    *,
    base: Model | None = None,
    official: Sequence[OfficialText] | None = None,
    betas: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0),
    folds: int = 4,
) -> Model:
    """A model that learns from labelled examples (e.g. agreed alignments).

    Cross-fitting: the examples are cut in `folds` parts (stable hash of the text); each part is
    scored with log-odds learnt from the other parts, so every example gets an honest
    (out-of-fold) score. β (the weight of the supervised part), the calibration and the
    thresholds are chosen on those scores. β = 0 (the prior alone, calibrated on the same
    examples) is one of the choices, so training does not make that figure worse. The final
    supervised weights are learnt from all the examples."""
    for e in examples:
        check_language(e.lang)
        if not e.goals or not all(1 <= g <= GOALS for g in e.goals):
            raise ValueError(f"example goals must be 1..{GOALS}: {sorted(e.goals)}")
    texts = list(official) if official is not None else load_official_texts()
    prior = (
        build_prior(texts) if base is None else Prior(base.vocab, base.prior, base.target_codes, base.target_weights)
    )
    prior = _with_example_vocabulary(prior, examples)
    part = [int.from_bytes(hashlib.sha256(f"fold{e.text}".encode()).digest()[:4], "big") % folds for e in examples]
    prior_raw: list[npt.NDArray[np.float64]] = []
    sup_raw: list[npt.NDArray[np.float64]] = []
    fold_sup = {
        f: _log_odds([e for e, p in zip(examples, part, strict=True) if p != f], prior.vocab) for f in range(folds)
    }
    for e, p in zip(examples, part, strict=True):
        counts, _ = _features(e.text, check_language(e.lang))
        idx, values, _n = _vector(counts, prior.vocab)
        prior_raw.append((prior.goal_weights[:, idx] @ values).astype(np.float64) if len(idx) else np.zeros(GOALS))
        sup_raw.append((fold_sup[p][:, idx] @ values).astype(np.float64) if len(idx) else np.zeros(GOALS))
    truth = np.array([[g + 1 in e.goals for g in range(GOALS)] for e in examples])
    official_raw = _oof_official(texts, _empty_model(prior, {}))
    best: tuple[float, Model] | None = None
    for beta in betas:
        candidate = _empty_model(prior, {})
        candidate.beta = float(beta)
        # Official texts are scored by the prior alone here: the supervised part learnt from
        # municipal texts says little about them, and the calibration leans on the examples.
        raws = [a + beta * b for a, b in zip(prior_raw, sup_raw, strict=True)]
        _calibrate(candidate, official_raw, examples, raws)
        probs = candidate.probabilities(np.array(raws))
        score = macro_f1(truth, np.array([candidate.decide(p) for p in probs]))
        if best is None or score > best[0] + 1e-9:
            best = (score, candidate)
    assert best is not None
    model = best[1]
    model.supervised = _log_odds(examples, prior.vocab)
    model._combined = None
    model.meta = {"trained_examples": len(examples), "cross_fitted_macro_f1": round(best[0], 4)}
    return model


_DEFAULT: Model | None = None


def model_path() -> Path:
    """Where the model in use lives: `SDG_MODEL_PATH` when set (a retrained model on a volume
    every web and worker pod mounts; the image's own files are read-only), else the shipped
    file."""
    configured = os.environ.get("SDG_MODEL_PATH", "").strip()
    return Path(configured) if configured else DEFAULT_MODEL_PATH


def default_model() -> Model:
    """The model in use (loaded once per process): `model_path()`, else the shipped file, else
    built from the prior."""
    global _DEFAULT
    if _DEFAULT is None:
        path = next((p for p in (model_path(), DEFAULT_MODEL_PATH) if p.exists()), None)
        _DEFAULT = Model.load(path) if path is not None else build_base()
    return _DEFAULT


def reset_default_model() -> None:
    global _DEFAULT
    _DEFAULT = None
