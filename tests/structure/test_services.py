from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenants.models import Membership
from tenants.structure import services
from tenants.structure.models import Actor, NetworkMember, Place, PlaceLevel, Theme
from tenants.structure.selectors import items, picker_options
from tests.conftest import World


def theme(w: World, code: str, parent: Theme | None = None, **extra: object) -> Theme:
    return services.theme_save(
        actor=w.admin_alfa, data={"code": code, "name": f"Tema {code}", "parent": parent, **extra}
    )


def levels(
    w: World, name: str = "División política", names: tuple[str, ...] = ("Distrito", "Corregimiento", "Barrio")
) -> list[PlaceLevel]:
    level_set = services.place_level_set_save(actor=w.admin_alfa, name=name, levels=list(names))
    return list(level_set.levels.order_by("rank"))


def test_theme_hierarchy_has_three_levels_and_no_cycles(in_alfa: World) -> None:
    w = in_alfa
    axis = theme(w, "E1")
    sub = theme(w, "E1.1", axis)
    leaf = theme(w, "E1.1.1", sub)
    assert (axis.depth, sub.depth, leaf.depth) == (1, 2, 3)
    with pytest.raises(ValidationError) as too_deep:
        theme(w, "E1.1.1.1", leaf)
    assert "tres niveles" in too_deep.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as cycle:
        services.theme_save(actor=w.admin_alfa, data={"code": "E1", "name": "Eje", "parent": leaf}, theme=axis)
    assert "debajo de sí mismo" in cycle.value.message_dict["parent"][0]
    # Moving a branch recomputes the depths below it.
    other = theme(w, "E2")
    services.theme_save(actor=w.admin_alfa, data={"code": "E1.1", "name": "Sub", "parent": other}, theme=sub)
    leaf.refresh_from_db()
    assert leaf.depth == 3


def test_codes_are_unique_case_insensitively_and_validated(in_alfa: World) -> None:
    w = in_alfa
    theme(w, "E1")
    with pytest.raises(ValidationError) as duplicate:
        theme(w, "e1")
    assert "código" in duplicate.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as bad:
        theme(w, "E 1; DROP", colour="rojo")
    assert set(bad.value.message_dict) == {"code", "colour"}
    assert Theme.objects.count() == 1


def test_place_parent_must_be_a_wider_level_of_the_same_set(in_alfa: World) -> None:
    w = in_alfa
    district, corregimiento, barrio = levels(w)
    (comuna,) = levels(w, "Comunas", ("Comuna",))
    d1 = services.place_save(actor=w.admin_alfa, data={"code": "D1", "name": "Distrito Norte", "level": district})
    c1 = services.place_save(
        actor=w.admin_alfa, data={"code": "C1", "name": "Centro", "level": corregimiento, "parent": d1}
    )
    services.place_save(actor=w.admin_alfa, data={"code": "B1", "name": "Barrio Lindo", "level": barrio, "parent": c1})
    k1 = services.place_save(actor=w.admin_alfa, data={"code": "K1", "name": "Comuna 1", "level": comuna})
    with pytest.raises(ValidationError) as other_set:
        services.place_save(actor=w.admin_alfa, data={"code": "B2", "name": "Otro", "level": barrio, "parent": k1})
    assert "otro conjunto de niveles" in other_set.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as narrower:
        services.place_save(actor=w.admin_alfa, data={"code": "D2", "name": "Raro", "level": district, "parent": c1})
    assert "más amplio" in narrower.value.message_dict["parent"][0]


@pytest.mark.parametrize(
    ("geometry", "fragment"),
    [
        ("{no es json", "no es JSON"),
        ({"type": "Line", "coordinates": []}, "Point, Polygon o MultiPolygon"),
        ({"type": "Point", "coordinates": [200, 10]}, "fuera de rango"),
        ({"type": "Point", "coordinates": ["a", "b"]}, "[longitud, latitud]"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}, "al menos 4"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]}, "cerrarse"),
    ],
)
def test_malformed_geojson_is_refused(in_alfa: World, geometry: object, fragment: str) -> None:
    (district,) = levels(in_alfa, "Uno", ("Distrito",))
    with pytest.raises(ValidationError) as info:
        services.place_save(
            actor=in_alfa.admin_alfa, data={"code": "D1", "name": "D", "level": district, "geometry": geometry}
        )
    assert fragment in info.value.message_dict["geometry"][0]
    assert not Place.objects.exists()


def test_valid_geojson_feature_is_stored_as_geometry(in_alfa: World) -> None:
    (district,) = levels(in_alfa, "Uno", ("Distrito",))
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-90.73, 14.56]}}
    place = services.place_save(
        actor=in_alfa.admin_alfa, data={"code": "D1", "name": "D", "level": district, "geometry": feature}
    )
    assert place.geometry == {"type": "Point", "coordinates": [-90.73, 14.56]}


def test_archived_items_leave_pickers_but_stay_linked(in_alfa: World) -> None:
    w = in_alfa
    salud, agua = theme(w, "SAL", name="Salud"), theme(w, "AGU", name="Agua potable")
    actor = services.actor_save(
        actor=w.mayor_alfa, data={"kind": "institution", "name": "Hospital Regional", "themes": [salud, agua]}
    )
    services.set_active(actor=w.admin_alfa, item=salud, active=False)
    assert [o["label"] for o in picker_options(Theme, "")] == ["AGU · Agua potable"]
    actor.refresh_from_db()
    assert set(actor.themes.all()) == {salud, agua}  # history keeps the link
    # Saving the actor again keeps the archived link; newly picking it is refused.
    services.actor_save(
        actor=w.mayor_alfa,
        data={"kind": "institution", "name": "Hospital Regional", "themes": [salud, agua]},
        item=actor,
    )
    other = services.actor_save(actor=w.mayor_alfa, data={"kind": "individual", "name": "Otra"})
    with pytest.raises(ValidationError) as info:
        services.actor_save(
            actor=w.mayor_alfa, data={"kind": "individual", "name": "Otra", "themes": [salud]}, item=other
        )
    assert "archivados" in info.value.message_dict["themes"][0]


def test_picker_and_search_ignore_accents_and_case(in_alfa: World) -> None:
    w = in_alfa
    services.actor_save(
        actor=w.admin_alfa, data={"kind": "population_group", "name": "Asociación de Pescadores de Río Grande"}
    )
    assert [o["label"] for o in picker_options(Actor, "rio grande")] == ["Asociación de Pescadores de Río Grande"]
    assert items(Actor, text="ASOCIACION").count() == 1


def test_roles_that_may_edit(in_alfa: World) -> None:
    w = in_alfa
    with pytest.raises(PermissionDenied):
        services.theme_save(actor=w.editor_alfa, data={"code": "E9", "name": "x"})
    # Communications editors add actors day to day.
    assert services.actor_save(actor=w.editor_alfa, data={"kind": "individual", "name": "Periodista"}).pk
    with pytest.raises(PermissionDenied):
        services.actor_save(actor=w.admin_beta, data={"kind": "individual", "name": "Intruso"})


def test_network_roles_are_access_roles_for_linked_accounts(in_alfa: World) -> None:
    w = in_alfa
    member = services.network_member_save(
        actor=w.admin_alfa,
        data={
            "full_name": "Elena Editora",
            "roles": ["communications_editor", "agenda_manager"],
            "user": w.editor_alfa,
        },
    )
    roles = set(Membership.objects.filter(user=w.editor_alfa, municipality=w.alfa).values_list("role", flat=True))
    assert roles == {"communications_editor", "agenda_manager"}
    assert member.user_id == w.editor_alfa.pk
    with pytest.raises(ValidationError) as outsider:
        services.network_member_save(actor=w.admin_alfa, data={"full_name": "B", "roles": [], "user": w.admin_beta})
    assert "no es miembro" in outsider.value.message_dict["user"][0]
    with pytest.raises(ValidationError):
        services.network_member_save(
            actor=w.admin_alfa, data={"full_name": "Ana", "roles": ["mayor"], "user": w.admin_alfa}
        )
    assert NetworkMember.objects.count() == 1  # the last system counterpart was kept, nothing saved


def test_network_links_give_and_take_access(in_alfa: World) -> None:
    w = in_alfa
    with pytest.raises(ValidationError) as no_roles:
        services.network_member_save(
            actor=w.admin_alfa, data={"full_name": "Elena", "roles": [], "user": w.editor_alfa}
        )
    assert "al menos un rol" in no_roles.value.message_dict["roles"][0]
    member = services.network_member_save(
        actor=w.admin_alfa, data={"full_name": "Elena", "roles": ["communications_editor"], "user": w.editor_alfa}
    )
    services.set_active(actor=w.admin_alfa, item=member, active=False)
    assert not Membership.objects.filter(user=w.editor_alfa, municipality=w.alfa).exists()
    services.set_active(actor=w.admin_alfa, item=member, active=True)
    assert Membership.objects.filter(user=w.editor_alfa, municipality=w.alfa, role="communications_editor").exists()
    # Saving without saying anything about the account keeps the link.
    services.network_member_save(actor=w.admin_alfa, data={"full_name": "Elena E."}, member=member)
    member.refresh_from_db()
    assert member.user_id == w.editor_alfa.pk and member.roles == ["communications_editor"]
    # Unlinking takes the access away.
    services.network_member_save(actor=w.admin_alfa, data={"user": None}, member=member)
    assert not Membership.objects.filter(user=w.editor_alfa, municipality=w.alfa).exists()


def test_archived_parent_cannot_be_newly_chosen(in_alfa: World) -> None:
    w = in_alfa
    old = theme(w, "OLD")
    services.set_active(actor=w.admin_alfa, item=old, active=False)
    with pytest.raises(ValidationError) as info:
        theme(w, "NEW", old)
    assert "archivado" in info.value.message_dict["parent"][0]
