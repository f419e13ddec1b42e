"""What the regional team does to detected groups: each action, who may do it, stale
versions, the rules of merge and split, what dismissal remembers, and lab proposals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services_groups as services
from community.models import ConsoleEvent, Group, GroupKind, GroupMember, ItemKind, LabProposal
from tests.community.console_factories import bare_municipality, make_group
from tests.community.factories import make_item
from tests.conftest import World


def _members(group: Group) -> set[int]:
    return set(GroupMember.objects.filter(group=group).values_list("item_id", flat=True))


def _events(group: Group) -> list[str]:
    return list(ConsoleEvent.objects.filter(group=group).order_by("pk").values_list("action", flat=True))


@pytest.fixture
def water(w: World) -> Group:
    items = [
        make_item(w.alfa, title="Agua potable para el barrio Norte"),
        make_item(w.beta, title="Agua potable rural"),
        make_item(w.alfa, title="Acueducto veredal"),
        make_item(w.beta, title="Pozos comunitarios de agua"),
    ]
    return make_group(items, name="Agua potable")


def test_rename_records_the_event_bumps_the_version_and_can_go_back(w: World, water: Group) -> None:
    renamed = services.group_rename(actor=w.regional, group=water, name="  Agua para todos ", version=1)
    assert (renamed.name, renamed.display_name, renamed.version) == ("Agua para todos", "Agua para todos", 2)
    event = ConsoleEvent.objects.get(group=water)
    assert (event.action, event.actor, event.detail) == (
        "renamed",
        w.regional,
        {"old": "Agua potable", "new": "Agua para todos"},
    )
    back = services.group_rename(actor=w.regional, group=renamed, name="", version=2)
    assert (back.name, back.display_name) == ("", "Agua potable")


def test_a_stale_version_is_refused_on_the_version_field(w: World, water: Group) -> None:
    services.group_rename(actor=w.regional, group=water, name="Primero", version=1)
    with pytest.raises(ValidationError) as caught:
        services.group_rename(actor=w.platform_admin, group=water, name="Segundo", version=1)
    assert "version" in caught.value.message_dict
    assert "Recargue la página" in caught.value.message_dict["version"][0]
    water.refresh_from_db()
    assert water.display_name == "Primero"
    with pytest.raises(ValidationError) as caught:
        services.group_dismiss(actor=w.regional, group=water, reason="No sirve", version=1)
    assert "version" in caught.value.message_dict


def test_only_the_regional_team_and_platform_admins_may_act(w: World, water: Group) -> None:
    for user in (w.admin_alfa, w.mayor_alfa, w.outsider):
        with pytest.raises(PermissionDenied):
            services.group_rename(actor=user, group=water, name="X", version=None)
        with pytest.raises(PermissionDenied):
            services.group_pin(actor=user, group=water)
        with pytest.raises(PermissionDenied):
            services.lab_propose(actor=user, group=water, title="Lab")
    assert not ConsoleEvent.objects.exists()
    services.group_pin(actor=w.platform_admin, group=water)
    assert Group.objects.get(pk=water.pk).pinned


def test_name_and_reason_errors_name_their_field(w: World, water: Group) -> None:
    with pytest.raises(ValidationError) as caught:
        services.group_rename(actor=w.regional, group=water, name="x" * 201, version=None)
    assert list(caught.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as caught:
        services.group_dismiss(actor=w.regional, group=water, reason="   ")
    assert caught.value.message_dict == {"reason": ["Este campo es obligatorio."]}
    with pytest.raises(ValidationError) as caught:
        services.lab_propose(actor=w.regional, group=water, title="")
    assert list(caught.value.message_dict) == ["title"]


def test_pin_and_unpin(w: World, water: Group) -> None:
    pinned = services.group_pin(actor=w.regional, group=water, version=1)
    assert pinned.pinned and pinned.version == 2
    again = services.group_pin(actor=w.regional, group=pinned)  # nothing to do: no event
    assert again.version == 2
    unpinned = services.group_unpin(actor=w.regional, group=again, version=2)
    assert not unpinned.pinned
    assert _events(water) == ["pinned", "unpinned"]


def test_merge_moves_members_and_keeps_the_others_as_history(w: World, water: Group) -> None:
    shared = make_item(w.alfa, title="Tanques de agua")
    other = make_group([make_item(w.beta, title="Agua segura en escuelas"), shared], name="Agua segura")
    third = make_group([shared, make_item(w.beta, title="Potabilizadora")], name="Potabilización")
    before = _members(water) | _members(other) | _members(third)
    merged = services.group_merge(actor=w.regional, target=water, others=[other, third], version=1)
    assert merged.curated and merged.version == 2
    assert _members(merged) == before  # the item in both others is there once
    for gone in (other, third):
        gone.refresh_from_db()
        assert (gone.is_active, gone.merged_into_id, _members(gone)) == (False, water.pk, set())
        assert _events(gone) == ["merged_into"]
    assert _events(water) == ["merged"]
    assert ConsoleEvent.objects.get(group=water).detail["groups"] == sorted([other.pk, third.pk])


def test_merge_rules(w: World, water: Group) -> None:
    problem = make_group([make_item(w.alfa, kind=ItemKind.RESTRICTION), make_item(w.beta, kind=ItemKind.RESTRICTION)])
    assert problem.kind == GroupKind.PROBLEM
    with pytest.raises(ValidationError) as caught:
        services.group_merge(actor=w.regional, target=water, others=[problem], version=None)
    assert "otro tipo" in caught.value.message_dict["others"][0]
    with pytest.raises(ValidationError) as caught:
        services.group_merge(actor=w.regional, target=water, others=[water], version=None)
    assert caught.value.message_dict == {"others": ["Un grupo no puede unirse consigo mismo."]}
    with pytest.raises(ValidationError) as caught:
        services.group_merge(actor=w.regional, target=water, others=[], version=None)
    assert list(caught.value.message_dict) == ["others"]
    inactive = make_group([make_item(w.alfa), make_item(w.beta)], is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.group_merge(actor=w.regional, target=water, others=[inactive], version=None)
    assert "ya no está activo" in caught.value.message_dict["others"][0]
    assert _members(water) and not ConsoleEvent.objects.exists()


def test_split_moves_the_chosen_members_into_a_new_curated_group(w: World, water: Group) -> None:
    items = list(water.members.order_by("pk").values_list("item_id", flat=True))
    moving = items[2:]  # one of Alfa's, one of Beta's
    new = services.group_split(actor=w.regional, group=water, item_ids=moving, name="Acueductos", version=1)
    assert (new.kind, new.display_name, new.curated) == (GroupKind.THEME, "Acueductos", True)
    assert _members(new) == set(moving)
    assert _members(water) == set(items[:2])
    water.refresh_from_db()
    assert water.curated and water.version == 2
    assert new.reasons["split_from"] == water.pk
    assert "agua" in water.reasons["terms"]  # both remaining titles mention it
    assert _events(water) == ["split"] and _events(new) == ["split_from"]


def test_split_keeps_both_parts_real_groups(w: World, water: Group) -> None:
    items = list(water.members.order_by("pk").values_list("item_id", flat=True))
    cases = {
        "all": items,  # nothing left behind
        "none": [],
        "foreign": [make_item(w.alfa).pk],
        "one municipality": [items[0], items[2]],  # both of Alfa's: the new group would be Alfa only
    }
    for label, chosen in cases.items():
        with pytest.raises(ValidationError) as caught:
            services.group_split(actor=w.regional, group=water, item_ids=chosen, name="Parte", version=None)
        assert list(caught.value.message_dict) == ["item_ids"], label
    with pytest.raises(ValidationError) as caught:
        services.group_split(actor=w.regional, group=water, item_ids=items[2:], name=" ", version=None)
    assert list(caught.value.message_dict) == ["name"]
    assert Group.objects.count() == 1 and len(_members(water)) == 4


def test_dismiss_remembers_the_member_keys_and_restore_clears_them(w: World, water: Group) -> None:
    keys = sorted(m.item.key for m in water.members.select_related("item"))
    dismissed = services.group_dismiss(actor=w.regional, group=water, reason="Demasiado general", version=1)
    assert dismissed.dismissed_at is not None and dismissed.dismissed_by == w.regional
    assert dismissed.dismissed_keys == keys
    assert ConsoleEvent.objects.get(group=water).detail["reason"] == "Demasiado general"
    with pytest.raises(ValidationError):  # already dismissed: restore first
        services.group_dismiss(actor=w.regional, group=dismissed, reason="Otra vez")
    with pytest.raises(ValidationError):
        services.lab_propose(actor=w.regional, group=dismissed, title="Lab")
    restored = services.group_restore(actor=w.regional, group=dismissed, version=2)
    assert (restored.dismissed_at, restored.dismissed_by, restored.dismissed_keys) == (None, None, [])
    with pytest.raises(ValidationError) as caught:
        services.group_restore(actor=w.regional, group=restored)
    assert "no está descartado" in caught.value.message_dict["group"][0]
    assert _events(water) == ["dismissed", "restored"]


def test_lab_proposal_copies_the_live_members(w: World, water: Group) -> None:
    withdrawn = make_item(w.beta, title="", withdrawn_at="2024-01-01T00:00Z")
    sleeping = bare_municipality("dormido", active=False)
    GroupMember.objects.create(group=water, item=withdrawn)
    GroupMember.objects.create(group=water, item=make_item(sleeping, title="De un municipio desactivado"))
    proposal = services.lab_propose(
        actor=w.regional, group=water, title="Laboratorio de agua", description="Conversatorio abierto"
    )
    assert (proposal.kind, proposal.title, proposal.description, proposal.proposed_by) == (
        GroupKind.THEME,
        "Laboratorio de agua",
        "Conversatorio abierto",
        w.regional,
    )
    titles = sorted(m["title"] for m in proposal.members)
    assert titles == sorted(
        ["Agua potable para el barrio Norte", "Agua potable rural", "Acueducto veredal", "Pozos comunitarios de agua"]
    )
    first = next(m for m in proposal.members if m["title"] == "Agua potable rural")
    beta_item = water.members.get(item__title="Agua potable rural").item
    assert first == {
        "key": beta_item.key,
        "municipality": "Municipio Beta",
        "country": "GT",
        "kind": "initiative",
        "title": "Agua potable rural",
    }
    assert _events(water) == ["lab"]
    # The copy survives the group changing afterwards.
    GroupMember.objects.filter(group=water).delete()
    assert len(LabProposal.objects.get().members) == 4


def test_a_merged_group_cannot_be_proposed(w: World, water: Group) -> None:
    other = make_group([make_item(w.alfa), make_item(w.beta)])
    services.group_merge(actor=w.regional, target=water, others=[other], version=None)
    other.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.lab_propose(actor=w.regional, group=other, title="Lab")
    assert "ya no está activo" in caught.value.message_dict["group"][0]
    assert not LabProposal.objects.exists()
