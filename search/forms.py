"""Parsing a search from GET parameters: a Django form for the page and a DRF serializer for
the API (search/serializers.py) share the limits and build the same SearchRequest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import ItemKind, PopulationBracket
from search import sdg
from search.backends import DEFAULT_PAGE_SIZE, MAX_RESULT_WINDOW, SearchRequest
from search.text import MAX_QUERY_LENGTH
from tenants.models import Country

MAX_FILTER_VALUES = 30  # per facet; more would only make the SQL longer
SDG_GOALS = range(1, 18)

QUERY_TOO_LONG = _("La búsqueda puede tener como máximo %(limit_value)d caracteres (tiene %(show_value)d).")
BRACKETS = [(v, label) for v, label in PopulationBracket.choices if v]


def to_request(data: dict[str, Any], *, public_only: bool = True) -> SearchRequest:
    """A SearchRequest from cleaned data (form or serializer)."""
    return SearchRequest(
        q=data.get("q") or "",
        kind=tuple(data.get("kind") or ()),
        country=tuple(data.get("country") or ()),
        region=tuple(data.get("region") or ()),
        population_bracket=tuple(data.get("population_bracket") or ()),
        platform_theme=tuple(data.get("platform_theme") or ()),
        sdg_goal=tuple(data.get("sdg_goal") or ()),
        sdg_target=tuple(data.get("sdg_target") or ()),
        status=tuple(data.get("status") or ()),
        page=data.get("page") or 1,
        page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
        public_only=public_only,
    )


class ValueListField(forms.Field):
    """Several values of one GET parameter (checkboxes), each cleaned by `child`. The page
    draws the checkboxes itself, with counts, so the widget only reads the list."""

    widget = forms.MultipleHiddenInput

    def __init__(self, child: forms.Field, **kwargs: Any) -> None:
        self.child = child
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Any]:
        values = [v for v in (value or []) if v not in ("", None)]
        if len(values) > MAX_FILTER_VALUES:
            raise ValidationError(
                _("Elija como máximo %(limit)d valores."), code="max_values", params={"limit": MAX_FILTER_VALUES}
            )
        cleaned = []
        for v in values:
            item = self.child.clean(v)
            if item not in cleaned:
                cleaned.append(item)
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Buscar iniciativas y restricciones"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Por ejemplo: agua potable, reciclaje, alumbrado público."),
        error_messages={"max_length": QUERY_TOO_LONG},
    )
    kind = ValueListField(forms.ChoiceField(choices=ItemKind.choices), label=_("Tipo"))
    country = ValueListField(forms.ChoiceField(choices=Country.choices), label=_("País"))
    region = ValueListField(forms.CharField(max_length=120), label=_("Región"))
    population_bracket = ValueListField(forms.ChoiceField(choices=BRACKETS), label=_("Población"))
    platform_theme = ValueListField(forms.IntegerField(min_value=1, max_value=2**31 - 1), label=_("Tema"))
    sdg_goal = ValueListField(forms.TypedChoiceField(choices=[(g, g) for g in SDG_GOALS], coerce=int), label=_("ODS"))
    # Codes are checked against the catalogue in clean_sdg_target (one query for all).
    sdg_target = ValueListField(forms.CharField(max_length=sdg.TARGET_CODE_MAX), label=_("Meta ODS"))
    status = ValueListField(forms.CharField(max_length=30), label=_("Estado"))
    page = forms.IntegerField(
        min_value=1, max_value=MAX_RESULT_WINDOW // DEFAULT_PAGE_SIZE, required=False, widget=forms.HiddenInput
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_sdg_target(self) -> list[str]:
        codes = list(dict.fromkeys(sdg.normalise_code(code) for code in self.cleaned_data["sdg_target"]))
        errors = sdg.target_code_errors(codes)
        if errors:
            raise ValidationError(errors, code="invalid_target")
        return codes

    def to_request(self) -> SearchRequest:
        return to_request(self.cleaned_data)
