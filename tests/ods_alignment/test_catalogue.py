"""The SDG catalogue: loading, languages, idempotent reloads, local targets."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from ods_alignment.catalogue import DEFAULT_PATH, load_catalogue
from ods_alignment.models import AlignmentEvent, Goal, Indicator, Target, sort_key
from ods_alignment.services import local_target_create, proposal_submit
from tests.ods_alignment.conftest import Team, open_case

INDICATORS_IN_FILES = len(yaml.safe_load((DEFAULT_PATH / "es" / "global_indicators.yml").read_text()))


def test_fresh_load_counts_and_texts(sdg_catalogue: None, db: None) -> None:
    # Start from empty inside this test's transaction (rolled back afterwards).
    Indicator.objects.all().delete()
    Target.objects.all().delete()
    Goal.objects.all().delete()
    out = StringIO()
    call_command("sdg_load", stdout=out)
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert INDICATORS_IN_FILES > 200
    assert Indicator.objects.count() == INDICATORS_IN_FILES
    assert f"17 goals, 169 targets, {INDICATORS_IN_FILES} indicators" in out.getvalue()
    goal = Goal.objects.get(number=6)
    assert goal.colour == "#26BDE2"
    assert Goal.objects.get(number=17).colour == "#19486A"
    assert goal.title_es and goal.title_en and goal.title_fr and goal.short_fr
    assert "agua" in goal.title_es.lower() and "water" in goal.title_en.lower() and "eau" in goal.title_fr.lower()
    assert all(t.title_es and t.title_en and t.title_fr for t in Target.objects.all())
    assert not Indicator.objects.filter(title_en="").exists()
    # Official order: 6.6 before 6.a; 1.b before 2.1; 10.1 after 9.c.
    codes = list(Target.objects.values_list("code", flat=True))
    assert codes.index("6.6") < codes.index("6.a") < codes.index("6.b") < codes.index("7.1")
    assert codes.index("9.c") < codes.index("10.1")
    assert Indicator.objects.get(code="11.2.1").target.code == "11.2"


def test_text_in_active_language_falls_back_to_spanish(sdg_catalogue: None, db: None) -> None:
    goal = Goal.objects.get(number=13)
    with translation.override("en"):
        assert goal.short == goal.short_en and "Climate" in goal.short
    with translation.override("fr"):
        assert goal.title == goal.title_fr
    with translation.override("pt"):
        assert goal.title == goal.title_es
    target = Target.objects.get(code="13.1")
    target.title_en = ""
    with translation.override("en"):
        assert target.title == target.title_es


def test_reload_is_idempotent_and_keeps_cases_working(team: Team) -> None:
    case = open_case(team)
    proposal = proposal_submit(actor=team.ana, case=case, goals=[6], targets=["6.1"], justification="Agua.")
    target_id = Target.objects.get(code="6.1").pk
    Target.objects.filter(code="6.1").update(title_en="changed by hand")
    before = dict(Target.objects.values_list("code", "pk"))
    result = load_catalogue()
    assert (result.goals, result.targets, result.indicators) == (17, 169, INDICATORS_IN_FILES)
    assert result.created == 0 and result.updated == 1 and result.obsolete == []
    assert dict(Target.objects.values_list("code", "pk")) == before
    assert Target.objects.get(pk=target_id).title_en != "changed by hand"
    proposal.refresh_from_db()
    assert proposal.target_codes == {"6.1"}
    # A second reload changes nothing at all.
    again = load_catalogue()
    assert again.updated == 0 and again.created == 0


def test_reload_never_deletes_what_the_files_drop(team: Team, tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    folder = Path(str(tmp_path)) / "sdg"
    shutil.copytree(DEFAULT_PATH, folder)
    for language in ("es", "en", "fr"):
        file = folder / language / "global_targets.yml"
        data = yaml.safe_load(file.read_text())
        data.pop("6-1-title")
        file.write_text(yaml.safe_dump(data, allow_unicode=True))
        indicators = yaml.safe_load((folder / language / "global_indicators.yml").read_text())
        indicators.pop("6-1-1-title")
        (folder / language / "global_indicators.yml").write_text(yaml.safe_dump(indicators, allow_unicode=True))
    case = open_case(team)
    proposal_submit(actor=team.ana, case=case, goals=[6], targets=["6.1"], justification="Agua.")
    out = StringIO()
    call_command("sdg_load", "--path", str(folder), stdout=out)
    assert Target.objects.filter(code="6.1").exists()
    assert "Kept 2 codes" in out.getvalue() and "6.1" in out.getvalue()


def test_local_target_valid(team: Team) -> None:
    parent = Target.objects.get(code="11.2")
    local = local_target_create(
        actor=team.w.regional, parent=parent, code="11.2.1", title_es="Transporte rural a las veredas"
    )
    assert local.is_local and local.parent == parent and local.goal.number == 11
    assert local.created_by == team.w.regional
    assert local.sort_key == sort_key("11.2.1") and local.sort_key > parent.sort_key
    assert AlignmentEvent.objects.filter(action="target.local_create", detail__code="11.2.1").exists()
    # A platform administrator may too; letters are allowed.
    assert local_target_create(actor=team.w.platform_admin, parent=parent, code="11.2.b", title_es="Bicicletas").pk
    # And it can be proposed under its goal.
    case = open_case(team)
    proposal = proposal_submit(actor=team.ana, case=case, goals=[11], targets=["11.2.1"], justification="Movilidad.")
    assert proposal.target_codes == {"11.2.1"}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Indique un código"),
        ("11.3.1", "11.2"),  # another target's prefix
        ("11.2", "11.2"),  # no extra segment
        ("11.2.1.1", "11.2"),  # two segments
        ("11.2.abcd", "11.2"),  # too long
        ("11.2.x y", "11.2"),
    ],
)
def test_local_target_invalid_codes(team: Team, code: str, message: str) -> None:
    parent = Target.objects.get(code="11.2")
    with pytest.raises(ValidationError) as caught:
        local_target_create(actor=team.w.regional, parent=parent, code=code, title_es="Algo")
    assert message in caught.value.message_dict["code"][0]


def test_local_target_duplicates_titles_parent_and_permission(team: Team) -> None:
    parent = Target.objects.get(code="11.2")
    local = local_target_create(actor=team.w.regional, parent=parent, code="11.2.1", title_es="Uno")
    with pytest.raises(ValidationError) as caught:
        local_target_create(actor=team.w.regional, parent=parent, code="11.2.1", title_es="Otra")
    assert "Ya existe" in caught.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as caught:
        local_target_create(actor=team.w.regional, parent=local, code="11.2.1.1", title_es="")
    assert set(caught.value.message_dict) >= {"parent", "title_es"}
    for actor in (team.ana, team.w.admin_alfa, team.w.outsider):
        with pytest.raises(PermissionDenied):
            local_target_create(actor=actor, parent=parent, code="11.2.9", title_es="No")
    assert not Target.objects.filter(code="11.2.9").exists()
