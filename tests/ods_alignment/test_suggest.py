"""SDG suggestions: clear cases, errors, batch command schema, training (no database)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ods_alignment.management.commands.sdg_suggest import Command as SuggestCommand
from ods_alignment.management.commands.sdg_train import Command as TrainCommand
from ods_alignment.suggest import DEFAULT_MODEL_PATH, MAX_CHARS, Example, Model, default_model, suggest, train
from ods_alignment.suggest.model import GOALS, build_base, macro_f1


def test_spanish_water_works_rank_goal_6_with_triggers() -> None:
    result = suggest("Construcción del acueducto y red de alcantarillado", "es")
    assert 6 in [g.goal for g in result.goals[:2]]
    water = next(g for g in result.goals if g.goal == 6)
    assert 0 <= water.score <= 1 and water.score > 0.5
    assert any("acueducto" in t for t in water.triggers)
    assert any("alcantarillado" in t for t in water.triggers)
    assert 6 in result.predicted_goals
    assert {t.target for t in result.targets[:3]} & {"6.1", "6.2"}


def test_english_led_and_solar_is_goal_7() -> None:
    result = suggest("LED street lighting and solar panels for the town hall", "en")
    assert result.goals[0].goal == 7
    assert any("solar" in t for t in result.goals[0].triggers)
    assert 7 in result.predicted_goals
    assert result.targets[0].target.startswith("7.")
    assert all(0 <= g.score <= 1 for g in result.goals) and len(result.goals) == GOALS


def test_language_is_detected_when_not_given() -> None:
    assert suggest("Reforestation of the river banks with native trees").lang == "en"
    assert suggest("Programa de reciclaje y compostaje en los barrios").lang == "es"


def test_unknown_language_and_empty_text_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="'de'"):
        suggest("Wasserversorgung", "de")
    with pytest.raises(ValueError, match="empty"):
        suggest("   ", "es")


def test_very_long_text_is_truncated_not_failed() -> None:
    text = "Construcción del acueducto y red de alcantarillado en el barrio. " * 1000
    result = suggest(text, "es")
    assert len(text) > MAX_CHARS and result.truncated
    assert result.goals[0].goal == 6


def _run(*args: str, stdin: str = "", **options: object) -> tuple[list[dict], CommandError | None]:
    out = io.StringIO()
    error = None
    try:
        with mock.patch("sys.stdin", io.StringIO(stdin)):  # the process's stdin, not our code
            call_command(SuggestCommand(), *args, stdout=out, **options)
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], error


def _check_schema(row: dict) -> None:
    assert set(row) >= {"id", "goals", "predicted_goals", "targets"}
    assert [g["goal"] for g in row["goals"]] and len(row["goals"]) == GOALS
    scores = [g["score"] for g in row["goals"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert all(isinstance(g, int) for g in row["predicted_goals"])
    assert all(set(t) == {"target", "score"} and t["target"].count(".") == 1 for t in row["targets"])


def test_batch_command_file_schema(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "text": "Paneles solares en la escuela", "lang": "es"})
        + "\n\n"
        + json.dumps({"id": "b", "text": "New sewer network and wastewater treatment plant", "lang": "en"})
        + "\n",
        encoding="utf-8",
    )
    rows, error = _run(str(source))
    assert error is None
    assert [r["id"] for r in rows] == [1, "b"]
    for row in rows:
        _check_schema(row)
    assert 7 in rows[0]["predicted_goals"] and 6 in rows[1]["predicted_goals"]


def test_batch_command_stdin_bad_lines_do_not_stop_the_batch() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Recolección de basura y relleno sanitario", "lang": "es"}),
        "{not json",
        json.dumps({"id": 3, "text": "Wasser", "lang": "de"}),
        json.dumps({"id": 4, "text": ""}),
        json.dumps({"id": 5, "text": "Women's shelter for victims of domestic violence", "lang": "en"}),
    ]
    rows, error = _run(stdin="\n".join(lines) + "\n", triggers=True)
    assert error is not None and "3 of 5" in str(error)
    assert [r.get("id") for r in rows] == [1, None, 3, 4, 5]
    assert "error" in rows[1] and rows[1]["line"] == 2
    assert "'de'" in rows[2]["error"] and "empty" in rows[3]["error"]
    _check_schema({**rows[0], "targets": [{k: t[k] for k in ("target", "score")} for t in rows[0]["targets"]]})
    assert 5 in rows[4]["predicted_goals"] and rows[4]["goals"][0]["triggers"]


def _synthetic(seed: int) -> list[Example]:
    """Texts in an invented municipal jargon: words the lexicon does not know, tied to goals."""
    rng = random.Random(seed)
    jargon = {
        3: ["zorblat", "mediquip"],
        6: ["hidrovex", "cañoplex"],
        9: ["vialtrex", "pontix"],
        16: ["civitrax", "seguron"],
    }
    filler = ["comunidad", "barrio", "vecinos", "obra", "servicio", "zona", "sector", "familias", "apoyo", "mejora"]
    examples = []
    for i in range(160):
        goal = list(jargon)[i % 4]
        words = [*rng.sample(filler, 4), rng.choice(jargon[goal]), rng.choice(jargon[goal])]
        rng.shuffle(words)
        examples.append(Example.of(f"{i} " + " ".join(words), "es", [goal]))
    return examples


def test_train_improves_or_keeps_held_out_f1() -> None:
    examples = _synthetic(1)
    training, held = examples[:120], examples[120:]
    truth = [[g + 1 in e.goals for g in range(GOALS)] for e in held]

    def f1(model: Model) -> float:
        import numpy as np

        pred = np.array([model.decide(model.goal_scores(e.text, e.lang)) for e in held])
        return macro_f1(np.array(truth), pred)

    before = f1(build_base(tuning=training))
    trained = train(training)
    after = f1(trained)
    assert after >= before
    assert after > 0.8 and trained.beta > 0  # the jargon is learnt


def test_model_file_is_small_and_round_trips(tmp_path: Path) -> None:
    assert DEFAULT_MODEL_PATH.exists() and DEFAULT_MODEL_PATH.stat().st_size < 100 * 1024 * 1024
    path = default_model().save(tmp_path / "m.npz")
    again = Model.load(path)
    text = "Construcción de viviendas sociales y transporte público"
    assert again.suggest(text, "es").predicted_goals == default_model().suggest(text, "es").predicted_goals


def test_train_command_reports_held_out_and_writes(tmp_path: Path) -> None:
    source = tmp_path / "agreed.jsonl"
    source.write_text(
        "\n".join(json.dumps({"text": e.text, "lang": e.lang, "goals": sorted(e.goals)}) for e in _synthetic(2)),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command(TrainCommand(), examples=[str(source)], output=str(tmp_path / "new.npz"), stdout=out)
    assert "held-out" in out.getvalue() and (tmp_path / "new.npz").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "x", "lang": "es", "goals": [6], "targets": ["7.1"]}), encoding="utf-8")
    with pytest.raises(CommandError, match="do not belong"):
        call_command(TrainCommand(), examples=[str(bad)], output=str(tmp_path / "x.npz"), stdout=io.StringIO())
