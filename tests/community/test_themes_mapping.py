"""A municipality maps its themes to the platform vocabulary: who may decide, what the page
shows to whom, the consequences in the community index, and two-tenant isolation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import selectors_themes as selectors
from community import services_themes as services
from community.models import IndexItem, MappingStatus, PlatformTheme, ThemeMapping
from tenants.db import use_municipality, use_public_schema
from tenants.models import Municipality
from tenants.structure import services as structure_services
from tenants.structure.models import Theme
from tests.community.factories import make_item
from tests.conftest import World, client_for


def make_theme(municipality: Municipality, code: str, name: str, *, active: bool = True) -> Theme:
    """A theme in the municipality's own schema (as its structure pages would create it)."""
    use_municipality(municipality)
    try:
        theme = structure_services.theme_save(actor=None, data={"code": code, "name": name})
        if not active:
            structure_services.set_active(actor=None, item=theme, active=False)
        return theme
    finally:
        use_public_schema()


@pytest.fixture
def vocab(w: World) -> dict[str, PlatformTheme]:
    names = {
        "agua": ("Agua potable y saneamiento", "Acueductos, alcantarillado y aguas residuales."),
        "turismo": ("Turismo sostenible", "Turismo comunitario y rural."),
        "residuos": ("Gestión de residuos sólidos", "Basura, reciclaje y desechos."),
        "salud": ("Salud pública y prevención", ""),
    }
    return {
        key: services.platform_theme_create(actor=None, name=name, description=description)
        for key, (name, description) in names.items()
    }


def confirm(
    w: World, theme: Theme, platform: PlatformTheme, *, actor: Any = None, municipality: Any = None
) -> ThemeMapping:
    return services.mapping_confirm(
        actor=actor or w.admin_alfa,
        municipality=municipality or w.alfa,
        local_theme_id=theme.pk,
        local_theme_name=theme.name,
        platform_theme=platform,
    )


# --- services: who may ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_alfa", "mayor_alfa"])
def test_counterpart_and_mayor_confirm(w: World, vocab: dict[str, PlatformTheme], who: str) -> None:
    theme = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    row = confirm(w, theme, vocab["agua"], actor=getattr(w, who))
    assert (row.status, row.platform_theme, row.decided_by) == (MappingStatus.CONFIRMED, vocab["agua"], getattr(w, who))
    assert row.decided_at is not None and row.score > 0


@pytest.mark.parametrize("who", ["editor_alfa", "manager_alfa", "admin_beta", "regional", "outsider"])
def test_others_cannot_decide(w: World, vocab: dict[str, PlatformTheme], who: str) -> None:
    theme = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    with pytest.raises(PermissionDenied):
        confirm(w, theme, vocab["agua"], actor=getattr(w, who))
    with pytest.raises(PermissionDenied):
        services.mapping_reject(
            actor=getattr(w, who), municipality=w.alfa, local_theme_id=theme.pk, local_theme_name="x"
        )
    assert not ThemeMapping.objects.filter(status__in=[MappingStatus.CONFIRMED, MappingStatus.REJECTED]).exists()


def test_confirming_to_a_deactivated_theme_is_a_field_error(w: World, vocab: dict[str, PlatformTheme]) -> None:
    services.platform_theme_set_active(actor=w.regional, theme=vocab["agua"], active=False)
    theme = make_theme(w.alfa, "A1", "Agua")
    with pytest.raises(ValidationError) as caught:
        confirm(w, theme, vocab["agua"])
    assert "platform_theme" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.mapping_confirm(
            actor=w.admin_alfa,
            municipality=w.alfa,
            local_theme_id=0,
            local_theme_name=" ",
            platform_theme=vocab["salud"],
        )
    assert set(caught.value.message_dict) == {"local_theme_id", "local_theme_name"}


# --- consequences in the index -------------------------------------------------------------


def test_confirm_change_and_reject_recompute_the_index(
    w: World, vocab: dict[str, PlatformTheme], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    agua = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    salud = make_theme(w.alfa, "S1", "Salud")
    both = make_item(w.alfa, local_themes=[{"id": agua.pk, "name": agua.name}, {"id": salud.pk, "name": salud.name}])
    only_salud = make_item(w.alfa, local_themes=[{"id": salud.pk, "name": salud.name}])
    # Another municipality's item with the same local theme id (ids are per schema).
    beta_item = make_item(w.beta, local_themes=[{"id": agua.pk, "name": "Otra cosa"}])
    IndexItem.objects.update(search_dirty=False)

    with django_capture_on_commit_callbacks() as callbacks:
        confirm(w, agua, vocab["agua"])
    assert len(callbacks) == 1  # the changed items go to the search backend after commit
    both.refresh_from_db()
    only_salud.refresh_from_db()
    assert both.platform_themes == [vocab["agua"].pk] and both.search_dirty
    assert only_salud.platform_themes == [] and not only_salud.search_dirty
    beta_item.refresh_from_db()
    assert beta_item.platform_themes == [] and not beta_item.search_dirty

    confirm(w, salud, vocab["salud"])
    both.refresh_from_db()
    assert both.platform_themes == sorted([vocab["agua"].pk, vocab["salud"].pk])
    assert selectors.platform_theme_ids(w.alfa.pk, [agua.pk, salud.pk]) == both.platform_themes
    assert selectors.platform_theme_ids(w.beta.pk, [agua.pk, salud.pk]) == []

    # Change: the person picks another platform theme.
    confirm(w, agua, vocab["residuos"])
    both.refresh_from_db()
    assert both.platform_themes == sorted([vocab["residuos"].pk, vocab["salud"].pk])

    # Reject: the item stops counting under any theme for it.
    services.mapping_reject(actor=w.admin_alfa, municipality=w.alfa, local_theme_id=agua.pk, local_theme_name=agua.name)
    both.refresh_from_db()
    assert both.platform_themes == [vocab["salud"].pk]
    assert selectors.platform_theme_ids(w.alfa.pk, [agua.pk]) == []

    # The callback hands the changed items to the search backend, which indexes them.
    callbacks[0]()
    both.refresh_from_db()
    assert both.search_vector is not None


def test_suggestions_do_not_count_in_the_index(w: World, vocab: dict[str, PlatformTheme]) -> None:
    services.ensure_suggestions(municipality=w.alfa, themes=[{"id": 40, "name": "Agua potable"}])
    assert ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=40).platform_theme == vocab["agua"]
    assert selectors.platform_theme_ids(w.alfa.pk, [40]) == []


def test_deactivating_a_platform_theme_takes_it_out_of_the_index_until_reactivated(
    w: World, vocab: dict[str, PlatformTheme]
) -> None:
    agua = make_theme(w.alfa, "A1", "Agua")
    item = make_item(w.alfa, local_themes=[{"id": agua.pk, "name": agua.name}])
    confirm(w, agua, vocab["agua"])
    services.platform_theme_set_active(actor=w.regional, theme=vocab["agua"], active=False)
    item.refresh_from_db()
    assert item.platform_themes == [] and item.search_dirty
    # The municipality's decision is kept ...
    assert ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=agua.pk).status == MappingStatus.CONFIRMED
    assert selectors.platform_theme_ids(w.alfa.pk, [agua.pk]) == []
    # ... so reactivating brings it back without asking again.
    services.platform_theme_set_active(actor=w.regional, theme=vocab["agua"], active=True)
    item.refresh_from_db()
    assert item.platform_themes == [vocab["agua"].pk]


# --- the page ------------------------------------------------------------------------------


def test_counterpart_sees_suggestions_and_confirms_them(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    make_theme(w.alfa, "H1", "Hacienda municipal")
    make_theme(w.alfa, "OLD", "Tema archivado de agua", active=False)
    client = client_for(w.admin_alfa, w.alfa)
    page = client.get("/comunidad/temas/").content.decode()
    assert "Agua y alcantarillado" in page and "Hacienda municipal" in page
    assert "Tema archivado de agua" not in page  # only active themes
    assert "Sugerido automáticamente" in page and "Sin sugerencia" in page
    assert f'action="/comunidad/temas/{agua.pk}/confirmar/"' in page
    # The page made the suggestions itself (nothing was shared yet).
    assert ThemeMapping.objects.filter(municipality=w.alfa, status=MappingStatus.SUGGESTED).count() == 2

    response = client.post(f"/comunidad/temas/{agua.pk}/confirmar/", {"platform_theme": vocab["agua"].pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#tema-{agua.pk}")
    row = ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=agua.pk)
    assert (row.status, row.platform_theme, row.decided_by) == (MappingStatus.CONFIRMED, vocab["agua"], w.admin_alfa)
    page = client.get("/comunidad/temas/").content.decode()
    assert "Confirmado" in page and "Cambiar" in page


def test_choose_another_and_reject_from_the_page(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    client = client_for(w.mayor_alfa, w.alfa)
    client.get("/comunidad/temas/")
    assert (
        client.post(f"/comunidad/temas/{agua.pk}/confirmar/", {"platform_theme": vocab["salud"].pk}).status_code == 302
    )
    assert ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=agua.pk).platform_theme == vocab["salud"]
    assert client.post(f"/comunidad/temas/{agua.pk}/no-corresponde/").status_code == 302
    assert ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=agua.pk).status == MappingStatus.REJECTED
    assert "No corresponde" in client.get("/comunidad/temas/").content.decode()


def test_page_errors_name_the_field(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua")
    client = client_for(w.admin_alfa, w.alfa)
    services.platform_theme_set_active(actor=w.regional, theme=vocab["turismo"], active=False)
    for value in ["", "999999", str(vocab["turismo"].pk), "abc"]:
        response = client.post(f"/comunidad/temas/{agua.pk}/confirmar/", {"platform_theme": value})
        assert response.status_code == 400, value
        body = response.content.decode()
        assert 'aria-invalid="true"' in body and f'id="pt-{agua.pk}_error"' in body
    assert not ThemeMapping.objects.filter(status=MappingStatus.CONFIRMED).exists()
    # A theme that is not one of the municipality's active themes is not found.
    assert client.post("/comunidad/temas/987654/confirmar/", {"platform_theme": vocab["agua"].pk}).status_code == 404
    assert client.get(f"/comunidad/temas/{agua.pk}/confirmar/").status_code == 405


def test_other_members_see_the_page_read_only(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua y alcantarillado")
    client = client_for(w.editor_alfa, w.alfa)
    response = client.get("/comunidad/temas/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Agua y alcantarillado" in body and "Agua potable y saneamiento" in body  # the suggestion
    assert "/confirmar/" not in body and "/no-corresponde/" not in body
    assert (
        client.post(f"/comunidad/temas/{agua.pk}/confirmar/", {"platform_theme": vocab["agua"].pk}).status_code == 403
    )
    assert client.post(f"/comunidad/temas/{agua.pk}/no-corresponde/").status_code == 403
    assert not ThemeMapping.objects.exclude(status=MappingStatus.SUGGESTED).exists()


def test_non_members_get_404_and_anonymous_the_login(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua")
    for user in (w.admin_beta, w.outsider, w.regional):
        client = client_for(user, w.alfa)
        assert client.get("/comunidad/temas/").status_code == 404
        assert (
            client.post(f"/comunidad/temas/{agua.pk}/confirmar/", {"platform_theme": vocab["agua"].pk}).status_code
            == 404
        )
    response = client_for(None, w.alfa).get("/comunidad/temas/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]
    assert not ThemeMapping.objects.exclude(status=MappingStatus.SUGGESTED).exists()


def test_beta_never_sees_alfa_themes_or_mappings(w: World, vocab: dict[str, PlatformTheme]) -> None:
    alfa_theme = make_theme(w.alfa, "T1", "Turismo comunitario de Alfa")
    beta_theme = make_theme(w.beta, "B1", "Residuos de Beta")
    confirm(w, alfa_theme, vocab["turismo"])
    page = client_for(w.admin_beta, w.beta).get("/comunidad/temas/").content.decode()
    assert "Residuos de Beta" in page and "Turismo comunitario de Alfa" not in page
    assert page.count('<tr id="tema-') == 1  # Beta's one theme, nothing of Alfa's
    row = page[page.index(f'<tr id="tema-{beta_theme.pk}"') :]
    row = row[: row.index("</tr>")]
    # Beta's row shows Beta's suggestion, not Alfa's confirmed mapping (even if the ids match).
    assert "<td>Gestión de residuos sólidos</td>" in row and "<td>Turismo sostenible</td>" not in row
    # Even where Beta's theme has the same id as Alfa's (ids are per schema), Beta's row is its own.
    beta_row = ThemeMapping.objects.get(municipality=w.beta, local_theme_id=beta_theme.pk)
    assert beta_row.status == MappingStatus.SUGGESTED and beta_row.platform_theme == vocab["residuos"]
    alfa_row = ThemeMapping.objects.get(municipality=w.alfa, local_theme_id=alfa_theme.pk)
    assert alfa_row.platform_theme == vocab["turismo"] and alfa_row.status == MappingStatus.CONFIRMED
    # Beta's counterpart cannot decide for Alfa's theme through Beta's domain either: the id
    # is looked up among Beta's own themes.
    client = client_for(w.admin_beta, w.beta)
    response = client.post(f"/comunidad/temas/{alfa_theme.pk}/no-corresponde/")
    assert response.status_code in (302, 404)
    alfa_row.refresh_from_db()
    assert alfa_row.status == MappingStatus.CONFIRMED


def test_page_shows_a_retired_platform_theme(w: World, vocab: dict[str, PlatformTheme]) -> None:
    agua = make_theme(w.alfa, "A1", "Agua")
    confirm(w, agua, vocab["agua"])
    services.platform_theme_set_active(actor=w.regional, theme=vocab["agua"], active=False)
    page = client_for(w.admin_alfa, w.alfa).get("/comunidad/temas/").content.decode()
    assert "Tema retirado del vocabulario" in page
    # The retired theme is not offered in the select.
    assert f'<option value="{vocab["agua"].pk}"' not in page
