"""Detection of common themes and shared problems on generated multi-municipality sets with
planted groups (bench/community_data.py), and on small hand-written sets for the rules
(stable ids, dismissed and curated groups, languages, what takes part)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from community.detection.runner import run_detection
from community.detection.services import detection_request
from community.models import DetectionRun, Group, GroupKind, GroupMember, IndexItem, ItemKind
from tests.community.factories import make_item
from tests.conftest import World

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import community_data

pytestmark = pytest.mark.django_db

# Thresholds the planted-set test holds detection to (pairs of planted items, with the
# ground truth split by language: an English paraphrase is not expected to join a Spanish
# group, and pairs with a noise item are not counted; see community_data.pair_scores).
MIN_PRECISION = 0.95
MIN_RECALL = 0.8
MAX_NOISE_IN_PLANTED = 0.05  # unrelated items put into a real group


def _munis(n: int, prefix: str) -> list:  # type: ignore[type-arg]
    return community_data.make_municipalities(n, rng=random.Random(7), prefix=prefix)


@pytest.fixture
def background(w: World) -> list[IndexItem]:
    """What any real index has around the items a test is about: a few dozen one-off
    initiatives from other municipalities (so that word rarity means something)."""
    rng = random.Random(11)
    munis = _munis(12, "bg")
    items = []
    for i in range(48):
        title, text, _subject = community_data._noise_initiative(rng, rng.choice(community_data.PLACES))
        items.append(make_item(munis[i % 12], title=title, text=text))
    return items


def _groups_holding(items: list[IndexItem]) -> set[int]:
    return set(GroupMember.objects.filter(item__in=items, group__is_active=True).values_list("group_id", flat=True))


def _groups(kind: str = GroupKind.THEME) -> list[Group]:
    return list(Group.objects.filter(kind=kind, is_active=True).order_by("id"))


def _member_keys(group: Group) -> set[str]:
    return {m.item.key for m in GroupMember.objects.filter(group=group).select_related("item")}


def _group_of(item: IndexItem) -> Group | None:
    member = GroupMember.objects.filter(item=item, group__is_active=True).select_related("group").first()
    return member.group if member else None


WATER = [
    "Construcción del acueducto rural. Agua potable para las veredas con tanques de almacenamiento.",
    "Acueducto veredal: agua potable y tanques de almacenamiento para las familias rurales.",
    "Construccion de acueductos rurales y tanque de almacenamiento de agua potable",
    "Agua potable rural: ampliación del acueducto y nuevos tanques de almacenamiento.",
]
LIGHTS = [
    "Modernización del alumbrado público con luminarias LED en calles y parques.",
    "Cambio de luminarias del alumbrado público a tecnología LED.",
    "Alumbrado público LED: reemplazo de luminarias de sodio.",
]
WATER_EN = [
    "Rural drinking water supply: storage tanks and pipelines for villages.",
    "Building a rural drinking water network with storage tanks.",
    "Safe drinking water for rural villages, new storage tanks and water pipelines.",
]


def _spread(texts: list[str], munis: list, kind: str = ItemKind.INITIATIVE, **fields: object) -> list[IndexItem]:  # type: ignore[type-arg]
    return [
        make_item(m, kind=kind, title=t.split(".")[0][:80], text=t, **fields)
        for t, m in zip(texts, munis, strict=False)
    ]


def test_planted_groups_are_found_and_noise_is_not_merged(w: World) -> None:
    truth = community_data.generate(municipalities=30, initiatives=6, restrictions=3, seed=3, aims=8, problems=10)
    run = run_detection()
    assert run.finished_at is not None and run.item_count == 30 * 6 * 4
    assert run.duration_ms > 0 and run.peak_memory_kb > 0
    assert run.summary["new"] == run.group_count > 0
    for group_kind, item_kind in ((GroupKind.THEME, "initiative"), (GroupKind.PROBLEM, "restriction")):
        found = [sorted(_member_keys(g)) for g in _groups(group_kind)]
        labels = {
            key: (label + "/" + truth.language[key]) if label else ""
            for key, label in truth.labels.items()
            if f":{item_kind}:" in key
        }
        scores = community_data.pair_scores(labels, found)
        assert scores["precision"] >= MIN_PRECISION, (group_kind, scores)
        assert scores["recall"] >= MIN_RECALL, (group_kind, scores)
        assert scores["noise_in_planted"] <= MAX_NOISE_IN_PLANTED, (group_kind, scores)


def test_every_group_spans_two_municipalities_and_explains_itself(w: World) -> None:
    community_data.generate(municipalities=20, initiatives=5, restrictions=2, seed=5, aims=6, problems=6)
    run_detection()
    groups = list(Group.objects.filter(is_active=True))
    assert groups
    for group in groups:
        members = list(GroupMember.objects.filter(group=group).select_related("item"))
        assert len({m.item.municipality_id for m in members}) >= 2
        assert 0 < group.strength <= 1
        assert group.auto_name and group.reasons["terms"]
        assert group.reasons["municipalities"] == len({m.item.municipality_id for m in members})
        assert all(0 < m.score <= 1 for m in members)
        # The first shared term really is shared: most members' texts contain its words.
        words = group.reasons["terms"][0].split()
        folded = [community_data._strip_accents(f"{m.item.title} {m.item.text}".lower()) for m in members]
        having = sum(all(community_data._strip_accents(word)[:4] in text for word in words) for text in folded)
        assert having >= len(members) / 2, (group.auto_name, group.reasons["terms"])


def test_unrelated_items_stay_apart_and_reasons_name_shared_terms(w: World, background: list[IndexItem]) -> None:
    munis = _munis(8, "apart")
    water = _spread(WATER, munis[:4], sdg_targets=["6.1"], sdg_goals=[6])
    lights = _spread(LIGHTS, munis[4:7])
    lone = make_item(munis[7], title="Inventario del archivo histórico", text="Digitalizar los libros del archivo.")
    run_detection()
    water_group = _group_of(water[0])
    lights_group = _group_of(lights[0])
    assert water_group is not None and lights_group is not None and water_group != lights_group
    assert {_group_of(i) for i in water} == {water_group}
    assert {_group_of(i) for i in lights} == {lights_group}
    assert _group_of(lone) is None
    terms = " ".join(water_group.reasons["terms"])
    assert "agua potable" in terms and "almacenamiento" in terms
    assert water_group.reasons["sdg_targets"] == ["6.1"] and water_group.reasons["sdg_goals"] == [6]
    assert "luminarias" in lights_group.auto_name or "alumbrado" in lights_group.auto_name


def test_english_paraphrases_group_and_accents_or_plurals_do_not_split(w: World, background: list[IndexItem]) -> None:
    munis = _munis(7, "lang")
    spanish = _spread(WATER, munis[:4])  # with and without accents, singular and plural
    english = _spread(WATER_EN, munis[4:7])
    run_detection()
    es_group, en_group = _group_of(spanish[0]), _group_of(english[0])
    assert es_group is not None and {_group_of(i) for i in spanish} == {es_group}
    assert en_group is not None and {_group_of(i) for i in english} == {en_group}
    assert "drinking water" in " ".join(en_group.reasons["terms"])


def test_ids_are_stable_and_changes_are_listed(w: World, background: list[IndexItem]) -> None:
    munis = _munis(6, "stable")
    water = _spread(WATER, munis[:4])
    run_detection()
    group = _group_of(water[0])
    assert group is not None and group.change["new"] is True
    first_id, first_version = group.pk, group.version

    # One member withdrawn, one added elsewhere: most of the group stays.
    IndexItem.objects.filter(pk=water[3].pk).update(withdrawn_at=timezone.now(), text="", title="")
    extra = make_item(munis[4], title="Acueducto rural", text=WATER[0] + " Fase dos.")
    run = run_detection()
    group.refresh_from_db()
    assert group.pk == first_id and group.is_active
    assert group.change["new"] is False
    assert group.change["added"] == [extra.key]
    assert group.change["removed"] == [water[3].key]
    assert group.version == first_version + 1
    assert _member_keys(group) == {water[0].key, water[1].key, water[2].key, extra.key}
    assert run.summary["changed"] >= 1

    # Nothing changes: nothing moves, the version stays.
    run = run_detection()
    group.refresh_from_db()
    assert group.version == first_version + 1 and group.change["added"] == [] and group.change["removed"] == []
    assert run.summary["unchanged"] >= 1 and run.summary["new"] == 0


def test_a_group_no_run_finds_goes_inactive(w: World, background: list[IndexItem]) -> None:
    munis = _munis(3, "gone")
    water = _spread(WATER[:3], munis)
    run_detection()
    group = _group_of(water[0])
    assert group is not None
    # Two of its three municipalities leave the platform: nothing left to share.
    for m in munis[1:]:
        m.is_active = False
    type(munis[0]).objects.bulk_update(munis[1:], ["is_active"])
    run = run_detection()
    group.refresh_from_db()
    assert not group.is_active and group.change["gone"] is True
    assert run.summary["gone"] >= 1


def test_dismissed_group_stays_dismissed_until_membership_changes_substantially(
    w: World, background: list[IndexItem]
) -> None:
    munis = _munis(10, "dismiss")
    water = _spread(WATER, munis[:4])
    run_detection()
    group = _group_of(water[0])
    assert group is not None
    Group.objects.filter(pk=group.pk).update(
        dismissed_at=timezone.now(), dismissed_by=w.regional, dismissed_keys=sorted(_member_keys(group))
    )
    # Same data, and a small change (one more member: Jaccard 4/5 ≥ 0.6): still dismissed.
    run_detection()
    make_item(munis[4], title="Acueducto rural", text=WATER[1])
    run_detection()
    group.refresh_from_db()
    assert group.dismissed_at is not None and group.dismissed_by == w.regional
    assert _groups_holding(water) == {group.pk}  # not re-created beside it

    # Four more municipalities join (Jaccard with the dismissed members 4/9 < 0.6): it returns.
    for m, text in zip(munis[5:9], WATER, strict=True):
        make_item(m, title="Agua potable rural", text=text)
    run = run_detection()
    group.refresh_from_db()
    assert group.dismissed_at is None and group.dismissed_keys == []
    assert group.change["returned"] is True
    assert group.change["reason"]["why"] == "membership_changed"
    assert group.change["reason"]["jaccard_with_dismissed"] < 0.6
    assert run.summary["returned"] == 1


def test_curated_group_keeps_its_membership(w: World, background: list[IndexItem]) -> None:
    munis = _munis(6, "curated")
    water = _spread(WATER, munis[:4])
    run_detection()
    group = _group_of(water[0])
    assert group is not None
    # The regional team took one item out and marked the group curated.
    GroupMember.objects.filter(group=group, item=water[3]).delete()
    Group.objects.filter(pk=group.pk).update(curated=True, name="Agua rural (equipo)", pinned=True)
    extra = make_item(munis[4], title="Acueducto rural", text=WATER[2])
    run_detection()
    group.refresh_from_db()
    assert _member_keys(group) == {water[0].key, water[1].key, water[2].key}
    assert set(group.change["would_add"]) == {water[3].key, extra.key}
    assert group.change["would_remove"] == []
    assert group.name == "Agua rural (equipo)" and group.pinned and group.is_active
    # The cluster that matches it is not created again as a group of its own.
    assert _groups_holding([*water, extra]) == {group.pk}


def test_withdrawn_items_and_inactive_municipalities_do_not_take_part(w: World, background: list[IndexItem]) -> None:
    munis = _munis(6, "live")
    water = _spread(WATER[:3], munis[:3])
    withdrawn = make_item(munis[3], title="Acueducto rural", text=WATER[3], withdrawn_at=timezone.now())
    munis[4].is_active = False
    munis[4].save(update_fields=["is_active"])
    inactive = make_item(munis[4], title="Acueducto rural", text=WATER[0])
    run = run_detection()
    group = _group_of(water[0])
    assert group is not None
    assert _member_keys(group) == {i.key for i in water}
    assert not GroupMember.objects.filter(item__in=[withdrawn, inactive]).exists()
    assert run.item_count == 3 + len(background)


def test_restrictions_group_by_problem_not_by_works(w: World, background: list[IndexItem]) -> None:
    munis = _munis(6, "problems")
    works = ["el acueducto rural", "la escuela rural", "el puesto de salud"] * 2
    initiatives = [
        make_item(m, title=f"Obra: {obj}", text=f"Construcción de {obj} del municipio.")
        for m, obj in zip(munis, works, strict=True)
    ]

    def restriction(i: int, title: str, text: str, rtype: str) -> IndexItem:
        return make_item(
            munis[i], kind=ItemKind.RESTRICTION, title=title.format(obj=works[i]), text=text.format(obj=works[i]),
            restriction_type=rtype, initiative=initiatives[i], initiative_source_id=initiatives[i].source_id,
        )  # fmt: skip

    void = [
        restriction(i, "La licitación de {obj} se declaró desierta",
                    "No se presentaron oferentes en la licitación de {obj}.", "technical_administrative")
        for i in range(3)
    ]  # fmt: skip
    rain = [
        restriction(i, "Las lluvias paralizaron {obj}", "La temporada de lluvias impidió avanzar en {obj}.", "other")
        for i in range(3, 6)
    ]
    run_detection()
    void_group, rain_group = _group_of(void[0]), _group_of(rain[0])
    assert void_group is not None and rain_group is not None and void_group != rain_group
    assert void_group.kind == GroupKind.PROBLEM
    assert {_group_of(i) for i in void} == {void_group} and {_group_of(i) for i in rain} == {rain_group}
    assert "technical_administrative" in void_group.reasons["restriction_types"]
    assert "licitación" in void_group.auto_name or "desierta" in void_group.auto_name


def test_run_now_is_for_the_regional_team(w: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        detection_request(actor=w.outsider)
    with pytest.raises(PermissionDenied):
        detection_request(actor=w.admin_alfa)
    before = DetectionRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        detection_request(actor=w.regional)
        assert DetectionRun.objects.count() == before  # nothing before the commit
    assert len(callbacks) == 1
    run = DetectionRun.objects.order_by("-started_at").first()
    assert run is not None and run.triggered_by == w.regional and run.finished_at is not None


def test_management_command(w: World, capsys: pytest.CaptureFixture[str]) -> None:
    _spread(WATER[:3], _munis(3, "command"))
    call_command("community_detect")
    out = capsys.readouterr().out
    assert "3 items, 1 groups" in out and "1 new" in out


def test_a_group_merged_into_another_is_not_matched_again(w: World, background: list[IndexItem]) -> None:
    munis = _munis(5, "merged")
    water = _spread(WATER, munis[:4])
    run_detection()
    old = _group_of(water[0])
    assert old is not None
    # The console merged it into a new curated group holding the same items.
    target = Group.objects.create(kind=GroupKind.THEME, auto_name="agua", name="Agua rural", curated=True)
    GroupMember.objects.bulk_create([GroupMember(group=target, item=i, score=0.5) for i in water])
    Group.objects.filter(pk=old.pk).update(merged_into=target, is_active=False)
    old.refresh_from_db()
    version = old.version
    run_detection()
    old.refresh_from_db()
    target.refresh_from_db()
    assert not old.is_active and old.version == version  # left alone
    assert target.is_active and _member_keys(target) == {i.key for i in water}
    assert _groups_holding(water) == {target.pk}  # the cluster went to the curated group, not a new one
