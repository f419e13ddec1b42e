"""Forms of the initiative pages. They parse; the services validate and save. Field names
match the services' keys, so a service's error lands on its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tenants.forms_util import DateInput, MultipleFileField, VersionedForm
from tenants.initiatives.models import (
    Aro,
    AroKind,
    AroType,
    Initiative,
    Milestone,
    ProductKind,
    Status,
)
from tenants.initiatives.services.initiatives import TRANSITIONS
from tenants.models import Municipality
from tenants.selectors import workspace_members
from tenants.structure.forms import Picker, PickerChoiceField, choosable
from tenants.structure.models import Actor, Place, Theme


def member_choices(municipality: Municipality, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else [("", "—")]
    choices += [(str(user.pk), user.full_name or user.email) for user, _roles in workspace_members(municipality)]
    return choices


class PersonField(forms.TypedChoiceField):
    """A member of the municipality, as an account id (the service checks membership)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)


class InitiativeForm(VersionedForm):
    name = forms.CharField(label=_("Nombre"), max_length=200)
    objective = forms.CharField(label=_("Objetivo"), widget=forms.Textarea(attrs={"rows": 3}))
    product_kind = forms.ChoiceField(label=_("Producto público esperado"), choices=ProductKind.choices)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    manager_id = PersonField(label=_("Gerente de la iniciativa"))
    follow_up_id = PersonField(label=_("Seguimiento institucional"), required=False)
    themes = PickerChoiceField(label=_("Temas"), queryset=Theme.objects.none(), required=False, widget=Picker("themes"))
    places = PickerChoiceField(
        label=_("Lugares"), queryset=Place.objects.none(), required=False, widget=Picker("places")
    )
    actors = PickerChoiceField(
        label=_("Actores"), queryset=Actor.objects.none(), required=False, widget=Picker("actors")
    )
    population_reached = forms.IntegerField(label=_("Población alcanzada"), required=False, min_value=0)
    budget = forms.DecimalField(label=_("Presupuesto"), required=False, min_value=0, decimal_places=2, max_digits=16)
    funding_source = forms.CharField(label=_("Fuente de financiamiento"), required=False, max_length=200)
    start_date = forms.DateField(label=_("Fecha de inicio"), widget=DateInput())
    target_date = forms.DateField(label=_("Fecha meta"), widget=DateInput())
    is_public = forms.BooleanField(
        label=_("Pública: la ciudadanía puede seguirla en la página de rendición de cuentas"), required=False
    )
    share_with_community = forms.BooleanField(
        label=_("Compartir con la comunidad SIGOBito (otros municipios y el equipo regional)"),
        help_text=_(
            "Se comparten el nombre, el objetivo, la descripción, los temas, los lugares, las fechas, el estado y "
            "el semáforo, y sus restricciones (salvo las marcadas privadas); nunca los datos de contacto de "
            "actores, las opiniones ciudadanas ni la agenda."
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, municipality: Municipality, instance: Initiative | None = None, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{
                    f: getattr(instance, f)
                    for f in self.base_fields
                    if hasattr(instance, f) and f not in ("themes", "places", "actors")
                },
                "themes": list(instance.themes.all()),
                "places": list(instance.places.all()),
                "actors": list(instance.actors.all()),
            }
        super().__init__(*args, **kw)
        people = member_choices(municipality)
        self.fields["manager_id"].choices = people  # type: ignore[attr-defined]
        self.fields["follow_up_id"].choices = people  # type: ignore[attr-defined]
        for name, model in (("themes", Theme), ("places", Place), ("actors", Actor)):
            current = list(getattr(instance, name).all()) if instance else []
            self.fields[name].queryset = choosable(model, current)  # type: ignore[attr-defined]


class MilestoneForm(VersionedForm):
    name = forms.CharField(label=_("Nombre"), max_length=200)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_date = forms.DateField(label=_("Fecha de cumplimiento"), widget=DateInput())
    responsible_id = PersonField(label=_("Responsable"))
    weight = forms.IntegerField(
        label=_("Peso"), min_value=1, max_value=100, initial=1,
        help_text=_("Cuánto pesa en el termómetro de la iniciativa, de 1 a 100."),
    )  # fmt: skip
    depends_on = forms.ModelMultipleChoiceField(
        label=_("Depende de (debe cumplirse antes)"), queryset=Milestone.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    places = PickerChoiceField(
        label=_("Lugares"), queryset=Place.objects.none(), required=False, widget=Picker("places")
    )
    actors = PickerChoiceField(
        label=_("Actores"), queryset=Actor.objects.none(), required=False, widget=Picker("actors")
    )
    risks = forms.CharField(label=_("Riesgos"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    communication_opportunity = forms.BooleanField(label=_("Es una oportunidad de comunicación"), required=False)

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        initiative: Initiative,
        instance: Milestone | None = None,
        **kw: Any,
    ) -> None:
        # Read once: the initial values and the choices both start from them.
        linked = {name: list(getattr(instance, name).all()) if instance else [] for name in ("places", "actors")}
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{f: getattr(instance, f) for f in ("name", "description", "due_date", "responsible_id", "weight",
                                                     "risks", "communication_opportunity", "version", "position")},
                "depends_on": list(instance.depends_on.all()),
                **linked,
            }  # fmt: skip
        super().__init__(*args, **kw)
        self.fields["responsible_id"].choices = member_choices(municipality)  # type: ignore[attr-defined]
        others = initiative.milestones.all()
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        self.fields["depends_on"].queryset = others  # type: ignore[attr-defined]
        for name, model in (("places", Place), ("actors", Actor)):
            self.fields[name].queryset = choosable(model, linked[name])  # type: ignore[attr-defined]
        if instance is not None and initiative.programming_closed_at is not None:
            # After the baseline a date moves only by reprogramming, with a reason.
            self.fields["due_date"].disabled = True
            self.fields["due_date"].help_text = _("La programación está cerrada: use «Reprogramar» para cambiarla.")


class ReprogramForm(VersionedForm):
    new_due = forms.DateField(label=_("Nueva fecha de cumplimiento"), widget=DateInput())
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}))
    restriction = forms.ModelChoiceField(
        label=_("Restricción que la causa"), queryset=Aro.objects.none(), required=False,
        empty_label=_("Ninguna"),
    )  # fmt: skip

    def __init__(self, *args: Any, initiative: Initiative, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["restriction"].queryset = initiative.aros.filter(kind=AroKind.RESTRICTION)  # type: ignore[attr-defined]


class CompleteForm(VersionedForm):
    completed_on = forms.DateField(label=_("Fecha en que se cumplió"), widget=DateInput())
    evidence_text = forms.CharField(label=_("Evidencia"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence_url = forms.CharField(label=_("Enlace de evidencia"), required=False, max_length=500)
    evidence_file = forms.FileField(label=_("Archivo de evidencia"), required=False)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Nuevo estado"))
    comment = forms.CharField(label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, initiative: Initiative, **kw: Any) -> None:
        super().__init__(*args, **kw)
        allowed = TRANSITIONS[initiative.status]
        options = [(v, label) for v, label in Status.choices if v in allowed]
        # No preselected change: choosing "completed" by accident must not be one click away.
        self.fields["status"].choices = [("", _("Elija el nuevo estado")), *options] if options else []  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    week_start = forms.TypedChoiceField(label=_("Semana"), coerce=date.fromisoformat)
    narrative = forms.CharField(
        label=_("Relato del avance"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=_("Qué se hizo esta semana, qué falta y qué se necesita."),
    )  # fmt: skip
    attachments = MultipleFileField(label=_("Adjuntos"), required=False)

    def __init__(self, *args: Any, milestones: list[Milestone], weeks: list[date], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["week_start"].choices = [  # type: ignore[attr-defined]
            (w.isoformat(), _("Semana del %(date)s") % {"date": formats.date_format(w, "DATE_FORMAT")}) for w in weeks
        ]
        self.milestone_rows: list[tuple[Milestone, forms.BoundField, forms.BoundField]] = []
        for m in milestones:
            self.fields[f"progress_{m.pk}"] = forms.IntegerField(
                label=_("Avance de «%(name)s» (%%)") % {"name": m.name}, min_value=0, max_value=100, required=False,
                initial=m.progress, disabled=m.completed_on is not None,
            )  # fmt: skip
            self.fields[f"comment_{m.pk}"] = forms.CharField(
                label=_("Comentario sobre «%(name)s»") % {"name": m.name}, required=False, max_length=500
            )
        for m in milestones:
            self.milestone_rows.append((m, self[f"progress_{m.pk}"], self[f"comment_{m.pk}"]))

    def progress(self, milestones: list[Milestone]) -> dict[int, tuple[Any, str]]:
        return {
            m.pk: (self.cleaned_data.get(f"progress_{m.pk}"), self.cleaned_data.get(f"comment_{m.pk}", ""))
            for m in milestones
            if m.completed_on is None
        }


class AroForm(forms.Form):
    kind = forms.ChoiceField(label=_("Clase"), choices=AroKind.choices, widget=forms.RadioSelect)
    aro_type = forms.ModelChoiceField(label=_("Tipo de problema"), queryset=AroType.objects.none())
    milestone = forms.ModelChoiceField(
        label=_("Meta intermedia afectada"), queryset=Milestone.objects.none(), required=False,
        empty_label=_("La iniciativa en general"),
    )  # fmt: skip
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_action = forms.CharField(
        label=_("Acción propuesta"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    required_decision = forms.CharField(
        label=_("Decisión requerida"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    share_with_community = forms.BooleanField(
        label=_("Compartir esta restricción con la comunidad (para detectar problemas comunes)"),
        help_text=_("Solo si la iniciativa se comparte. Desmárquela para mantener la restricción privada."),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, initiative: Initiative, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["aro_type"].queryset = AroType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["milestone"].queryset = initiative.milestones.all()  # type: ignore[attr-defined]


class AroActionForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, label: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["text"].label = label


class CycleForm(forms.Form):
    cycle_day = forms.TypedChoiceField(
        label=_("Día 1 del ciclo semanal (las gerencias reportan)"), coerce=int,
        choices=[(0, _("Lunes")), (1, _("Martes")), (2, _("Miércoles")), (3, _("Jueves")), (4, _("Viernes")),
                 (5, _("Sábado")), (6, _("Domingo"))],
    )  # fmt: skip


class AroTypeForm(forms.Form):
    name = forms.CharField(label=_("Nuevo tipo de problema"), max_length=80)
