"""Forms of the communication pages. They parse; the services validate and save. Field
names match the services' keys, so a service's error lands on its field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BoundField
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tenants.agenda.models import Activity, ActivityStatus
from tenants.communications.adapters import adapter_for
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Origin,
    Piece,
    PieceKind,
)
from tenants.communications.services.channels import FIXED_ENDPOINT_KINDS, custom_endpoints_allowed
from tenants.db import local_today
from tenants.forms_util import DateInput, FilterForm, VersionedForm
from tenants.initiatives.models import Aro, AroKind, Initiative, Milestone, Status
from tenants.models import Municipality
from tenants.selectors import user_names, workspace_members
from tenants.structure.forms import Picker, PickerChoiceField, PickerFilterField, choosable, set_queryset
from tenants.structure.models import Actor, Place, Theme

# Initiatives that no longer speak for anything new.
FINISHED = (Status.CANCELLED,)
# Activities offered as an origin: the recent past and the coming year (an older one stays
# selectable on the action that already has it).
ACTIVITY_BACK_DAYS, ACTIVITY_AHEAD_DAYS = 60, 366


def _keep(queryset: QuerySet[Any], current: Any) -> QuerySet[Any]:
    """The sensible choices, plus the one already chosen (it stays selectable)."""
    if current is None:
        return queryset
    return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current.pk))


def editor_choices(municipality: Municipality, current: int | None = None) -> list[tuple[str, str]]:
    """Active members of the municipality (and the one already responsible, even if their
    account was since closed, so that saving does not silently change it)."""
    choices: list[tuple[str, str]] = [("", str(_("Sin asignar")))]
    seen: set[int] = set()
    for user, _roles in workspace_members(municipality):
        if user.is_active:
            choices.append((str(user.pk), user.full_name or user.email))
            seen.add(user.pk)
    if current is not None and current not in seen:
        name = user_names({current}).get(current, str(current))
        choices.append((str(current), name))
    return choices


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:  # type: ignore[override]
        return f"{formats.date_format(obj.starts_at, 'SHORT_DATE_FORMAT')} · {obj.title}"


class MilestoneChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:  # type: ignore[override]
        return f"{obj.initiative.name}: {obj.name}"


class AroChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Aro) -> str:  # type: ignore[override]
        text = obj.description if len(obj.description) <= 90 else obj.description[:89] + "…"
        return f"{obj.initiative.name}: {text}"


# ---------------------------------------------------------------------------------------
# The list and the calendar


STATUS_FILTER = [("", _("Todas")), ("abiertas", _("Abiertas (sin cerrar ni descartar)")), *ActionStatus.choices]


class ActionFilterForm(FilterForm):
    """The list's filters."""

    q = forms.CharField(label=_("Texto"), required=False, max_length=200)
    estado = forms.ChoiceField(label=_("Estado"), choices=STATUS_FILTER, required=False)
    origen = forms.ChoiceField(label=_("Origen"), choices=[("", _("Todos")), *Origin.choices], required=False)
    tema = PickerFilterField("themes", label=_("Tema"))
    lugar = PickerFilterField("places", label=_("Lugar"))
    desde = forms.DateField(label=_("Desde"), required=False, widget=DateInput())
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=DateInput())
    publicada_desde = forms.DateField(label=_("Publicada desde"), required=False, widget=DateInput())
    publicada_hasta = forms.DateField(label=_("Publicada hasta"), required=False, widget=DateInput())
    # A person's actions (a user id), from a link such as the dashboard's; kept when the
    # other filters change.
    editor = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput())
    # Actions with a piece whose current version is not approved (the approvers' to-do).
    por_aprobar = forms.BooleanField(label=_("Solo con piezas por aprobar"), required=False)


class CalendarFilterForm(ActionFilterForm):
    """The calendar shows a month: no dates or text to filter by."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for name in ("q", "desde", "hasta", "publicada_desde", "publicada_hasta"):
            del self.fields[name]


# ---------------------------------------------------------------------------------------
# An action


class ActionForm(VersionedForm):
    title = forms.CharField(label=_("Título"), max_length=200)
    origin = forms.ChoiceField(
        label=_("Origen"), choices=Origin.choices, initial=Origin.INSTITUTIONAL,
        help_text=_("Según el origen, elija abajo la actividad, la meta intermedia o la oportunidad."),
    )  # fmt: skip
    activity = ActivityChoice(
        label=_("Actividad de la agenda"), queryset=Activity.objects.none(), required=False,
        empty_label=_("Ninguna"), help_text=_("Actividades públicas de los últimos dos meses y del próximo año."),
    )  # fmt: skip
    milestone = MilestoneChoice(
        label=_("Meta intermedia"), queryset=Milestone.objects.none(), required=False, empty_label=_("Ninguna"),
        help_text=_("La iniciativa se completa sola."),
    )  # fmt: skip
    aro = AroChoice(
        label=_("Oportunidad (ARO)"), queryset=Aro.objects.none(), required=False, empty_label=_("Ninguna"),
        help_text=_("Oportunidades abiertas de las iniciativas."),
    )  # fmt: skip
    initiative = forms.ModelChoiceField(
        label=_("Iniciativa"), queryset=Initiative.objects.none(), required=False, empty_label=_("Ninguna")
    )
    message = forms.CharField(label=_("Mensaje y propósito"), widget=forms.Textarea(attrs={"rows": 4}))
    audience = forms.CharField(label=_("Público destinatario"), max_length=300)
    themes = PickerChoiceField(label=_("Temas"), queryset=Theme.objects.none(), required=False, widget=Picker("themes"))
    places = PickerChoiceField(
        label=_("Lugares"), queryset=Place.objects.none(), required=False, widget=Picker("places")
    )
    actors = PickerChoiceField(
        label=_("Actores"), queryset=Actor.objects.none(), required=False, widget=Picker("actors")
    )
    editor_id = forms.TypedChoiceField(label=_("Editor responsable"), coerce=int, empty_value=None, required=False)
    planned_date = forms.DateField(label=_("Fecha prevista"), widget=DateInput())

    def __init__(
        self, *args: Any, municipality: Municipality, instance: CommunicationAction | None = None, **kw: Any
    ) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                **{
                    f: getattr(instance, f)
                    for f in ("version", "title", "origin", "activity", "milestone", "aro", "initiative", "message",
                              "audience", "editor_id", "planned_date")
                },
                "themes": list(instance.themes.all()),
                "places": list(instance.places.all()),
                "actors": list(instance.actors.all()),
            }  # fmt: skip
        super().__init__(*args, **kw)
        today = local_today()
        activities = Activity.objects.filter(
            is_public=True,
            starts_at__date__gte=today - timedelta(days=ACTIVITY_BACK_DAYS),
            starts_at__date__lte=today + timedelta(days=ACTIVITY_AHEAD_DAYS),
        ).exclude(status=ActivityStatus.CANCELLED)
        current = instance.activity if instance else None
        set_queryset(self.fields["activity"], _keep(activities, current).order_by("starts_at", "pk"))
        milestones = Milestone.objects.exclude(initiative__status__in=FINISHED)
        set_queryset(
            self.fields["milestone"],
            _keep(milestones, instance.milestone if instance else None)
            .select_related("initiative")
            .order_by("initiative__name", "position", "pk"),
        )
        aros = Aro.objects.filter(kind=AroKind.OPPORTUNITY, is_open=True)
        set_queryset(
            self.fields["aro"],
            _keep(aros, instance.aro if instance else None)
            .select_related("initiative")
            .order_by("initiative__name", "-raised_on", "pk"),
        )
        initiatives = Initiative.objects.exclude(status__in=FINISHED)
        set_queryset(
            self.fields["initiative"], _keep(initiatives, instance.initiative if instance else None).order_by("name")
        )
        for name, model in (("themes", Theme), ("places", Place), ("actors", Actor)):
            linked = list(getattr(instance, name).all()) if instance else []
            set_queryset(self.fields[name], choosable(model, linked))
        self.fields["editor_id"].choices = editor_choices(  # type: ignore[attr-defined]
            municipality, instance.editor_id if instance else None
        )

    def service_data(self) -> tuple[dict[str, Any], int | None]:
        data = dict(self.cleaned_data)
        version = data.pop("version", None)
        for name in ("themes", "places", "actors"):
            data[name] = list(data[name])
        return data, version


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Nuevo estado"), choices=ActionStatus.choices)
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    results = forms.CharField(label=_("Resultados"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SuggestionForm(forms.Form):
    source = forms.CharField(max_length=20)
    source_id = forms.IntegerField(min_value=1)


# ---------------------------------------------------------------------------------------
# Pieces


class PieceForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Tipo de pieza"), choices=[("", _("Elija el tipo")), *PieceKind.choices])
    title = forms.CharField(label=_("Título"), max_length=200)
    summary = forms.CharField(
        label=_("Bajada o resumen"), max_length=400, required=False,
        help_text=_("Una o dos frases; es el texto corto que usan las redes si no escribe uno para cada canal."),
    )  # fmt: skip
    body = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 10}))
    video_url = forms.CharField(
        label=_("Enlace de video"), max_length=500, required=False,
        widget=forms.URLInput(), help_text=_("Opcional. Una dirección que empiece por https://."),
    )  # fmt: skip

    def __init__(self, *args: Any, instance: Piece | None = None, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                f: getattr(instance, f) for f in ("version", "kind", "title", "summary", "body", "video_url")
            }
        super().__init__(*args, **kw)

    def service_data(self) -> tuple[dict[str, Any], int | None]:
        data = dict(self.cleaned_data)
        return data, data.pop("version", None)


class PieceFileForm(forms.Form):
    file = forms.FileField(label=_("Archivo"), help_text=_("Imagen (JPG, PNG, WebP) o documento, hasta 10 MB."))
    alt_text = forms.CharField(
        label=_("Texto alternativo"), max_length=300, required=False,
        help_text=_("Obligatorio para imágenes: describa lo que muestra para quien no la ve."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "file-%s")
        super().__init__(*args, **kw)


class CountedBoundField(BoundField):
    """A text whose character count the page shows next to it (piece_form.html, the
    paragraph `<auto_id>_count`): the field is described by the count too, before its help
    and errors, so a screen reader reads it on reaching the field."""

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if described is None or not self.auto_id:  # set on the widget: left alone
            return described
        return " ".join(part for part in (f"{self.auto_id}_count", described) if part)


class CountedTextField(forms.CharField):
    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return CountedBoundField(form, self, field_name)


class VariantForm(forms.Form):
    text = CountedTextField(label=_("Texto para el canal"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, channel: Channel, limit: int | None, **kw: Any) -> None:
        kw.setdefault("prefix", f"canal-{channel.pk}")
        super().__init__(*args, **kw)
        self.channel = channel
        self.limit = limit
        field = self.fields["text"]
        field.label = _("Texto para «%(channel)s»") % {"channel": channel.name}
        if limit is not None:
            field.help_text = _("Admite hasta %(limit)s caracteres. Vacío: se usa el texto de la pieza.") % {
                "limit": limit
            }
        else:
            field.help_text = _("Vacío: se usa el texto de la pieza.")


class ReachForm(forms.Form):
    reach = forms.IntegerField(label=_("Alcance (personas)"), min_value=0, max_value=1_000_000_000, required=False)
    reach_note = forms.CharField(label=_("Nota sobre el alcance"), max_length=300, required=False)


# ---------------------------------------------------------------------------------------
# Channels


class ChannelForm(VersionedForm):
    name = forms.CharField(label=_("Nombre"), max_length=120)
    is_active = forms.BooleanField(label=_("Activo: se puede publicar en él"), required=False, initial=True)
    endpoint_url = forms.CharField(
        label=_("Dirección del servicio"), max_length=500, required=False, widget=forms.URLInput(),
        help_text=_("Vacío: la dirección habitual de la red."),
    )  # fmt: skip
    account = forms.CharField(
        label=_("Cuenta o página"), max_length=200, required=False,
        help_text=_("El identificador de la página de Facebook o el usuario de X."),
    )  # fmt: skip
    max_length = forms.IntegerField(
        label=_("Largo máximo del texto"), required=False, min_value=1, max_value=1_000_000,
        help_text=_("Cuántos caracteres admite el servicio que recibe; vacío si no hay límite."),
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str, instance: Channel | None = None, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {
                f: getattr(instance, f)
                for f in ("version", "name", "is_active", "endpoint_url", "account", "max_length")
            }
        super().__init__(*args, **kw)
        self.kind = kind
        adapter = adapter_for(kind)
        if kind == ChannelKind.WEB:
            for name in ("endpoint_url", "account", "max_length"):
                del self.fields[name]
        else:
            if kind != ChannelKind.WEBHOOK:
                del self.fields["max_length"]
            if not adapter.needs_account:
                del self.fields["account"]
            if kind in FIXED_ENDPOINT_KINDS and not custom_endpoints_allowed():
                # The network's own API: nothing to choose (channel_save fixes it).
                del self.fields["endpoint_url"]
            elif adapter.needs_endpoint:
                self.fields["endpoint_url"].required = True
                self.fields["endpoint_url"].help_text = _("La dirección a la que se envían las publicaciones.")
        has_stored = bool(instance is not None and instance.credentials_encrypted)
        if has_stored:
            # channel_save drops the stored credentials when the channel sends elsewhere.
            moved = _("Si la cambia, las credenciales guardadas se borran: escríbalas de nuevo en este formulario.")
            for name in ("endpoint_url", "account"):
                if name in self.fields:
                    field = self.fields[name]
                    field.help_text = f"{field.help_text} {moved}".strip()
        # Credentials are never filled back: a field left empty keeps what is stored.
        for cf in adapter.credential_fields:
            self.fields[self.credential_key(cf.name)] = forms.CharField(
                label=cf.label,
                required=False,
                max_length=4000,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=_("Déjelo vacío para conservar el valor guardado (salvo si cambia la dirección o la cuenta).")
                if has_stored
                else "",
            )

    @staticmethod
    def credential_key(name: str) -> str:
        return f"cred_{name}"

    def service_data(self) -> tuple[dict[str, Any], dict[str, str], int | None]:
        data = dict(self.cleaned_data)
        version = data.pop("version", None)
        credentials = {
            cf.name: data.pop(self.credential_key(cf.name), "") or "" for cf in adapter_for(self.kind).credential_fields
        }
        data["kind"] = self.kind
        return data, credentials, version


class SettingsForm(forms.Form):
    require_approval = forms.BooleanField(
        label=_("Las piezas necesitan aprobación antes de publicarse"), required=False,
        help_text=_("Aprueban el titular y la contraparte del sistema."),
    )  # fmt: skip
