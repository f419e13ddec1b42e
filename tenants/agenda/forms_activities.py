"""Forms of the activity pages. They parse; the services validate and save. Field names match
the service's keys, so a service's error lands on its field.

Dates and times are typed in the municipality's time zone (the request activates it):
Django's DateTimeField makes a naive input aware in that zone and answers a field error for
a time that does not exist or happens twice on a daylight-saving change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.agenda.models import Activity, ActivityKind, ActivityStatus
from tenants.forms_util import DateInput, FilterForm, LocalDateTimeField, VersionedForm
from tenants.initiatives.models import Initiative, Milestone
from tenants.service_utils import EARLIEST, LATEST
from tenants.structure.forms import (
    Picker,
    PickerChoiceField,
    PickerFilterField,
    PickerSingleField,
    choosable,
    set_queryset,
)
from tenants.structure.models import Actor, NetworkMember, Place, Theme


class MilestoneField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:  # type: ignore[override]
        return f"{obj.initiative.name}: {obj.name}"


class ActivityForm(VersionedForm):
    title = forms.CharField(label=_("Título"), max_length=200)
    kind = forms.ChoiceField(label=_("Tipo"), choices=[("", _("Elija el tipo")), *ActivityKind.choices])
    starts_at = LocalDateTimeField(label=_("Inicio"), help_text=_("Fecha y hora locales del municipio."))
    ends_at = LocalDateTimeField(label=_("Fin"))
    status = forms.ChoiceField(label=_("Estado"), choices=ActivityStatus.choices, initial=ActivityStatus.TENTATIVE)
    is_public = forms.BooleanField(
        label=_("Pública: puede mostrarse a todo el equipo y en la agenda pública"), required=False
    )
    place = PickerSingleField(
        label=_("Lugar"), queryset=Place.objects.none(), required=False, widget=Picker("places", multiple=False),
        empty_label=_("Ninguno (indique la dirección)"),
    )  # fmt: skip
    address = forms.CharField(
        label=_("Dirección"), max_length=250, required=False,
        help_text=_("Si el lugar no está en la lista, o para precisarlo."),
    )  # fmt: skip
    actors = PickerChoiceField(
        label=_("Actores"), queryset=Actor.objects.none(), required=False, widget=Picker("actors")
    )
    themes = PickerChoiceField(label=_("Temas"), queryset=Theme.objects.none(), required=False, widget=Picker("themes"))
    initiative = forms.ModelChoiceField(
        label=_("Iniciativa relacionada"), queryset=Initiative.objects.none(), required=False, empty_label=_("Ninguna")
    )
    milestone = MilestoneField(
        label=_("Meta intermedia relacionada"), queryset=Milestone.objects.none(), required=False,
        empty_label=_("Ninguna"), help_text=_("Si elige una meta, la iniciativa se completa sola."),
    )  # fmt: skip
    participants = forms.ModelMultipleChoiceField(
        label=_("Participantes de la red de gestión"), queryset=NetworkMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    preparation_notes = forms.CharField(
        label=_("Notas de preparación"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    outcome_notes = forms.CharField(
        label=_("Resultados"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Después de la actividad: qué se acordó, qué quedó pendiente."),
    )  # fmt: skip

    RELATIONS: dict[str, type[models.Model]] = {"actors": Actor, "themes": Theme, "participants": NetworkMember}

    def __init__(self, *args: Any, instance: Activity | None = None, **kw: Any) -> None:
        # Read once: the initial values and the choices both start from them.
        linked = {name: list(getattr(instance, name).all()) if instance else [] for name in self.RELATIONS}
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{
                    f: getattr(instance, f)
                    for f in ("version", "title", "kind", "starts_at", "ends_at", "status", "is_public", "place",
                              "address", "initiative", "milestone", "preparation_notes", "outcome_notes")
                },
                **linked,
            }  # fmt: skip
        super().__init__(*args, **kw)
        current_place = instance.place if instance else None
        set_queryset(self.fields["place"], choosable(Place, current_place).select_related("level"))
        for name, model in self.RELATIONS.items():
            set_queryset(self.fields[name], choosable(model, linked[name]))
        set_queryset(self.fields["initiative"], Initiative.objects.order_by("name"))
        set_queryset(
            self.fields["milestone"],
            Milestone.objects.select_related("initiative").order_by("initiative__name", "position", "pk"),
        )

    def service_data(self) -> tuple[dict[str, Any], int | None]:
        """What the service takes, and the version the page was read at."""
        data = dict(self.cleaned_data)
        version = data.pop("version", None)
        for name in self.RELATIONS:
            data[name] = list(data[name])
        return data, version


class ActivityStatusForm(VersionedForm):
    """Confirm, mark as done (with what came out of it) or cancel."""

    status = forms.ChoiceField(
        label=_("Nuevo estado"),
        choices=[(v, label) for v, label in ActivityStatus.choices if v != ActivityStatus.TENTATIVE],
    )
    outcome_notes = forms.CharField(
        label=_("Resultados"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Qué se acordó, qué quedó pendiente."),
    )  # fmt: skip


VISIBILITY = [("", _("Todas")), ("publica", _("Públicas")), ("privada", _("Privadas"))]


class ActivityFilterForm(FilterForm):
    """The list's filters."""

    tipo = forms.ChoiceField(label=_("Tipo"), choices=[("", _("Todos")), *ActivityKind.choices], required=False)
    estado = forms.ChoiceField(label=_("Estado"), choices=[("", _("Todos")), *ActivityStatus.choices], required=False)
    visibilidad = forms.ChoiceField(label=_("Pública o privada"), choices=VISIBILITY, required=False)
    tema = PickerFilterField("themes", label=_("Tema"))
    lugar = PickerFilterField("places", label=_("Lugar"))
    actor = PickerFilterField("actors", label=_("Actor"))
    desde = forms.DateField(label=_("Desde"), required=False, widget=DateInput())
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=DateInput())


def parse_start(value: str | None) -> datetime | None:
    """A `?desde=` prefill: an ISO date and time (or a date: 9:00 that day); anything else is ignored."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        moment = datetime(day.year, day.month, day.day, 9, 0)
    if not EARLIEST <= moment.date() <= LATEST:
        return None  # a prefill far outside the horizon is ignored, before any arithmetic
    return moment.replace(second=0, microsecond=0)
