"""The outbox relay (community/relay.py): a municipality's shared writes reach the public
community index in order, exactly once, and only while the municipality shares them."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from community.models import GroupMember, IndexItem, ItemKind, PopulationBracket, RelayFailure
from community.relay import relay_municipality
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import AroKind, AroType, Initiative
from tenants.structure import services as structure
from tenants.workspace.models import OutboxEvent
from tests.community.factories import make_item
from tests.conftest import World
from tests.initiatives.conftest import make_initiative


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    use_municipality(w.alfa)
    yield w
    use_public_schema()


def relay(w: World) -> Any:
    result = relay_municipality(w.alfa.schema_name)
    use_municipality(w.alfa)  # back where the test works
    return result


def item(w: World, kind: str, source_id: int) -> IndexItem:
    return IndexItem.objects.get(municipality=w.alfa, kind=kind, source_id=source_id)


def restriction(initiative: Initiative, **extra: Any) -> Any:
    return services.aro_raise(
        actor=None, initiative=initiative, kind=AroKind.RESTRICTION, aro_type=AroType.objects.get(key="financial"),
        description="La licitación de la obra quedó desierta. Nadie se presentó.", **extra,
    )  # fmt: skip


def test_a_shared_initiative_reaches_the_index_with_what_the_community_needs(in_alfa: World) -> None:
    theme = structure.theme_save(actor=None, data={"code": "AGUA", "name": "Agua y saneamiento"})
    initiative, _m = make_initiative(in_alfa, name="Acueducto rural de Alfa", themes=[theme], is_public=True)
    assert initiative.share_with_community  # priority initiatives are shared by default

    result = relay(in_alfa)

    row = item(in_alfa, ItemKind.INITIATIVE, initiative.pk)
    assert result.applied == 1 and result.failed == 0
    assert row.title == "Acueducto rural de Alfa"
    assert "300 familias" in row.text
    assert (row.country, row.region) == ("CO", "Boyacá")
    assert row.population_bracket == PopulationBracket.FROM_10K  # Alfa has 20,000 inhabitants
    assert row.local_themes == [{"id": theme.pk, "name": "Agua y saneamiento"}]
    assert row.is_public and row.source_url == f"/publico/iniciativas/{initiative.pk}/"
    assert row.light is not None and row.withdrawn_at is None
    assert not row.search_dirty and row.search_vector  # searchable once the relay is done
    assert OutboxEvent.objects.filter(processed_at__isnull=True).count() == 0


def test_a_rolled_back_write_leaves_no_event_and_nothing_in_the_index(in_alfa: World) -> None:
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_initiative(in_alfa, name="Nunca existió")
        raise RuntimeError("the request failed after the write")
    assert OutboxEvent.objects.count() == before
    relay(in_alfa)
    assert not IndexItem.objects.filter(title="Nunca existió").exists()


def test_private_initiatives_and_private_restrictions_stay_home(in_alfa: World) -> None:
    private, _m = make_initiative(in_alfa, name="Plan interno", share_with_community=False)
    restriction(private)  # follows its initiative: not shared
    shared, _m = make_initiative(in_alfa, name="Mercado municipal")
    kept_private = restriction(shared, share_with_community=False)
    relay(in_alfa)
    titles = set(IndexItem.objects.filter(municipality=in_alfa.alfa).values_list("title", flat=True))
    assert "Plan interno" not in titles and "Mercado municipal" in titles
    assert not IndexItem.objects.filter(kind=ItemKind.RESTRICTION, source_id=kept_private.pk).exists()


def test_restrictions_follow_their_initiative_in_and_out(in_alfa: World) -> None:
    initiative, _m = make_initiative(in_alfa, name="Vía a la vereda El Rosal")
    aro = restriction(initiative)
    relay(in_alfa)
    row = item(in_alfa, ItemKind.RESTRICTION, aro.pk)
    assert row.title == "La licitación de la obra quedó desierta"
    assert row.initiative == item(in_alfa, ItemKind.INITIATIVE, initiative.pk)
    assert row.restriction_type == "financial" and row.is_open

    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": False})
    relay(in_alfa)

    for kind, pk in ((ItemKind.INITIATIVE, initiative.pk), (ItemKind.RESTRICTION, aro.pk)):
        gone = item(in_alfa, kind, pk)
        assert gone.withdrawn_at is not None
        assert (gone.title, gone.text, gone.local_themes, gone.search_vector) == ("", "", [], None)


def test_withdrawing_consent_removes_the_item_from_groups(in_alfa: World) -> None:
    from community.models import Group, GroupKind

    initiative, _m = make_initiative(in_alfa, name="Alumbrado LED")
    relay(in_alfa)
    use_public_schema()
    group = Group.objects.create(kind=GroupKind.THEME, auto_name="alumbrado")
    other = make_item(in_alfa.beta, title="Alumbrado público eficiente")
    GroupMember.objects.create(group=group, item=item(in_alfa, ItemKind.INITIATIVE, initiative.pk))
    GroupMember.objects.create(group=group, item=other)
    use_municipality(in_alfa.alfa)

    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": False})
    relay(in_alfa)

    assert list(GroupMember.objects.filter(group=group).values_list("item", flat=True)) == [other.pk]


def test_replayed_duplicated_and_late_events_change_nothing(in_alfa: World) -> None:
    initiative, _m = make_initiative(in_alfa, name="Primera versión")
    first = OutboxEvent.objects.filter(topic="initiative.upserted").latest("pk")
    services.initiative_save(actor=None, initiative=initiative, data={"name": "Segunda versión"})
    relay(in_alfa)
    assert item(in_alfa, ItemKind.INITIATIVE, initiative.pk).title == "Segunda versión"

    # The relay runs again: nothing pending, nothing changes.
    assert relay(in_alfa).applied == 0
    # The first event is delivered again, late (as after a crash between applying a batch
    # elsewhere and marking it): the index already holds a newer state and keeps it.
    OutboxEvent.objects.filter(pk=first.pk).update(processed_at=None)
    result = relay(in_alfa)
    assert (result.applied, result.skipped) == (0, 1)
    assert item(in_alfa, ItemKind.INITIATIVE, initiative.pk).title == "Segunda versión"
    assert IndexItem.objects.filter(municipality=in_alfa.alfa, source_id=initiative.pk).count() == 1


def test_events_of_one_item_apply_in_order_within_a_batch(in_alfa: World) -> None:
    initiative, _m = make_initiative(in_alfa, name="A")
    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": False})
    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": True, "name": "C"})
    relay(in_alfa)
    row = item(in_alfa, ItemKind.INITIATIVE, initiative.pk)
    assert row.title == "C" and row.withdrawn_at is None
    services.initiative_save(actor=None, initiative=initiative, data={"share_with_community": False})
    relay(in_alfa)
    assert item(in_alfa, ItemKind.INITIATIVE, initiative.pk).withdrawn_at is not None


def test_a_malformed_event_is_kept_aside_and_does_not_block_the_others(in_alfa: World) -> None:
    def event(topic: str, aggregate_id: str, payload: dict[str, Any], kind: str = "initiative") -> OutboxEvent:
        return OutboxEvent.objects.create(topic=topic, aggregate_type=kind, aggregate_id=aggregate_id, payload=payload)

    with transaction.atomic():
        bad = [
            event("initiative.upserted", "7777001", {"id": 7777001, "name": 42, "objective": "Agua"}),
            event("initiative.upserted", "x", {}),
            event("rumour.spread", "7777002", {}),
            event(
                "restriction.upserted",
                "7777003",
                {"id": 7777003, "description": "x", "type": "legal", "raised_on": "ayer"},
                kind="restriction",
            ),
            event("initiative.withdrawn", "²", {}),  # a digit to str.isdigit(), not to int()
            event("initiative.upserted", "7777004", {"id": 7777004, "name": "N", "objective": "O", "light": 99999}),
            event("initiative.upserted", str(2**63), {"id": 2**63, "name": "N", "objective": "O"}),
        ]
    good, _m = make_initiative(in_alfa, name="Parque lineal")
    result = relay(in_alfa)
    assert result.failed == 7 and result.applied == 1
    failures = {f.event_id: f.error for f in RelayFailure.objects.filter(municipality=in_alfa.alfa)}
    assert set(failures) == {e.pk for e in bad}
    assert "name" in failures[bad[0].pk] and "raised_on" in failures[bad[3].pk]
    assert "unknown topic" in failures[bad[2].pk]
    assert "light" in failures[bad[5].pk] and "aggregate_id" in failures[bad[4].pk]
    assert not IndexItem.objects.filter(municipality=in_alfa.alfa, source_id__in=[7777001, 7777002, 7777003]).exists()
    assert item(in_alfa, ItemKind.INITIATIVE, good.pk).title == "Parque lineal"
    assert not OutboxEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_deleted_municipality_is_a_no_op(w: World) -> None:
    result = relay_municipality("municipio_que_ya_no_existe")
    assert (result.applied, result.failed) == (0, 0)


def test_the_rebuild_recreates_the_index_and_forgets_what_is_no_longer_shared(in_alfa: World) -> None:
    kept, _m = make_initiative(in_alfa, name="Biblioteca pública")
    aro = restriction(kept)
    relay(in_alfa)
    use_public_schema()
    # An item the index kept although the municipality no longer shares it (an event lost
    # before the relay existed, say), and a stale copy of a shared one.
    ghost = make_item(in_alfa.alfa, title="Fantasma", source_id=999_999)
    IndexItem.objects.filter(municipality=in_alfa.alfa, source_id=kept.pk, kind=ItemKind.INITIATIVE).update(
        title="Desactualizado"
    )
    out = StringIO()
    call_command("community_rebuild", "--municipality", "alfa", stdout=out)
    use_municipality(in_alfa.alfa)
    assert item(in_alfa, ItemKind.INITIATIVE, kept.pk).title == "Biblioteca pública"
    assert item(in_alfa, ItemKind.RESTRICTION, aro.pk).withdrawn_at is None
    ghost.refresh_from_db()
    assert ghost.withdrawn_at is not None and ghost.title == ""
    assert "alfa:" in out.getvalue()

    # A second rebuild finds everything in place: nothing new to apply, nothing withdrawn.
    use_public_schema()
    call_command("community_rebuild", "--municipality", "alfa", stdout=StringIO())
    use_municipality(in_alfa.alfa)
    live = IndexItem.objects.filter(municipality=in_alfa.alfa, withdrawn_at__isnull=True)
    assert {(i.kind, i.source_id) for i in live} >= {(ItemKind.INITIATIVE, kept.pk), (ItemKind.RESTRICTION, aro.pk)}
    assert not live.filter(source_id=999_999).exists()


def test_the_rebuild_refuses_an_unknown_municipality(w: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nadie"):
        call_command("community_rebuild", "--municipality", "nadie", stdout=StringIO())


def test_a_light_that_moves_with_time_is_sent_again(in_alfa: World) -> None:
    from tenants.initiatives.tasks import refresh_community_lights

    initiative, _m = make_initiative(in_alfa, name="Centro de salud")
    Initiative.objects.filter(pk=initiative.pk).update(community_light=99)  # as if it changed since
    before = OutboxEvent.objects.count()
    assert refresh_community_lights() >= 1
    assert OutboxEvent.objects.count() > before
    assert refresh_community_lights() == 0  # nothing moved since


def test_the_relay_wakes_once_per_transaction_and_only_on_commit(
    in_alfa: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        initiative, _m = make_initiative(in_alfa, name="Dos eventos")
        restriction(initiative)
    wakes = [c for c in callbacks if getattr(c, "outbox_relay", False)]
    assert len(wakes) == 1


def test_personal_data_never_leaves_the_municipality(in_alfa: World) -> None:
    from tenants.initiatives.models import Opinion

    person = structure.actor_save(
        actor=in_alfa.admin_alfa,
        data={"name": "Rosa Contacto", "kind": "individual", "email": "rosa@privado.test", "phone": "+57 300 111 2233"},
    )
    initiative, _m = make_initiative(in_alfa, name="Cancha sintética", actors=[person], is_public=True)
    Opinion.objects.create(
        initiative=initiative,
        text="Opinión ciudadana con mi teléfono 555-0199",
        author_name="Vecina",
        status="approved",
    )
    restriction(initiative)
    relay(in_alfa)
    leaked = ("Rosa", "rosa@privado.test", "300 111", "555-0199", "Vecina")
    for event in OutboxEvent.objects.all():
        assert not any(secret in str(event.payload) for secret in leaked)
    for row in IndexItem.objects.filter(municipality=in_alfa.alfa).values():
        assert not any(secret in str(row) for secret in leaked)
