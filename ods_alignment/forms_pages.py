"""Forms of the public SDG pages: the grid's filter and the method page's editor. They parse;
the method page service validates and saves (its field names are the form's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ods_alignment.services.method_page import MAX_METHOD_TEXT
from tenants.forms_util import FilterForm, VersionedForm

TEXT_HELP = _(
    "Texto sin formato. Separe los párrafos con una línea en blanco (las líneas seguidas forman "
    "un solo párrafo); una línea que empieza por «## » es un subtítulo y una que empieza por "
    "«- », un elemento de lista."
)


class GridFilterForm(FilterForm):
    pais = forms.ChoiceField(label=_("País"), required=False)

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pais"].choices = [("", _("Todos")), *countries]  # type: ignore[attr-defined]


class MethodPageForm(VersionedForm):
    body_es = forms.CharField(
        label=_("Texto en español"),
        required=False,  # the service says why it is needed, next to the field
        strip=False,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 24, "maxlength": MAX_METHOD_TEXT, "lang": "es"}),
    )
    body_en = forms.CharField(
        label=_("Texto en inglés"),
        required=False,
        strip=False,
        help_text=_("Si lo deja vacío, la página en inglés muestra el texto en español."),
        widget=forms.Textarea(attrs={"rows": 24, "maxlength": MAX_METHOD_TEXT, "lang": "en"}),
    )
