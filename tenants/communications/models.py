"""Communication actions (acciones comunicacionales): what the municipality tells people
about its agenda and its initiatives, the pieces written for it and where they were
published. Lives in the municipality's schema.

An action comes from an agenda activity, an initiative milestone, an ARO opportunity or the
institution itself. Its pieces are published to channels: the built-in public news page, or
outbound networks through a channel adapter (adapters.py). Each (piece, channel) pair has
one Publication row, so a retried task or a second click can never publish twice.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.agenda.models import Activity
from tenants.initiatives.models import Aro, Initiative, Milestone
from tenants.structure.models import Actor, Place, Theme
from tenants.uploads import tenant_path


class Origin(models.TextChoices):
    ACTIVITY = "activity", _("Actividad de la agenda")
    MILESTONE = "milestone", _("Meta intermedia")
    OPPORTUNITY = "opportunity", _("Oportunidad (ARO)")
    INSTITUTIONAL = "institutional", _("Institucional")


class ActionStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identificada")
    IN_PREPARATION = "in_preparation", _("En preparación")
    READY = "ready", _("Lista")
    PUBLISHED = "published", _("Publicada")
    CLOSED = "closed", _("Cerrada")
    DISCARDED = "discarded", _("Descartada")


# The primary key of the one settings row: the constraint below allows no other.
SETTINGS_PK = 1


class CommunicationSettings(models.Model):
    """One row per municipality, with the key SETTINGS_PK, created by migration 0004 in
    every schema: reading the settings never writes."""

    require_approval = models.BooleanField(
        _("las piezas necesitan aprobación antes de publicarse"),
        default=True,
        help_text=_("Aprueban el titular y la contraparte del sistema."),
    )

    class Meta:
        verbose_name = _("configuración de comunicación")
        constraints = [models.CheckConstraint(condition=Q(pk=SETTINGS_PK), name="comm_settings_singleton")]

    def __str__(self) -> str:
        return str(self.require_approval)


class CommunicationAction(models.Model):
    title = models.CharField(_("título"), max_length=200)
    origin = models.CharField(_("origen"), max_length=20, choices=Origin.choices, default=Origin.INSTITUTIONAL)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="communication_actions",
        verbose_name=_("actividad"),
    )  # fmt: skip
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="communication_actions",
        verbose_name=_("meta intermedia"),
    )  # fmt: skip
    aro = models.ForeignKey(
        Aro, on_delete=models.SET_NULL, null=True, blank=True, related_name="communication_actions",
        verbose_name=_("oportunidad"),
    )  # fmt: skip
    # The initiative the action speaks for (from its milestone or opportunity, or chosen).
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="communication_actions",
        verbose_name=_("iniciativa"),
    )  # fmt: skip
    # What the origin was called when the action was made: it outlives a deleted source.
    origin_label = models.CharField(max_length=250, blank=True)
    message = models.TextField(_("mensaje y propósito"))
    audience = models.CharField(_("público destinatario"), max_length=300)
    themes = models.ManyToManyField(Theme, blank=True, related_name="communication_actions", verbose_name=_("temas"))
    places = models.ManyToManyField(Place, blank=True, related_name="communication_actions", verbose_name=_("lugares"))
    actors = models.ManyToManyField(Actor, blank=True, related_name="communication_actions", verbose_name=_("actores"))
    editor_id = models.BigIntegerField(_("editor responsable"), null=True, blank=True)
    planned_date = models.DateField(_("fecha prevista"))
    status = models.CharField(_("estado"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.IDENTIFIED)
    discard_reason = models.TextField(_("motivo del descarte"), blank=True)
    results = models.TextField(_("resultados"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by_label = models.CharField(max_length=254, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("acción comunicacional")
        verbose_name_plural = _("acciones comunicacionales")
        ordering = ["planned_date", "pk"]
        indexes = [models.Index(fields=["planned_date"], name="comm_action_planned_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DISCARDED) | ~Q(discard_reason=""),
                name="comm_action_discard_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SuggestionSource(models.TextChoices):
    ACTIVITY = "activity", _("Actividad pública")
    MILESTONE = "milestone", _("Meta intermedia")
    OPPORTUNITY = "opportunity", _("Oportunidad (ARO)")


class SuggestionDecision(models.Model):
    """What the editor did with a possible action, so it leaves the inbox for good. One row
    per source: accepting twice cannot make two actions."""

    source = models.CharField(max_length=20, choices=SuggestionSource.choices)
    source_id = models.BigIntegerField()
    accepted = models.BooleanField()
    action = models.ForeignKey(
        CommunicationAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    decided_by_label = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="comm_suggestion_once")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class PieceKind(models.TextChoices):
    PRESS_RELEASE = "press_release", _("Nota de prensa")
    SOCIAL_POST = "social_post", _("Publicación en redes")
    SCRIPT = "script", _("Guion audiovisual")
    WEB_NEWS = "web_news", _("Noticia web")


def piece_file_path(instance: models.Model, filename: str) -> str:
    return tenant_path("communications", filename)


class Piece(models.Model):
    action = models.ForeignKey(CommunicationAction, on_delete=models.CASCADE, related_name="pieces")
    kind = models.CharField(_("tipo de pieza"), max_length=20, choices=PieceKind.choices)
    title = models.CharField(_("título"), max_length=200)
    summary = models.CharField(_("bajada o resumen"), max_length=400, blank=True)
    body = models.TextField(_("texto"))
    video_url = models.URLField(_("enlace de video"), blank=True, max_length=500)
    # Approval is of a version: changing the text afterwards needs a new approval.
    approved_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    approved_by_label = models.CharField(max_length=254, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by_label = models.CharField(max_length=254, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pieza")
        verbose_name_plural = _("piezas")
        ordering = ["action", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_version is not None and self.approved_version == self.version


class PieceFile(models.Model):
    """An image or an attachment of a piece. Images carry a text alternative."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("archivo"), upload_to=piece_file_path)
    name = models.CharField(max_length=255)
    is_image = models.BooleanField(default=False)
    alt_text = models.CharField(_("texto alternativo"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(is_image=False) | ~Q(alt_text=""), name="comm_image_has_alt")]

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    WEB = "web", _("Página de noticias del municipio")
    FACEBOOK = "facebook", _("Página de Facebook")
    X = "x", _("X (Twitter)")
    WEBHOOK = "webhook", _("Webhook")


class Channel(models.Model):
    kind = models.CharField(_("tipo"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("nombre"), max_length=120)
    is_active = models.BooleanField(_("activo"), default=True)
    # Where the adapter sends: the network's API by default, any address for a webhook.
    endpoint_url = models.URLField(_("dirección del servicio"), max_length=500, blank=True)
    # The page id on Facebook, the handle on X; unused by the web channel and webhooks.
    account = models.CharField(_("cuenta o página"), max_length=200, blank=True)
    # A webhook's own length limit; the networks' limits are fixed in their adapters.
    max_length = models.PositiveIntegerField(_("largo máximo del texto"), null=True, blank=True)
    # Fernet token of a JSON object; never shown back (crypto.py).
    credentials_encrypted = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("canal")
        verbose_name_plural = _("canales")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="web"), name="comm_one_web_channel"),
        ]

    def __str__(self) -> str:
        return self.name


class PieceVariant(models.Model):
    """The text of a piece for one channel (a short post for X, a longer one for Facebook)."""

    piece = models.ForeignKey(Piece, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="variants")
    text = models.TextField(_("texto para el canal"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["piece", "channel"], name="comm_variant_once")]

    def __str__(self) -> str:
        return f"{self.piece} / {self.channel}"


class PublicationStatus(models.TextChoices):
    PENDING = "pending", _("En cola")
    RETRYING = "retrying", _("Reintentando")
    PUBLISHED = "published", _("Publicada")
    FAILED = "failed", _("Falló")


class Publication(models.Model):
    """A piece on a channel. One row per pair, and the row's key goes with every request to
    the channel as its idempotency key: retries reuse the row, never make another."""

    piece = models.ForeignKey(Piece, on_delete=models.PROTECT, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.PENDING)
    # What was (or will be) sent, fixed when publication was requested.
    text = models.TextField(blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a retrying row is due again; the sweep leaves it alone until then.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set (and committed) just before the request goes to the channel, cleared with its
    # answer: a row found still marked died mid-send (services/publishing.py).
    sending_since = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    requested_by_label = models.CharField(max_length=254, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    reach = models.PositiveIntegerField(_("alcance"), null=True, blank=True)
    reach_note = models.CharField(_("nota sobre el alcance"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["piece", "channel"], name="comm_publication_once"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="comm_published_has_date"
            ),
        ]
        indexes = [models.Index(fields=["published_at"], name="comm_publication_pub_idx")]

    def __str__(self) -> str:
        return f"{self.piece} → {self.channel}"
