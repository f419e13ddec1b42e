"""Forms of the structure pages. They parse; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tenants.roles import MunicipalRole
from tenants.structure.models import (
    Actor,
    ActorKind,
    Area,
    NetworkMember,
    Place,
    PlaceLevel,
    Position,
    Relevance,
    Theme,
)
from tenants.structure.selectors import picker_label


class _PickerMixin:
    """The reusable picker for actors, themes and places: a select (works without script)
    that the page's script turns into accent-insensitive type-ahead against the picker API."""

    kind: str

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        attrs = context["widget"]["attrs"]
        attrs["data-picker-url"] = reverse("structure:picker", args=[self.kind])
        # The script's texts, translated here.
        attrs["data-picker-search"] = _("Buscar")
        attrs["data-picker-matches"] = _("%s coincidencias")
        attrs["data-picker-failed"] = _("No se pudo buscar; recargue la página e intente de nuevo.")
        return context


class PickerSelect(_PickerMixin, forms.Select):
    def __init__(self, kind: str) -> None:
        super().__init__(attrs={"data-picker": kind, "class": "picker"})
        self.kind = kind


class PickerMultiple(_PickerMixin, forms.SelectMultiple):
    def __init__(self, kind: str) -> None:
        super().__init__(attrs={"data-picker": kind, "class": "picker"})
        self.kind = kind


def Picker(kind: str, multiple: bool = True) -> forms.Select:
    return PickerMultiple(kind) if multiple else PickerSelect(kind)


class PickerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: models.Model) -> str:
        return picker_label(obj)


class PickerSingleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: models.Model) -> str:
        return picker_label(obj)


class PickerFilterField(PickerSingleField):
    """A list's filter on one theme, place or actor (`kind` as for Picker), empty for all.
    Archived items are offered too: the list also shows the past."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        everything = {
            "themes": Theme.objects.order_by("code"),
            "places": Place.objects.select_related("level").order_by("name"),
            "actors": Actor.objects.order_by("name"),
        }
        kwargs.setdefault("empty_label", _("Todos"))
        super().__init__(queryset=everything[kind], required=False, widget=Picker(kind, multiple=False), **kwargs)


def choosable(model: type[models.Model], current: Any = None) -> Any:
    """Active items, plus the ones already linked (archived items stay linked to history)."""
    queryset = model.objects.filter(is_active=True)  # type: ignore[attr-defined]
    keep = [c.pk for c in (current if isinstance(current, list | tuple) else [current]) if c is not None]
    if keep:
        queryset = model.objects.filter(models.Q(is_active=True) | models.Q(pk__in=keep))  # type: ignore[attr-defined]
    return queryset


class ThemeForm(forms.Form):
    code = forms.CharField(label=_("Código"), max_length=20)
    name = forms.CharField(label=_("Nombre"), max_length=150)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    colour = forms.CharField(
        label=_("Color"), widget=forms.TextInput(attrs={"type": "color"}), initial="#0b5394", required=False
    )
    parent = PickerSingleField(
        label=_("Eje o tema superior"), queryset=Theme.objects.none(), required=False,
        help_text=_("Vacío para un eje. Como máximo tres niveles: eje, tema, subtema."),
        widget=Picker("themes", multiple=False),
    )  # fmt: skip

    def __init__(self, *args: Any, instance: Theme | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {**_values(instance, ["code", "name", "description", "colour", "parent"])})
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["parent"], choosable(Theme, getattr(instance, "parent", None)))


class PlaceForm(forms.Form):
    code = forms.CharField(label=_("Código"), max_length=30)
    name = forms.CharField(label=_("Nombre"), max_length=150)
    level = forms.ModelChoiceField(label=_("Nivel"), queryset=PlaceLevel.objects.none())
    parent = PickerSingleField(
        label=_("Lugar superior"),
        queryset=Place.objects.none(),
        required=False,
        widget=Picker("places", multiple=False),
    )
    population = forms.IntegerField(label=_("Población"), min_value=0, max_value=2_147_483_647, required=False)
    geometry = forms.CharField(
        label=_("Geometría (GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('Opcional. Un punto o polígono, p. ej. {"type": "Point", "coordinates": [-90.73, 14.56]}'),
    )  # fmt: skip

    def __init__(self, *args: Any, instance: Place | None = None, **kwargs: Any) -> None:
        if instance is not None:
            import json

            initial = _values(instance, ["code", "name", "level", "parent", "population"])
            initial["geometry"] = json.dumps(instance.geometry) if instance.geometry else ""
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        level_field = self.fields["level"]
        level_field.queryset = PlaceLevel.objects.select_related("level_set")  # type: ignore[attr-defined]
        level_field.label_from_instance = lambda obj: f"{obj.level_set} · {obj.name}"  # type: ignore[attr-defined]
        set_queryset(self.fields["parent"], choosable(Place, getattr(instance, "parent", None)).select_related("level"))


class ActorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=ActorKind.choices)
    name = forms.CharField(label=_("Nombre"), max_length=200)
    organisation = forms.CharField(label=_("Organización"), max_length=200, required=False)
    position = forms.CharField(label=_("Cargo"), max_length=150, required=False)
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=40, required=False)
    address = forms.CharField(label=_("Dirección"), max_length=250, required=False)
    relevance = forms.ChoiceField(label=_("Relevancia"), choices=Relevance.choices, initial=Relevance.MEDIUM)
    themes = PickerChoiceField(
        help_text=_("Para elegir varios, mantenga Ctrl (Cmd en Mac) al hacer clic, o use la barra espaciadora."),
        label=_("Temas de interés"),
        queryset=Theme.objects.none(),
        required=False,
        widget=Picker("themes"),
    )
    places = PickerChoiceField(
        help_text=_("Para elegir varios, mantenga Ctrl (Cmd en Mac) al hacer clic, o use la barra espaciadora."),
        label=_("Lugares de interés"),
        queryset=Place.objects.none(),
        required=False,
        widget=Picker("places"),
    )
    notes = forms.CharField(label=_("Notas"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    CONTACT_FIELDS = ("email", "phone", "address")

    def __init__(self, *args: Any, instance: Actor | None = None, show_contacts: bool = True, **kwargs: Any) -> None:
        if instance is not None:
            initial = _values(
                instance,
                ["kind", "name", "organisation", "position", "email", "phone", "address", "relevance", "notes"],
            )
            initial["themes"] = list(instance.themes.all())
            initial["places"] = list(instance.places.all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["themes"], choosable(Theme, list(instance.themes.all()) if instance else None))
        set_queryset(
            self.fields["places"],
            choosable(Place, list(instance.places.all()) if instance else None).select_related("level"),
        )
        if not show_contacts:
            for name in self.CONTACT_FIELDS:
                del self.fields[name]


class AreaForm(forms.Form):
    code = forms.CharField(label=_("Código"), max_length=20)
    name = forms.CharField(label=_("Nombre"), max_length=150)
    parent = forms.ModelChoiceField(label=_("Área superior"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, instance: Area | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", _values(instance, ["code", "name", "parent"]))
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["parent"], choosable(Area, getattr(instance, "parent", None)))


class PositionForm(forms.Form):
    code = forms.CharField(label=_("Código"), max_length=20)
    name = forms.CharField(label=_("Nombre"), max_length=150)
    area = forms.ModelChoiceField(label=_("Área"), queryset=Area.objects.none())

    def __init__(self, *args: Any, instance: Position | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", _values(instance, ["code", "name", "area"]))
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["area"], choosable(Area, getattr(instance, "area", None)))


class NetworkMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=40, required=False)
    position = forms.ModelChoiceField(label=_("Cargo"), queryset=Position.objects.none(), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles del método"), choices=MunicipalRole.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Si la persona tiene cuenta en este municipio, estos roles son también sus permisos."),
    )  # fmt: skip
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Cuenta de usuario"), queryset=None, required=False,  # type: ignore[arg-type]
        help_text=_("Solo personas que ya son miembros del municipio; para otras, invítelas desde Miembros."),
    )  # fmt: skip

    def __init__(
        self, *args: Any, instance: NetworkMember | None = None, municipality: Any = None, **kwargs: Any
    ) -> None:
        from tenants.accounts.models import User

        if instance is not None:
            initial = _values(instance, ["full_name", "email", "phone", "position", "roles"])
            initial["user"] = instance.user_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["position"], choosable(Position, getattr(instance, "position", None)))
        set_queryset(
            self.fields["user"],
            (User.objects.filter(memberships__municipality=municipality).distinct().order_by("full_name")),
        )


def set_queryset(field: forms.Field, queryset: Any) -> None:
    field.queryset = queryset  # type: ignore[attr-defined]


def _values(instance: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}
