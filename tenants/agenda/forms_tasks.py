"""Forms of the task pages. They parse; the services validate and save. Field names match the
services' keys, so a service's error lands on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.agenda.models import Activity, Request, Task, TaskKind, TaskPriority, TaskStatus
from tenants.forms_util import DateInput, VersionedForm
from tenants.initiatives.models import Initiative
from tenants.structure.forms import choosable
from tenants.structure.models import NetworkMember


class TaskForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Clase"), choices=[("", _("Elija la clase")), *TaskKind.choices])
    description = forms.CharField(
        label=_("Descripción"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qué hay que hacer, con el detalle que necesita quien lo hará."),
    )  # fmt: skip
    assignee = forms.ModelChoiceField(
        label=_("Responsable"), queryset=NetworkMember.objects.none(), empty_label=_("Elija a la persona"),
        help_text=_("Una persona de la red de gestión; recibe el recordatorio diario si tiene correo."),
    )  # fmt: skip
    due_date = forms.DateField(label=_("Fecha límite"), widget=DateInput())
    priority = forms.ChoiceField(label=_("Prioridad"), choices=TaskPriority.choices, initial=TaskPriority.MEDIUM)
    initiative = forms.ModelChoiceField(
        label=_("Iniciativa de origen"), queryset=Initiative.objects.none(), required=False, empty_label=_("Ninguna")
    )
    # Set by the page the task comes from (an activity, a request); shown, not chosen.
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False, widget=forms.HiddenInput)
    request = forms.ModelChoiceField(queryset=Request.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, activities: QuerySet[Activity], instance: Task | None = None, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                "version": instance.version, "kind": instance.kind, "description": instance.description,
                "assignee": instance.assignee, "due_date": instance.due_date, "priority": instance.priority,
                "initiative": instance.initiative, "activity": instance.activity, "request": instance.request,
            }  # fmt: skip
        super().__init__(*args, **kw)
        fields: dict[str, Any] = self.fields
        fields["assignee"].queryset = choosable(NetworkMember, instance.assignee if instance else None)
        fields["initiative"].queryset = Initiative.objects.order_by("name")
        fields["activity"].queryset = activities
        fields["request"].queryset = Request.objects.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The origin is a hidden field: say on top of the form if it no longer exists.
        for name, message in (
            ("activity", _("La actividad de origen ya no existe; vuelva a abrir el formulario desde la agenda.")),
            ("request", _("La solicitud de origen ya no existe; vuelva a abrir el formulario desde la solicitud.")),
        ):
            if self.errors.pop(name, None):
                self.add_error(None, message)
        return data


class TaskStatusForm(VersionedForm):
    status = forms.ChoiceField(choices=TaskStatus.choices, widget=forms.HiddenInput)
    evidence = forms.CharField(
        label=_("Evidencia de cumplimiento"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Qué se hizo y dónde puede verificarse (un acta, un oficio, una foto, un enlace)."),
    )  # fmt: skip


class TaskNoteForm(forms.Form):
    text = forms.CharField(label=_("Nota de seguimiento"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
