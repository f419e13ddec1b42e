"""The suggestions learn from the published alignments: `sdg_train --from-alignments` reads
them from the database (never an unpublished or withdrawn one) and writes a model that the
process then uses."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ods_alignment.management.commands.sdg_train import Command as TrainCommand
from ods_alignment.models import Target
from ods_alignment.selectors import agreed_texts
from ods_alignment.services import case_publish, local_target_create, proposal_submit
from ods_alignment.suggest import Model, model_path
from tests.ods_alignment.conftest import Team, initiative, open_case


def agree(team: Team, title: str, goals: dict[int, str], targets: dict[str, str], publish: bool = True) -> Any:
    case = open_case(team, initiative(team.w, title=title))
    for who in (team.ana, team.ben):
        proposal_submit(actor=who, case=case, goals=goals, targets=targets, justification="Acordado.")
    case.refresh_from_db()
    return case_publish(actor=team.lead, case=case) if publish else case


def test_agreed_texts_are_the_published_alignments(team: Team, django_capture_on_commit_callbacks: Any) -> None:
    local = local_target_create(
        actor=team.w.regional, parent=Target.objects.get(code="6.1"), code="6.1.1", title_es="Agua en veredas"
    )
    with django_capture_on_commit_callbacks(execute=True):
        published = agree(team, "Acueducto veredal", {6: "direct"}, {local.code: "direct"})
        agree(team, "Sin publicar", {3: "direct"}, {}, publish=False)
        withdrawn = agree(team, "Retirada", {4: "direct"}, {})
    withdrawn.item.withdrawn_at = timezone.now()
    withdrawn.item.save(update_fields=["withdrawn_at"])

    rows = {row.item_key: row for row in agreed_texts()}
    assert set(rows) == {published.item_key}
    row = rows[published.item_key]
    assert row.goals == (6,) and row.targets == ("6.1",)  # the local target counts as its parent
    assert row.text.startswith("Acueducto veredal") and "saneamiento" in row.text


def test_train_from_alignments_writes_the_model(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agree(team, "Red de ciclorrutas", {11: "direct"}, {"11.2": "direct"})
    target = tmp_path / "retrained.npz"
    monkeypatch.setenv("SDG_MODEL_PATH", str(target))
    assert model_path() == target
    out = io.StringIO()
    call_command(TrainCommand(), from_alignments=True, stdout=out)
    assert "1 published alignments" in out.getvalue() and str(target) in out.getvalue()
    assert Model.load(target).meta["trained_examples"] == 1
