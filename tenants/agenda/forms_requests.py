"""Forms of the request pages (solicitudes) and of the public request form. They parse; the
request services validate and save. Field names match the services' keys, so a service's
error lands on its field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.agenda.models import Request, RequestChannel, RequestKind, RequestStatus
from tenants.forms_util import DateInput, LocalDateTimeField, MultipleFileField, VersionedForm
from tenants.structure.forms import Picker, PickerChoiceField, PickerSingleField, choosable
from tenants.structure.models import Actor, NetworkMember, Place, Theme

# The public form's honeypot (a plausible name, so that scripts fill it; people never see
# it) and its signed timestamp, rendered by the template so each showing carries a new one.
HONEYPOT_FIELD = "pagina_web"
TOKEN_FIELD = "token"  # noqa: S105 (a form field name, not a secret)
FORM_SALT = "agenda-request-form"
# The session key of the reference shown after a public request was received.
SENT_SESSION_KEY = "agenda_request_sent"


def _datetime(**kwargs: Any) -> forms.DateTimeField:
    return LocalDateTimeField(required=False, **kwargs)


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


class RequestForm(VersionedForm):
    """Register (or correct) a request received by letter, email, phone or in person."""

    kind = forms.ChoiceField(label=_("Tipo de solicitud"), choices=RequestKind.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label=_("Canal por el que llegó"), required=False,
        choices=[("", _("Elija el canal")), *RequestChannel.choices],
    )  # fmt: skip
    received_at = _datetime(label=_("Recibida el"), help_text=_("Fecha y hora en que llegó. Vacío: ahora."))
    requester = PickerSingleField(
        label=_("Solicitante (actor registrado)"), queryset=Actor.objects.none(), required=False,
        widget=Picker("actors", multiple=False),
        help_text=_("Si quien solicita no es un actor registrado, escriba sus datos de contacto."),
    )  # fmt: skip
    contact_name = forms.CharField(label=_("Nombre de quien solicita"), required=False, max_length=150)
    contact_organisation = forms.CharField(label=_("Organización"), required=False, max_length=200)
    contact_email = forms.CharField(
        max_length=254,
        label=_("Correo electrónico"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = forms.CharField(label=_("Teléfono"), required=False, max_length=40)
    subject = forms.CharField(label=_("Asunto"), required=False, max_length=250)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposed_start = _datetime(label=_("Fecha y hora propuestas"))
    proposed_end = _datetime(label=_("Fin propuesto"))
    proposed_notes = forms.CharField(
        label=_("Otras fechas propuestas"), required=False, max_length=250,
        help_text=_("Por ejemplo: «cualquier martes por la mañana»."),
    )  # fmt: skip
    themes = PickerChoiceField(label=_("Temas"), queryset=Theme.objects.none(), required=False, widget=Picker("themes"))
    places = PickerChoiceField(
        label=_("Lugares"), queryset=Place.objects.none(), required=False, widget=Picker("places")
    )
    attachments = MultipleFileField(
        label=_("Adjuntos"), required=False,
        help_text=_("La carta, la invitación u otros documentos (hasta 5 archivos de 10 MB)."),
    )  # fmt: skip

    def __init__(self, *args: Any, instance: Request | None = None, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{
                    name: getattr(instance, name)
                    for name in ("kind", "channel", "contact_name", "contact_organisation", "contact_email",
                                 "contact_phone", "subject", "description", "proposed_notes", "version")
                },
                "received_at": _local(instance.received_at),
                "proposed_start": _local(instance.proposed_start),
                "proposed_end": _local(instance.proposed_end),
                "requester": instance.requester,
                "themes": list(instance.themes.all()),
                "places": list(instance.places.all()),
            }  # fmt: skip
        super().__init__(*args, **kw)
        self.instance = instance
        self.fields["kind"].required = False
        for name, model in (("requester", Actor), ("themes", Theme), ("places", Place)):
            if instance is None:
                current: Any = None
            elif name == "requester":
                current = instance.requester
            else:
                current = list(getattr(instance, name).all())
            self.fields[name].queryset = choosable(model, current)  # type: ignore[attr-defined]
        if instance is not None and instance.channel == RequestChannel.WEB_FORM:
            # Sent by a citizen through the public page: that is how it arrived.
            self.fields["channel"].disabled = True

    def service_data(self) -> tuple[dict[str, Any], list[Any], int | None]:
        """What the service takes: the data, the new files, and the version read."""
        data = dict(self.cleaned_data)
        version = data.pop("version", None)
        files = data.pop("attachments", None) or []
        if self.fields["channel"].disabled:
            data.pop("channel", None)
        received = data.get("received_at")
        shown = _local(self.instance.received_at) if self.instance is not None else None
        if received is None or (shown is not None and received == shown.replace(second=0, microsecond=0)):
            # Empty, or the value the page showed (to the minute): the service keeps it.
            data.pop("received_at", None)
        return data, files, version


class TransitionForm(VersionedForm):
    """Analyse or close: only a note for the history."""

    note = forms.CharField(label=_("Nota (opcional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AcceptForm(VersionedForm):
    """Accept: the activity the request becomes, prefilled from what was proposed."""

    starts_at = _datetime(label=_("Inicio de la actividad"))
    ends_at = _datetime(label=_("Fin de la actividad"))
    place = PickerSingleField(
        label=_("Lugar"), queryset=Place.objects.none(), required=False, widget=Picker("places", multiple=False)
    )
    is_public = forms.BooleanField(label=_("Actividad pública (aparece en la agenda pública)"), required=False)
    reply = forms.CharField(
        label=_("Respuesta a quien solicitó (opcional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, request: Request, **kw: Any) -> None:
        if "initial" not in kw:
            start = request.proposed_start
            end = request.proposed_end or (start + timedelta(hours=1) if start else None)
            place = request.places.filter(is_active=True).order_by("pk").first()
            kw["initial"] = {
                "version": request.version, "starts_at": _local(start), "ends_at": _local(end), "place": place,
            }  # fmt: skip
        super().__init__(*args, **kw)
        self.fields["place"].queryset = choosable(Place)  # type: ignore[attr-defined]

    def activity_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("starts_at", "ends_at", "place", "is_public")}


class DeclineForm(VersionedForm):
    reply = forms.CharField(
        label=_("Respuesta a quien solicitó"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Obligatoria: explique por qué se declina."),
    )  # fmt: skip


class DelegateForm(VersionedForm):
    delegated_to = forms.ModelChoiceField(
        label=_("Delegar a"), queryset=NetworkMember.objects.none(), required=False,
        empty_label=_("Elija a una persona de la red"),
    )  # fmt: skip
    delegated_due = forms.DateField(label=_("Plazo"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("Instrucciones (opcional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["delegated_to"].queryset = NetworkMember.objects.filter(is_active=True)  # type: ignore[attr-defined]


# One form per target state; the detail page shows those TRANSITIONS allows.
TRANSITION_FORMS: dict[str, type[VersionedForm]] = {
    RequestStatus.IN_ANALYSIS: TransitionForm,
    RequestStatus.ACCEPTED: AcceptForm,
    RequestStatus.DECLINED: DeclineForm,
    RequestStatus.DELEGATED: DelegateForm,
    RequestStatus.CLOSED: TransitionForm,
}


class SettingsForm(forms.Form):
    unanswered_days = forms.IntegerField(
        label=_("Días para responder una solicitud"), required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 90}),
        help_text=_("Las solicitudes sin respuesta después de estos días se resaltan. De 1 a 90."),
    )  # fmt: skip


class PublicRequestForm(forms.Form):
    """What a citizen or an institution may send from the public page. Nothing is required
    here: the service checks and words the errors."""

    kind = forms.ChoiceField(
        label=_("¿Qué desea?"), required=False, widget=forms.RadioSelect,
        choices=[(RequestKind.AUDIENCE, _("Pedir una audiencia con el titular")),
                 (RequestKind.INVITATION, _("Invitar al titular a un evento o actividad"))],
    )  # fmt: skip
    contact_name = forms.CharField(
        label=_("Su nombre"), required=False, widget=forms.TextInput(attrs={"maxlength": 150, "autocomplete": "name"})
    )
    contact_organisation = forms.CharField(
        label=_("Organización o institución (opcional)"), required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "organization"}),
    )  # fmt: skip
    contact_email = forms.CharField(
        max_length=254,
        label=_("Correo electrónico"), required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Indique un correo electrónico, un teléfono o ambos, para poder responderle."),
    )  # fmt: skip
    contact_phone = forms.CharField(
        label=_("Teléfono"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 40, "autocomplete": "tel", "type": "tel"}),
    )
    subject = forms.CharField(label=_("Asunto"), required=False, widget=forms.TextInput(attrs={"maxlength": 250}))
    description = forms.CharField(
        label=_("Detalle de su solicitud"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        help_text=_("Qué propone, quiénes participarían y dónde."),
    )  # fmt: skip
    proposed_start = _datetime(
        label=_("Fecha y hora que propone (opcional)"), help_text=_("En la hora local del municipio.")
    )
