"""Forms of the specialists' workflow pages. They parse; the services validate and save.
Field names are the services' keys (item, specialists, lead, deadline, goals, targets,
justification, evidence, evidence_url, reason, assignment, specialist, due_date, parent,
code, title_es...), so a service's ValidationError lands next to its field.

Fields the services check (a required justification, a target outside the chosen goals)
are optional here on purpose: the service then reports every problem in one pass."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.translation import gettext_lazy as _

from community.models import IndexItem
from ods_alignment.models import Assignment, CaseStatus, Contribution, Goal, Target
from ods_alignment.selectors_cases import ALL, IN_PROGRESS
from tenants.accounts.models import User
from tenants.forms_util import DateInput, FilterForm

# How many initiatives the "open a case" select lists (the queue page lists and searches all).
MAX_ITEM_CHOICES = 500


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


# --- Error summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary at the top of the page: the field's label and the same
    message as next to the field, linking to the input it is about ("" for an error of the
    whole form, which has no input)."""

    label: str
    message: str
    anchor: str


def _code_pattern(code: str) -> re.Pattern[str]:
    # "7.2" in "La meta 7.2 pertenece…" but not in "17.2" or "7.2.1".
    return re.compile(rf"(?<![\w.]){re.escape(code)}(?![\w]|\.\w)")


def _anchor(form: forms.Form, name: str, message: str) -> str:
    """The id of the input an error is about: the input itself, or the first box of a group
    of checkboxes or radios; for targets, the ticked target the message names."""
    field = form[name]
    widgets = list(field.subwidgets)
    if name == "targets":
        for widget in widgets:
            if widget.data["selected"] and _code_pattern(str(widget.data["value"])).search(message):
                return str(widget.id_for_label)
        return f"{field.auto_id}_error"  # the messages above the goals
    if isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect) and widgets:
        return str(widgets[0].id_for_label)
    return str(field.id_for_label or field.auto_id)


def error_links(form: forms.Form, order: Iterable[str] | None = None) -> list[ErrorLink]:
    """Every error of a bound form, the form's own first, then each field's in the order the
    page shows them (`order`, else the form's), each message on its own line."""
    links = [ErrorLink("", str(message), "") for message in form.non_field_errors()]
    for name in order if order is not None else form.fields:
        for message in map(str, form.errors.get(name, [])):
            links.append(ErrorLink(str(form.fields[name].label or ""), message, _anchor(form, name, message)))
    return links


# --- Lists -------------------------------------------------------------------------------------


STATUS_FILTER_CHOICES = [
    (IN_PROGRESS, _("En curso (sin publicar)")),
    *CaseStatus.choices,
    (ALL, _("Todos")),
]


class CaseFilterForm(FilterForm):
    estado = forms.ChoiceField(label=_("Estado"), choices=STATUS_FILTER_CHOICES, required=False)
    q = forms.CharField(label=_("Iniciativa o municipio"), required=False, max_length=200)


class InitiativeFilterForm(FilterForm):
    iniciativa = forms.CharField(label=_("Buscar iniciativa o municipio"), required=False, max_length=200)

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "i-%s")
        super().__init__(*args, **kw)


# --- Opening a case ------------------------------------------------------------------------------


class CaseOpenForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Iniciativa"),
        queryset=IndexItem.objects.none(),
        empty_label=_("Elija una iniciativa compartida"),
        help_text=_("Iniciativas compartidas en la comunidad que todavía no tienen un caso de alineación."),
    )
    specialists = PeopleChoiceField(
        label=_("Especialistas que proponen (al menos dos)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Cada persona alinea la iniciativa por su cuenta, sin ver las propuestas de las demás. "
            "No puede ser miembro del municipio de la iniciativa (conflicto de interés)."
        ),
    )
    lead = PersonChoiceField(
        label=_("Persona líder"),
        queryset=User.objects.none(),
        empty_label=_("Elija a la persona líder"),
        help_text=_("Decide la alineación final si las propuestas no coinciden. No propone."),
    )
    deadline = forms.DateField(label=_("Fecha límite"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        items: Any,
        item_choices: Iterable[IndexItem],
        specialists: Any,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        item_field: forms.ModelChoiceField = self.fields["item"]  # type: ignore[assignment]
        item_field.queryset = items  # validates any live initiative; the service explains the rest
        # The select offers only initiatives without a case (bounded); set after the queryset,
        # which would otherwise list every live initiative.
        item_field.widget.choices = [("", item_field.empty_label or "")] + [  # type: ignore[attr-defined]
            (i.pk, f"{i.municipality.name}: {i.title or _('(sin título)')}") for i in item_choices
        ]
        self.fields["specialists"].queryset = specialists  # type: ignore[attr-defined]
        self.fields["lead"].queryset = specialists  # type: ignore[attr-defined]


# --- Goals and targets (proposal and adjudication) ---------------------------------------------


@dataclass
class GoalRow:
    """One goal of the form as the template draws it: its checkbox, its contribution
    radios, its targets' checkboxes, and who chose it (adjudication)."""

    goal: Goal
    checkbox: BoundWidget
    contribution: BoundField
    targets: list[tuple[Target, BoundWidget, list[str]]]
    chosen_by: list[str]
    open: bool
    checked_targets: int


class AlignmentChoiceForm(forms.Form):
    """Goals as checkboxes, each with a direct/indirect contribution, and targets grouped by
    goal. A target takes its goal's contribution (one choice per goal keeps the page usable
    without script; the services accept it per target too)."""

    goals = forms.TypedMultipleChoiceField(
        label=_("Objetivos (ODS)"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    targets = forms.MultipleChoiceField(label=_("Metas"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(
        self,
        *args: Any,
        catalogue: list[tuple[Goal, list[Target]]],
        chosen_by: dict[str, list[str]] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.catalogue = catalogue
        self.chosen_by = chosen_by or {}
        self.goal_of: dict[str, int] = {}
        self.fields["goals"].choices = [(g.number, str(g)) for g, _targets in catalogue]  # type: ignore[attr-defined]
        target_choices = []
        for goal, targets in catalogue:
            for target in targets:
                self.goal_of[target.code] = goal.number
                target_choices.append((target.code, f"{target.code} {target.title}"))
            self.fields[f"contribution_{goal.number}"] = forms.ChoiceField(
                label=_("Contribución al ODS %(n)s") % {"n": goal.number},
                choices=Contribution.choices,
                initial=Contribution.DIRECT,
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["targets"].choices = target_choices  # type: ignore[attr-defined]

    text_names: tuple[str, ...] = ()

    def error_links(self) -> list[ErrorLink]:
        """The errors in the page's order: goals, each goal's contribution, targets, texts."""
        contributions = [name for name in self.fields if name.startswith("contribution_")]
        return error_links(self, ["goals", *contributions, "targets", *self.text_names])

    def text_fields(self) -> list[BoundField]:
        """The form's text inputs (justification, reason...), drawn after the goals."""
        return [self[name] for name in self.text_names]

    def selection(self) -> tuple[dict[int, str], dict[str, str]]:
        """({goal: contribution}, {target: its goal's contribution}) from cleaned data."""
        data = self.cleaned_data
        goals = {n: data.get(f"contribution_{n}") or Contribution.DIRECT for n in data.get("goals") or []}
        targets = {
            code: goals.get(self.goal_of.get(code, 0), Contribution.DIRECT) for code in data.get("targets") or []
        }
        return goals, targets

    def rows(self) -> list[GoalRow]:
        goal_widgets = {str(w.data["value"]): w for w in self["goals"].subwidgets}
        target_widgets = {str(w.data["value"]): w for w in self["targets"].subwidgets}
        has_errors = bool(self.errors.get("targets"))
        rows = []
        for goal, targets in self.catalogue:
            checkbox = goal_widgets[str(goal.number)]
            target_rows = [(t, target_widgets[t.code], self.chosen_by.get(t.code, [])) for t in targets]
            checked = sum(1 for _t, w, _by in target_rows if w.data["selected"])
            rows.append(
                GoalRow(
                    goal=goal,
                    checkbox=checkbox,
                    contribution=self[f"contribution_{goal.number}"],
                    targets=target_rows,
                    chosen_by=self.chosen_by.get(str(goal.number), []),
                    open=bool(checked) or (has_errors and bool(checkbox.data["selected"])),
                    checked_targets=checked,
                )
            )
        return rows


class ProposalForm(AlignmentChoiceForm):
    text_names = ("justification", "evidence", "evidence_url")
    justification = forms.CharField(
        label=_("Justificación (obligatoria)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Por qué la iniciativa contribuye a estos objetivos y metas."),
    )
    evidence = forms.CharField(
        label=_("Evidencia"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Opcional: datos, documentos o hechos que la respaldan."),
    )
    evidence_url = forms.CharField(
        label=_("Enlace a la evidencia"),
        required=False,
        max_length=500,
        widget=forms.URLInput,
        help_text=_("Opcional: una dirección web completa (https://...)."),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "p-%s")
        super().__init__(*args, **kw)


class AdjudicationForm(AlignmentChoiceForm):
    text_names = ("reason",)
    reason = forms.CharField(
        label=_("Motivo de la decisión (obligatorio)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Queda en el historial del caso junto con la alineación final."),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "a-%s")
        super().__init__(*args, **kw)


# --- Reassignment and local targets --------------------------------------------------------------


class AssignmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.specialist.full_name or obj.specialist.email)


class ReassignForm(forms.Form):
    assignment = AssignmentChoiceField(
        label=_("Propuesta pendiente de"), queryset=Assignment.objects.none(), empty_label=None
    )
    specialist = PersonChoiceField(
        label=_("Nueva persona especialista"),
        queryset=User.objects.none(),
        empty_label=_("Elija a una persona especialista"),
    )
    due_date = forms.DateField(
        label=_("Nueva fecha de entrega"),
        widget=DateInput(),
        required=False,
        help_text=_("Vacía: se mantiene la fecha de la asignación actual."),
    )

    def __init__(
        self,
        *args: Any,
        pending: Any,
        specialists: Any,
        offered: Iterable[User] | None = None,
        today: date | None = None,
        **kw: Any,
    ) -> None:
        """`specialists` validates (any specialist: the service says why one cannot take
        it); `offered`, when given, is what the select lists: the eligible ones only."""
        kw.setdefault("auto_id", "r-%s")
        super().__init__(*args, **kw)
        self.fields["assignment"].queryset = pending  # type: ignore[attr-defined]
        specialist: PersonChoiceField = self.fields["specialist"]  # type: ignore[assignment]
        specialist.queryset = specialists
        if offered is not None:
            # Set after the queryset, which would otherwise list every specialist.
            specialist.widget.choices = [("", specialist.empty_label or "")] + [  # type: ignore[attr-defined]
                (u.pk, specialist.label_from_instance(u)) for u in offered
            ]
        if today is not None:
            self.fields["due_date"].widget.attrs["min"] = today.isoformat()

    def text_fields(self) -> list[BoundField]:
        """Its fields as the case page draws them (_text_fields.html)."""
        return [self[name] for name in self.fields]


class ParentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        title = obj.title
        return f"{obj.code}: {title[:110]}{'…' if len(title) > 110 else ''}"


class LocalTargetForm(forms.Form):
    parent = ParentChoiceField(
        label=_("Meta oficial"),
        queryset=Target.objects.none(),
        empty_label=_("Elija la meta oficial"),
        help_text=_("La meta local se añade bajo esta meta y su objetivo."),
    )
    code = forms.CharField(
        label=_("Código de la meta local"),
        max_length=12,
        required=False,
        help_text=_("El código de la meta oficial y un segmento más, por ejemplo 11.2.1."),
    )
    title_es = forms.CharField(label=_("Título en español"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    title_en = forms.CharField(
        label=_("Título en inglés (opcional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    title_fr = forms.CharField(
        label=_("Título en francés (opcional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, parents: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
