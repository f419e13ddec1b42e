"""Forms of the vocabulary page (regional team) and of the mapping page (municipality)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import PlatformTheme
from community.selectors_themes import active_platform_themes
from community.services_themes import DESCRIPTION_MAX, NAME_MAX


class PlatformThemeForm(forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Descripción"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Qué abarca el tema, con las palabras que usan los municipios: también sirve para sugerir correspondencias."
        ),
    )


class MappingChoiceForm(forms.Form):
    """Choose the platform theme a municipality's theme corresponds to (active ones only)."""

    platform_theme = forms.ModelChoiceField(
        label=_("Tema de la plataforma"),
        queryset=PlatformTheme.objects.none(),
        empty_label=_("Elija un tema…"),
        error_messages={
            "required": _("Elija un tema de la plataforma."),
            "invalid_choice": _("Ese tema ya no está en el vocabulario; elija otro."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform_theme"].queryset = active_platform_themes()  # type: ignore[attr-defined]
