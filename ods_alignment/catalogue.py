"""Loading the official SDG catalogue from the open-sdg translation files (YAML, one mapping
per language and level: `N-title`/`N-short`, `N-M-title`, `N-M-K-title`).

Idempotent: rows are matched by code and updated in place, so their ids (which proposals and
final alignments point at) never change, and nothing is ever deleted. A code that is no
longer in the files is reported, not removed: alignments may use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ods_alignment.models import CATALOGUE_LANGUAGES, GOAL_COLOURS, Goal, Indicator, Target, sort_key

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "sdg"


class CatalogueError(Exception):
    pass


@dataclass
class LoadResult:
    goals: int = 0
    targets: int = 0
    indicators: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsolete: list[str] = field(default_factory=list)  # official codes in the database, not in the files


def _read(path: Path, language: str, name: str) -> dict[str, str]:
    file = path / language / f"global_{name}.yml"
    if not file.is_file():
        if language == "es":
            raise CatalogueError(f"missing {file} (Spanish is required)")
        return {}
    data: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogueError(f"{file}: expected a mapping")
    return {str(k): " ".join(str(v).split()) for k, v in data.items() if v is not None}


def _texts(path: Path, name: str) -> dict[str, dict[str, str]]:
    """{code: {"title_es": ..., "title_en": ..., "short_es": ...}} for one level."""
    out: dict[str, dict[str, str]] = {}
    for language in CATALOGUE_LANGUAGES:
        for key, value in _read(path, language, name).items():
            stem, _sep, kind = key.rpartition("-")
            if kind not in {"title", "short"} or not stem:
                continue
            out.setdefault(stem.replace("-", "."), {})[f"{kind}_{language}"] = value
    return out


def _save(model: type[Any], lookup: dict[str, Any], values: dict[str, Any], result: LoadResult) -> Any:
    row = model.objects.filter(**lookup).first()
    if row is None:
        result.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return row


@transaction.atomic
def load_catalogue(path: Path = DEFAULT_PATH) -> LoadResult:
    result = LoadResult()
    goals_text, targets_text, indicators_text = (_texts(path, n) for n in ("goals", "targets", "indicators"))
    goals: dict[int, Goal] = {}
    for code, texts in sorted(goals_text.items(), key=lambda kv: int(kv[0])):
        number = int(code)
        if number not in GOAL_COLOURS or not texts.get("title_es") or not texts.get("short_es"):
            raise CatalogueError(f"goal {code}: unknown number or missing Spanish title/short name")
        values: dict[str, Any] = {"colour": GOAL_COLOURS[number]}
        values.update(
            {f"{k}_{lang}": texts.get(f"{k}_{lang}", "") for k in ("title", "short") for lang in CATALOGUE_LANGUAGES}
        )
        goals[number] = _save(Goal, {"number": number}, values, result)
    targets: dict[str, Target] = {}
    for code, texts in targets_text.items():
        goal = goals.get(int(code.split(".")[0]))
        if goal is None or not texts.get("title_es"):
            raise CatalogueError(f"target {code}: unknown goal or missing Spanish title")
        values = {"goal": goal, "sort_key": sort_key(code), "is_local": False, "parent": None}
        values.update({f"title_{lang}": texts.get(f"title_{lang}", "") for lang in CATALOGUE_LANGUAGES})
        targets[code] = _save(Target, {"code": code}, values, result)
    indicators = 0
    for code, texts in indicators_text.items():
        target = targets.get(code.rpartition(".")[0])
        if target is None or not texts.get("title_es"):
            raise CatalogueError(f"indicator {code}: unknown target or missing Spanish title")
        values = {"target": target, "sort_key": sort_key(code)}
        values.update({f"title_{lang}": texts.get(f"title_{lang}", "") for lang in CATALOGUE_LANGUAGES})
        _save(Indicator, {"code": code}, values, result)
        indicators += 1
    result.goals, result.targets, result.indicators = len(goals), len(targets), indicators
    result.obsolete = sorted(
        Target.objects.filter(is_local=False).exclude(code__in=targets).values_list("code", flat=True)
    ) + sorted(Indicator.objects.exclude(code__in=indicators_text).values_list("code", flat=True))
    return result
