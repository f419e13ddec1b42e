"""Forms of the regional console. They parse; the services validate and save. Field names
match the services' keys where they can (name, reason, title, description, item_ids,
version), so a service's error lands on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import GroupKind, GroupMember, PlatformTheme, PopulationBracket
from community.selectors_groups import GroupState
from tenants.forms_util import FilterForm, VersionedForm
from tenants.models import Country

STATE_CHOICES = [
    (GroupState.ACTIVE, _("Activos")),
    (GroupState.NEW, _("Nuevos en la última detección")),
    (GroupState.CHANGED, _("Cambiaron en la última detección")),
    (GroupState.DISMISSED, _("Descartados")),
    (GroupState.INACTIVE, _("Inactivos (unidos a otro o ya no detectados)")),
    (GroupState.ALL, _("Todos")),
]
SDG_CHOICES = [("", _("Todos"))] + [(str(n), _("ODS %(n)s") % {"n": n}) for n in range(1, 18)]
PINNED_CHOICES = [("", _("Todos")), ("1", _("Solo fijados")), ("0", _("Solo no fijados"))]


class GroupFilterForm(FilterForm):
    """The console list's filters (also the API's query parameters). `tipo` picks the tab."""

    tipo = forms.ChoiceField(choices=[("", _("Todos")), *GroupKind.choices], required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Nombre del grupo"), required=False, max_length=200)
    estado = forms.ChoiceField(label=_("Estado"), choices=STATE_CHOICES, required=False)
    pais = forms.ChoiceField(label=_("País"), choices=[("", _("Todos")), *Country.choices], required=False)
    region = forms.CharField(label=_("Región"), required=False, max_length=120)
    tema = forms.ModelChoiceField(
        label=_("Tema de la plataforma"),
        queryset=PlatformTheme.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Todos"),
    )
    ods = forms.TypedChoiceField(label=_("ODS"), choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)
    poblacion = forms.ChoiceField(
        label=_("Población"),
        choices=[("", _("Todas")), *[(v, lbl) for v, lbl in PopulationBracket.choices if v]],
        required=False,
    )
    fijados = forms.ChoiceField(label=_("Fijados"), choices=PINNED_CHOICES, required=False)

    def selector_filters(self) -> dict[str, Any]:
        """The valid filters as selectors_groups.groups_list's keyword arguments."""
        f = self.filters()
        out: dict[str, Any] = {
            "kind": f.get("tipo", ""),
            "q": f.get("q", ""),
            "state": f.get("estado") or GroupState.ACTIVE,
            "country": f.get("pais", ""),
            "region": f.get("region", ""),
            "bracket": f.get("poblacion", ""),
        }
        if f.get("tema") is not None:
            out["theme"] = f["tema"].pk
        if f.get("ods") is not None:
            out["sdg"] = f["ods"]
        if f.get("fijados") in ("0", "1"):
            out["pinned"] = f["fijados"] == "1"
        return out


class RenameForm(VersionedForm):
    name = forms.CharField(
        label=_("Nombre del grupo"),
        max_length=200,
        required=False,
        help_text=_("Déjelo vacío para volver al nombre detectado."),
    )


class DismissForm(VersionedForm):
    reason = forms.CharField(
        label=_("Motivo para descartar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("El grupo no volverá a aparecer salvo que sus miembros cambien mucho."),
    )


class SplitForm(VersionedForm):
    """The members (item ids) that move to a new group, and its name."""

    item_ids = forms.TypedMultipleChoiceField(
        label=_("Miembros que pasan al nuevo grupo"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("Nombre del nuevo grupo"), max_length=200)

    def __init__(self, *args: Any, members: list[GroupMember], **kw: Any) -> None:
        kw.setdefault("auto_id", "split-%s")
        super().__init__(*args, **kw)
        self.fields["item_ids"].choices = [  # type: ignore[attr-defined]
            (m.item_id, f"{m.item.municipality.name}: {m.item.title}") for m in members
        ]


class LabProposalForm(VersionedForm):
    title = forms.CharField(label=_("Título del laboratorio"), max_length=200)
    description = forms.CharField(
        label=_("Descripción"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("Qué se propone conversar y con quién."),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "lab-%s")
        super().__init__(*args, **kw)


class MergeForm(forms.Form):
    """Groups chosen on the list (`grupos`) and the one they join (`target`)."""

    grupos = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    target = forms.TypedChoiceField(label=_("Grupo que se conserva"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["grupos"].choices = choices  # type: ignore[attr-defined]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]
