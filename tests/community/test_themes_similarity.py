"""Suggestions by name similarity: the pure scoring (accents, plurals, synonyms, typos,
unrelated names) and `ensure_suggestions` on the database (idempotent, never overriding a
person's decision, following vocabulary changes)."""

from __future__ import annotations

import pytest

from community import services_themes as services
from community.demo_themes import VOCABULARY
from community.models import MappingStatus, PlatformTheme, ThemeMapping
from community.theme_similarity import THRESHOLD, Candidate, Local, best_match, fold, score, tokens
from tenants.structure.demo import THEMES as DEMO_THEMES
from tests.conftest import World

POOL = [Candidate.of(i, name, description) for i, (name, description) in enumerate(VOCABULARY, start=1)]
BY_NAME = {c.name: c for c in POOL}


def best(name: str, description: str = "") -> str | None:
    match = best_match(name, POOL, description=description)
    return match[0].name if match else None


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("  Educación, SALUD y Niñez!! ") == "educacion salud y ninez"


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("EDUCACIÓN", "Educación y primera infancia"),  # case and accents
        ("educacion", "Educación y primera infancia"),
        ("Residuo solido", "Gestión de residuos sólidos"),  # singular vs plural, no accent
        ("Basuras", "Gestión de residuos sólidos"),  # synonym and plural
        ("Agua y alcantarillado", "Agua potable y saneamiento"),  # municipal synonym
        ("Saneamiento básico", "Agua potable y saneamiento"),
        ("Deportes", "Juventud, deporte y recreación"),
        ("Eduacion", "Educación y primera infancia"),  # a typing mistake
        ("Seguridad", "Seguridad ciudadana y convivencia"),
    ],
)
def test_suggests_across_accents_plurals_synonyms_and_typos(local: str, expected: str) -> None:
    assert best(local) == expected


@pytest.mark.parametrize(
    "local", ["Hacienda municipal", "Cultura", "Obras públicas", "Servicios básicos", "Desarrollo social", "Catastro"]
)
def test_unrelated_names_get_no_suggestion(local: str) -> None:
    assert best(local) is None


def test_description_words_count_when_the_name_shares_none() -> None:
    # "Riego y cosecha de agua" has no word of "Agricultura familiar ..." in its name, but
    # that theme's description speaks of riego, cosecha and agua.
    assert best("Riego y cosecha de agua") == "Agricultura familiar y seguridad alimentaria"
    # The municipality's own description helps too.
    assert best("Plan Raíces") is None
    assert best("Plan Raíces", description="Reforestación y cambio climático") == ("Ambiente y cambio climático")


def test_scores_are_between_0_and_1_and_identical_names_score_1() -> None:
    same = score(Local.of("Agua potable y saneamiento"), BY_NAME["Agua potable y saneamiento"])
    assert same == 1.0
    for candidate in POOL:
        value = score(Local.of("Turismo comunitario"), candidate)
        assert 0.0 <= value <= 1.0
    assert score(Local.of(""), POOL[0]) == 0.0
    assert 0 < THRESHOLD < 1


def test_plural_and_singular_share_tokens() -> None:
    assert tokens("Residuos sólidos") == tokens("residuo solido")


def test_every_demo_theme_maps_where_a_person_would_map_it() -> None:
    expected = {
        "Desarrollo económico local": "Desarrollo económico local y empleo",
        "Turismo comunitario": "Turismo sostenible",
        "Agricultura familiar": "Agricultura familiar y seguridad alimentaria",
        "Riego y cosecha de agua": "Agricultura familiar y seguridad alimentaria",
        "Servicios básicos": None,
        "Agua potable y saneamiento": "Agua potable y saneamiento",
        "Manejo de residuos sólidos": "Gestión de residuos sólidos",
        "Desarrollo social": None,
        "Salud preventiva": "Salud pública y prevención",
        "Educación y primera infancia": "Educación y primera infancia",
        "Juventud y deporte": "Juventud, deporte y recreación",
        "Gobernanza y transparencia": "Gobierno abierto y transparencia",
        "Participación ciudadana": "Participación ciudadana",
    }
    assert {name for _code, name, _colour, _parent in DEMO_THEMES} == set(expected)
    assert {name: best(name) for name in expected} == expected


# --- ensure_suggestions on the database ----------------------------------------------------


@pytest.fixture
def vocab(w: World) -> dict[str, PlatformTheme]:
    return {
        name: services.platform_theme_create(actor=None, name=name, description=description)
        for name, description in VOCABULARY
    }


def rows(w: World) -> dict[int, ThemeMapping]:
    return {r.local_theme_id: r for r in ThemeMapping.objects.filter(municipality=w.alfa)}


def test_ensure_suggestions_creates_suggested_rows_and_is_idempotent(w: World, vocab: dict[str, PlatformTheme]) -> None:
    themes = [{"id": 11, "name": "Agua y alcantarillado"}, {"id": 12, "name": "Hacienda municipal"}]
    assert services.ensure_suggestions(municipality=w.alfa, themes=themes) == 2
    made = rows(w)
    assert made[11].status == MappingStatus.SUGGESTED
    assert made[11].platform_theme == vocab["Agua potable y saneamiento"]
    assert made[11].score >= THRESHOLD
    # A theme with nothing close gets a row (so it is listed) but no suggestion.
    assert made[12].platform_theme is None and made[12].score == 0

    assert services.ensure_suggestions(municipality=w.alfa, themes=themes) == 0
    assert rows(w) == made and ThemeMapping.objects.filter(municipality=w.alfa).count() == 2
    assert not ThemeMapping.objects.filter(municipality=w.beta).exists()


def test_renamed_theme_gets_a_new_suggestion_while_undecided(w: World, vocab: dict[str, PlatformTheme]) -> None:
    services.ensure_suggestions(municipality=w.alfa, themes=[{"id": 5, "name": "Basuras"}])
    assert rows(w)[5].platform_theme == vocab["Gestión de residuos sólidos"]
    assert services.ensure_suggestions(municipality=w.alfa, themes=[{"id": 5, "name": "Escuelas rurales"}]) == 1
    row = rows(w)[5]
    assert row.local_theme_name == "Escuelas rurales"
    assert row.platform_theme == vocab["Educación y primera infancia"]


def test_decisions_are_never_overridden(w: World, vocab: dict[str, PlatformTheme]) -> None:
    services.ensure_suggestions(
        municipality=w.alfa, themes=[{"id": 1, "name": "Basuras"}, {"id": 2, "name": "Turismo"}]
    )
    services.mapping_confirm(
        actor=w.admin_alfa,
        municipality=w.alfa,
        local_theme_id=1,
        local_theme_name="Basuras",
        platform_theme=vocab["Ambiente y cambio climático"],
    )
    services.mapping_reject(actor=w.admin_alfa, municipality=w.alfa, local_theme_id=2, local_theme_name="Turismo")
    # The relay sees the themes again, renamed: names follow, decisions stay.
    services.ensure_suggestions(
        municipality=w.alfa, themes=[{"id": 1, "name": "Basura y reciclaje"}, {"id": 2, "name": "Turismo rural"}]
    )
    made = rows(w)
    assert (made[1].status, made[1].platform_theme, made[1].local_theme_name) == (
        MappingStatus.CONFIRMED,
        vocab["Ambiente y cambio climático"],
        "Basura y reciclaje",
    )
    assert made[2].status == MappingStatus.REJECTED and made[2].local_theme_name == "Turismo rural"
    # A new vocabulary entry that fits well does not reopen a rejection either.
    services.platform_theme_create(actor=None, name="Turismo rural comunitario")
    assert rows(w)[2].status == MappingStatus.REJECTED


def test_malformed_theme_entries_are_skipped(w: World, vocab: dict[str, PlatformTheme]) -> None:
    themes = [
        {"id": "7", "name": "Agua"},
        {"id": True, "name": "Agua"},
        {"id": -1, "name": "Agua"},
        {"id": 8, "name": ""},
        {"id": 9},
        "Agua",
        None,
        {"id": 10, "name": "Agua potable"},
    ]
    assert services.ensure_suggestions(municipality=w.alfa, themes=themes) == 1  # type: ignore[arg-type]
    assert list(rows(w)) == [10]


def test_vocabulary_changes_refresh_undecided_suggestions(w: World) -> None:
    services.ensure_suggestions(municipality=w.alfa, themes=[{"id": 3, "name": "Gestión de residuos sólidos"}])
    assert rows(w)[3].platform_theme is None  # empty vocabulary: nothing to suggest
    residuos = services.platform_theme_create(actor=w.regional, name="Residuos sólidos")
    assert rows(w)[3].platform_theme == residuos
    # Deactivating the suggested theme withdraws the suggestion (nothing else fits).
    services.platform_theme_set_active(actor=w.regional, theme=residuos, active=False)
    assert rows(w)[3].platform_theme is None
    services.platform_theme_set_active(actor=w.regional, theme=residuos, active=True)
    assert rows(w)[3].platform_theme == residuos
    # Renaming it away from the wording moves the suggestion off it.
    services.platform_theme_update(actor=w.regional, theme=residuos, name="Catastro", description="")
    assert rows(w)[3].platform_theme is None
