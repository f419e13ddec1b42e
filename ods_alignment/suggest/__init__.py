"""Offline SDG suggestions: ranked goals and targets for a text, with the words that triggered
them. Pure Python + numpy, no network, no Django models (see model.py for the method).

    from ods_alignment.suggest import suggest
    result = suggest("Construcción del acueducto y red de alcantarillado", "es")
    result.goals[0].goal, result.goals[0].score, result.goals[0].triggers  # 6, 0.97, ["acueducto", ...]

Suggestions never become alignments by themselves: a specialist decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ods_alignment.suggest.model import (
    DEFAULT_MODEL_PATH,
    GOALS,
    MAX_CHARS,
    Example,
    GoalSuggestion,
    Model,
    Suggestions,
    TargetSuggestion,
    build_base,
    default_model,
    model_path,
    reset_default_model,
    train,
)
from ods_alignment.suggest.text import LANGUAGES, detect_language

__all__ = [
    "DEFAULT_MODEL_PATH",
    "GOALS",
    "LANGUAGES",
    "MAX_CHARS",
    "Example",
    "GoalSuggestion",
    "Model",
    "Suggestions",
    "TargetSuggestion",
    "build_base",
    "default_model",
    "detect_language",
    "model_path",
    "read_examples",
    "reset_default_model",
    "suggest",
    "train",
]


def suggest(text: str, lang: str | None = None, *, model: Model | None = None) -> Suggestions:
    """Ranked goals and targets for `text` in es/en/fr (None: detected). ValueError for an empty
    text or an unsupported language; texts over MAX_CHARS characters are cut (`truncated`)."""
    return (model or default_model()).suggest(text, lang)


def _parse_example(line: str, where: str) -> Example:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected an object")
    text, lang, goals = row.get("text"), row.get("lang"), row.get("goals")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: 'lang' must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if not isinstance(goals, list) or not goals or not all(isinstance(g, int) and 1 <= g <= GOALS for g in goals):
        raise ValueError(f"{where}: 'goals' must be a non-empty list of goal numbers 1..{GOALS}")
    targets = row.get("targets") or []
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise ValueError(f"{where}: 'targets' must be a list of target codes such as 6.1")
    bad = [t for t in targets if t.split(".")[0] not in {str(g) for g in goals}]
    if bad:
        raise ValueError(f"{where}: targets {bad} do not belong to the goals {goals}")
    return Example.of(text, lang, goals, targets)


def iter_examples(handle: IO[str], name: str = "<input>") -> Iterator[Example]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield _parse_example(line, f"{name} line {number}")


def read_examples(path: str | Path) -> list[Example]:
    """Labelled examples from JSON Lines `{"text", "lang", "goals": [..], "targets": [..]}`."""
    with Path(path).open(encoding="utf-8") as handle:
        return list(iter_examples(handle, str(path)))
