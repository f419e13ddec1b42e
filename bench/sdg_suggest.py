"""SDG suggestion quality and speed (no database).

    .venv/bin/python bench/sdg_suggest.py            # all figures
    .venv/bin/python bench/sdg_suggest.py --per-goal # with the per-goal tables

Binary judgments "does this text address goal N" (17 per text), scored per goal (accuracy,
precision, recall, F1) and macro-averaged, separately for Spanish and English, on two
evaluation sets that nothing was built or tuned on (see bench/sdg_eval/README.md):

  A. municipal-style project descriptions, bench/sdg_eval/test.jsonl (written for this bench);
     models: "base" (official texts + lexicon, calibrated on dev.jsonl) and "trained"
     (train() on dev.jsonl), and the shipped model file;
  B. official target and indicator texts of held-out targets (~20%, stable hash of the target
     code), each labelled with its goal, scored by a model rebuilt WITHOUT those targets'
     texts (the shipped model contains them, so scoring it on them would be circular).

Then throughput (1,000 texts, one core, after start-up) and the model file's size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ods_alignment.suggest import DEFAULT_MODEL_PATH, GOALS, Example, Model, build_base, read_examples, train  # noqa: E402
from ods_alignment.suggest.catalogue import load_official_texts  # noqa: E402

EVAL = ROOT / "bench" / "sdg_eval"
HELD_OUT_SHARE = 0.2


def held_out_targets(codes: Sequence[str]) -> frozenset[str]:
    return frozenset(
        c for c in codes if int(hashlib.sha256(f"eval{c}".encode()).hexdigest(), 16) % 100 < 100 * HELD_OUT_SHARE
    )


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, np.ndarray]:
    """Per-goal confusion counts (tp, fp, fn, tn) as a (17, 4) array."""
    counts = np.zeros((GOALS, 4))
    for e in examples:
        pred = model.decide(model.goal_scores(e.text, e.lang))
        truth = np.array([g + 1 in e.goals for g in range(GOALS)])
        counts[:, 0] += truth & pred
        counts[:, 1] += ~truth & pred
        counts[:, 2] += truth & ~pred
        counts[:, 3] += ~truth & ~pred
    return {"counts": counts}


def metrics(counts: np.ndarray) -> np.ndarray:
    """(17, 4): accuracy, precision, recall, F1 per goal (precision 0 when nothing predicted)."""
    tp, fp, fn, tn = counts.T
    total = tp + fp + fn + tn
    acc = (tp + tn) / np.maximum(total, 1)
    prec = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
    rec = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
    f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
    return np.stack([acc, prec, rec, f1], axis=1)


def report(title: str, model: Model, examples: Sequence[Example], per_goal: bool) -> dict[str, float]:
    print(f"\n== {title}")
    print(f"{'lang':<5} {'texts':>5} {'acc':>6} {'prec':>6} {'rec':>6} {'F1':>6}  (macro over goals with positives)")
    summary: dict[str, float] = {}
    for lang in ("es", "en", "fr", "all"):
        subset = [e for e in examples if lang == "all" or e.lang == lang]
        if not subset:
            continue
        counts = evaluate(model, subset)["counts"]
        m = metrics(counts)
        has_pos = (counts[:, 0] + counts[:, 2]) > 0
        macro = m[has_pos].mean(axis=0)
        print(f"{lang:<5} {len(subset):>5} {macro[0]:6.3f} {macro[1]:6.3f} {macro[2]:6.3f} {macro[3]:6.3f}")
        summary[lang] = float(macro[3])
        if per_goal and lang != "all":
            for g in range(GOALS):
                tp, fp, fn, _tn = counts[g]
                print(
                    f"      goal {g + 1:>2}: acc {m[g, 0]:.3f} prec {m[g, 1]:.3f} rec {m[g, 2]:.3f} "
                    f"F1 {m[g, 3]:.3f}   (tp {tp:.0f} fp {fp:.0f} fn {fn:.0f})"
                )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-goal", action="store_true", help="print the per-goal tables too")
    parser.add_argument("--texts", type=int, default=1000, help="texts for the throughput figure")
    args = parser.parse_args()

    dev = read_examples(EVAL / "dev.jsonl")
    test = read_examples(EVAL / "test.jsonl")
    official = load_official_texts()
    overlap = {e.text for e in dev} & {e.text for e in test}
    assert not overlap, f"dev and test share texts: {overlap}"

    started = time.perf_counter()
    base = build_base(official=official, tuning=dev)
    trained = train(dev, official=official)
    print(f"models built in {time.perf_counter() - started:.1f} s (dev: {len(dev)} texts, test: {len(test)} texts)")
    print(f"trained model: beta {trained.beta}, top_min {trained.top_min}")

    report("A. municipal descriptions (test.jsonl) - base model", base, test, args.per_goal)
    report("A. municipal descriptions (test.jsonl) - trained on dev.jsonl", trained, test, args.per_goal)
    shipped = Model.load(DEFAULT_MODEL_PATH) if DEFAULT_MODEL_PATH.exists() else None
    if shipped is not None:
        report("A. municipal descriptions (test.jsonl) - shipped model file", shipped, test, False)

    held = held_out_targets(sorted({t.target for t in official if t.target}))
    kept = [t for t in official if not t.target or t.target not in held]
    holdout = [Example.of(t.text, t.lang, [t.goal]) for t in official if t.target in held and t.kind != "goal"]
    rebuilt = train(dev, official=kept)
    report(
        f"B. official texts of {len(held)} held-out targets ({len(holdout)} target/indicator texts) - "
        "model rebuilt without them",
        rebuilt,
        holdout,
        args.per_goal,
    )

    shipped = shipped or trained
    texts = [(e.text, e.lang) for e in test]
    batch = [texts[i % len(texts)] for i in range(args.texts)]
    # Fresh stem cache: distinct words are stemmed once per process, so the first 1,000 texts
    # are the honest figure (repeats of the same 102 texts would be partly cached anyway).
    from ods_alignment.suggest import model as model_module

    model_module._ANALYZER = None
    started = time.process_time()
    wall = time.perf_counter()
    for text, lang in batch:
        shipped.suggest(text, lang)
    cpu = time.process_time() - started
    wall = time.perf_counter() - wall
    print(
        f"\n== speed: {args.texts} texts (suggest(): goals, targets, triggers) in {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"= {args.texts / wall:,.0f} texts/s; target < 10 s"
    )
    long_text = " ".join(e.text for e in test) * 20
    started = time.perf_counter()
    result = shipped.suggest(long_text, "es")
    print(
        f"   one {len(long_text):,}-character text: {1000 * (time.perf_counter() - started):.0f} ms "
        f"(truncated: {result.truncated})"
    )
    if DEFAULT_MODEL_PATH.exists():
        print(
            f"== model file {DEFAULT_MODEL_PATH.relative_to(ROOT)}: "
            f"{os.path.getsize(DEFAULT_MODEL_PATH) / 1024:.0f} KiB "
            f"({len(shipped.vocab):,} features); limit 100 MB"
        )


if __name__ == "__main__":
    main()
