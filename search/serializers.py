"""The community search API's parameters and answer (documented by drf-spectacular)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from community.models import ItemKind
from search import sdg
from search.backends import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_RESULT_WINDOW
from search.forms import BRACKETS, MAX_FILTER_VALUES, SDG_GOALS
from search.text import MAX_QUERY_LENGTH
from tenants.models import Country

QUERY_TOO_LONG_API = _("La búsqueda puede tener como máximo {max_length} caracteres.")


def _values(child: serializers.Field, help_text: Any) -> serializers.ListField:
    return serializers.ListField(child=child, required=False, max_length=MAX_FILTER_VALUES, help_text=help_text)


class SearchParamsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": QUERY_TOO_LONG_API},
        help_text=_("Texto a buscar (sin distinguir acentos; tolera errores de escritura)."),
    )
    kind = _values(serializers.ChoiceField(choices=ItemKind.choices), _("Tipo (repetible)."))
    country = _values(serializers.ChoiceField(choices=Country.choices), _("País, código ISO (repetible)."))
    region = _values(serializers.CharField(max_length=120), _("Región (repetible)."))
    population_bracket = _values(serializers.ChoiceField(choices=BRACKETS), _("Tramo de población (repetible)."))
    platform_theme = _values(
        serializers.IntegerField(min_value=1, max_value=2**31 - 1), _("Id de tema de la plataforma (repetible).")
    )
    sdg_goal = _values(
        serializers.ChoiceField(choices=list(SDG_GOALS)), _("Objetivo de Desarrollo Sostenible, 1 a 17 (repetible).")
    )
    sdg_target = _values(
        serializers.CharField(max_length=sdg.TARGET_CODE_MAX),
        _("Meta ODS por su código: 6.1, 6.a o una meta local como 11.2.1 (repetible)."),
    )
    status = _values(serializers.CharField(max_length=30), _("Estado (repetible)."))
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )

    def validate_sdg_target(self, value: list[str]) -> list[str]:
        codes = list(dict.fromkeys(sdg.normalise_code(code) for code in value))
        errors = sdg.target_code_errors(codes)
        if errors:
            raise serializers.ValidationError(errors)
        return codes

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("page", 1) * attrs.get("page_size", DEFAULT_PAGE_SIZE) > MAX_RESULT_WINDOW:
            raise serializers.ValidationError(
                {"page": _("Solo se pueden recorrer los primeros %(limit)d resultados.") % {"limit": MAX_RESULT_WINDOW}}
            )
        attrs["sdg_goal"] = [int(g) for g in attrs.get("sdg_goal") or ()]
        return attrs


class FacetValueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = FacetValueSerializer(many=True)
    country = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    population_bracket = FacetValueSerializer(many=True)
    platform_theme = FacetValueSerializer(many=True)
    sdg_goal = FacetValueSerializer(many=True)
    sdg_target = FacetValueSerializer(many=True)
    status = FacetValueSerializer(many=True)


class SearchHitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text=_("Identificador estable: municipio:tipo:id."))
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text=_("Fragmento del texto, sin marcas."))
    snippet_html = serializers.CharField(
        help_text=_("El mismo fragmento en HTML escapado, con <mark> en las palabras halladas.")
    )
    municipality = serializers.CharField()
    country = serializers.CharField()
    country_label = serializers.CharField()
    region = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    light = serializers.IntegerField(allow_null=True)
    light_label = serializers.CharField(allow_null=True)
    source_url = serializers.CharField()
    score = serializers.FloatField()


class SearchResultsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    pages = serializers.IntegerField()
    relaxed = serializers.BooleanField(help_text=_("Verdadero si ningún resultado tenía todas las palabras."))
    total_is_lower_bound = serializers.BooleanField(
        help_text=_("Verdadero si hay más resultados que los contados: «total» es entonces un mínimo.")
    )
    facets_partial = serializers.BooleanField(
        help_text=_("Verdadero si los recuentos de los filtros se calcularon sobre los primeros resultados (mínimos).")
    )
    results = SearchHitSerializer(many=True)
    facets = FacetsSerializer()
