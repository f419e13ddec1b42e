"""The official SDG texts (goals, targets, indicators in es/en/fr) as read from the YAML files.

The files come from open-sdg/sdg-translations (MIT). Keys: `N-title` / `N-short` goal N,
`N-M-title` target N.M, `N-M-K-title` indicator N.M.K. The folder is
`ods_alignment/data/sdg/` when present (the catalogue app ships a copy), else the shared data
folder of the repository checkout; `SIGOBITO_SDG_DATA` overrides both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ods_alignment.suggest.text import LANGUAGES

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (_HERE.parent / "data" / "sdg", _HERE.parents[2] / "shared" / "data" / "sdg")


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where the SDG YAML files are (see the module docstring for the order)."""
    chosen = override or os.environ.get("SIGOBITO_SDG_DATA")
    if chosen:
        return Path(chosen)
    for candidate in _CANDIDATES:
        if (candidate / "es" / "global_targets.yml").exists():
            return candidate
    raise FileNotFoundError(
        "SDG texts not found: set SIGOBITO_SDG_DATA or install them in " + ", ".join(str(c) for c in _CANDIDATES)
    )


@dataclass(frozen=True)
class OfficialText:
    """One official text: kind "goal" | "target" | "indicator", its code ("6", "6.1", "6.1.1"),
    goal number, target code ("" for a goal title), language and text."""

    kind: str
    code: str
    goal: int
    target: str
    lang: str
    text: str


def load_official_texts(folder: str | os.PathLike[str] | None = None) -> list[OfficialText]:
    base = data_dir(folder)
    texts: list[OfficialText] = []
    for lang in LANGUAGES:
        for name in ("global_goals.yml", "global_targets.yml", "global_indicators.yml"):
            path = base / lang / name
            if not path.exists():
                continue
            with path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
            for key, value in data.items():
                parts = str(key).split("-")
                if parts[-1] not in ("title", "short") or not isinstance(value, str) or not parts[0].isdigit():
                    continue
                numbers = parts[:-1]
                goal = int(numbers[0])
                if not 1 <= goal <= 17:
                    continue
                kind = {1: "goal", 2: "target", 3: "indicator"}.get(len(numbers))
                if kind is None:
                    continue
                target = ".".join(numbers[:2]) if len(numbers) >= 2 else ""
                texts.append(OfficialText(kind, ".".join(numbers), goal, target, lang, value.strip()))
    return texts


def target_codes(texts: list[OfficialText]) -> list[str]:
    """All target codes, in official order (1.1 … 1.5, 1.a, 1.b, 2.1 …)."""
    codes = {t.target for t in texts if t.target}

    def order(code: str) -> tuple[int, int, str]:
        goal, sub = code.split(".")
        return (int(goal), 0, sub.zfill(3)) if sub.isdigit() else (int(goal), 1, sub)

    return sorted(codes, key=order)
