"""Batch SDG suggestions: JSON Lines in, JSON Lines out (evaluation and bulk work).

    manage.py sdg_suggest texts.jsonl > suggestions.jsonl
    cat texts.jsonl | manage.py sdg_suggest > suggestions.jsonl

Input lines: {"id": ..., "text": "...", "lang": "es" | "en" | "fr"} ("lang" may be left out: it
is then detected). Output, one line per input line, in the same order:
{"id": ..., "lang": "es", "goals": [{"goal": 7, "score": 0.83}, ...all 17, best first],
 "predicted_goals": [7, 13], "targets": [{"target": "7.2", "score": 0.8}, ...the best 10],
 "truncated": false}
`predicted_goals` are the goals whose score reaches the model's tuned threshold. `--triggers`
adds the words that triggered each goal and target.

A bad line (not JSON, no text, unsupported language) does not stop the batch: its output line is
{"id": ... or null, "line": N, "error": "..."}; at the end the command reports how many lines
failed on stderr and exits with status 1 (0 when every line was scored). Blank lines are skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Suggest SDG goals and targets for JSON Lines texts (file or stdin) and write JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", nargs="?", default="-", help="JSON Lines file; '-' or nothing reads stdin")
        parser.add_argument("--model", help="model file (.npz); default: the shipped model")
        parser.add_argument("--top-targets", type=int, default=10, help="targets per text (default 10)")
        parser.add_argument("--triggers", action="store_true", help="include the words that triggered each score")

    def handle(self, *args: Any, **options: Any) -> None:
        from ods_alignment.suggest import Model, default_model

        model = Model.load(options["model"]) if options.get("model") else default_model()
        source = options["input"]
        if source == "-":
            failed, total = self._run(model, sys.stdin, options)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"input file not found: {source}")
            with path.open(encoding="utf-8") as handle:
                failed, total = self._run(model, handle, options)
        if failed:
            raise CommandError(f"{failed} of {total} lines could not be scored (see their 'error' in the output)")

    def _run(self, model: Any, handle: IO[str], options: dict[str, Any]) -> tuple[int, int]:
        failed = total = 0
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            total += 1
            out = self._one(model, line, number, options)
            failed += "error" in out
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        return failed, total

    @staticmethod
    def _one(model: Any, line: str, number: int, options: dict[str, Any]) -> dict[str, Any]:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            return {"id": None, "line": number, "error": f"not valid JSON: {exc.msg}"}
        if not isinstance(row, dict):
            return {"id": None, "line": number, "error": "each line must be a JSON object"}
        ident = row.get("id")
        text = row.get("text")
        if not isinstance(text, str):
            return {"id": ident, "line": number, "error": "'text' is missing or not a string"}
        lang = row.get("lang")
        if lang is not None and not isinstance(lang, str):
            return {"id": ident, "line": number, "error": "'lang' must be a string: es, en or fr"}
        try:
            result = model.suggest(text, lang, top_targets=options["top_targets"])
        except ValueError as exc:
            return {"id": ident, "line": number, "error": str(exc)}
        with_triggers = options.get("triggers")
        goals = []
        for g in result.goals:
            item: dict[str, Any] = {"goal": g.goal, "score": g.score}
            if with_triggers:
                item["triggers"] = g.triggers
            goals.append(item)
        targets = []
        for t in result.targets:
            entry: dict[str, Any] = {"target": t.target, "score": t.score}
            if with_triggers:
                entry["triggers"] = t.triggers
            targets.append(entry)
        return {
            "id": ident,
            "lang": result.lang,
            "goals": goals,
            "predicted_goals": result.predicted_goals,
            "targets": targets,
            "truncated": result.truncated,
        }
