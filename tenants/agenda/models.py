"""The mayor's agenda (Agenda del Titular): activities, incoming requests and the tasks and
commitments that come out of them. Lives in the municipality's schema.

Times are stored aware (UTC) and entered and shown in the municipality's time zone. People
of the management network are linked as NetworkMember rows; accounts by plain id.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tenants.initiatives.models import Initiative, Milestone
from tenants.structure.models import Actor, NetworkMember, Place, Theme
from tenants.uploads import tenant_path


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Reunión")
    EVENT = "event", _("Evento")
    FIELD_VISIT = "field_visit", _("Visita de campo")
    AUDIENCE = "audience", _("Audiencia")
    CEREMONY = "ceremony", _("Acto protocolar")
    MEDIA = "media", _("Medios de comunicación")
    INTERNAL = "internal", _("Actividad interna")


class ActivityStatus(models.TextChoices):
    TENTATIVE = "tentative", _("Tentativa")
    CONFIRMED = "confirmed", _("Confirmada")
    DONE = "done", _("Realizada")
    CANCELLED = "cancelled", _("Cancelada")


class Activity(models.Model):
    title = models.CharField(_("título"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=ActivityKind.choices)
    is_public = models.BooleanField(_("pública"), default=False)
    starts_at = models.DateTimeField(_("inicio"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("lugar")
    )
    address = models.CharField(_("dirección"), max_length=250, blank=True)
    actors = models.ManyToManyField(Actor, blank=True, related_name="activities", verbose_name=_("actores"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="activities", verbose_name=_("temas"))
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
        verbose_name=_("iniciativa relacionada"),
    )  # fmt: skip
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
        verbose_name=_("meta intermedia relacionada"),
    )  # fmt: skip
    participants = models.ManyToManyField(
        NetworkMember, blank=True, related_name="activities", verbose_name=_("participantes de la red")
    )
    preparation_notes = models.TextField(_("notas de preparación"), blank=True)
    outcome_notes = models.TextField(_("resultados"), blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.TENTATIVE
    )
    created_by_label = models.CharField(max_length=254, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start")
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="activity_span_idx")]

    def __str__(self) -> str:
        return self.title


class RequestKind(models.TextChoices):
    INVITATION = "invitation", _("Invitación")
    AUDIENCE = "audience", _("Solicitud de audiencia")
    DIRECT_ATTENTION = "direct_attention", _("Solicitud de atención directa")


class RequestChannel(models.TextChoices):
    LETTER = "letter", _("Carta")
    EMAIL = "email", _("Correo electrónico")
    PHONE = "phone", _("Teléfono")
    IN_PERSON = "in_person", _("En persona")
    WEB_FORM = "web_form", _("Formulario web")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    IN_ANALYSIS = "in_analysis", _("En análisis")
    ACCEPTED = "accepted", _("Aceptada")
    DECLINED = "declined", _("Declinada")
    DELEGATED = "delegated", _("Delegada")
    CLOSED = "closed", _("Cerrada")


class AgendaSettings(models.Model):
    """One row per municipality."""

    unanswered_days = models.PositiveSmallIntegerField(
        _("días para responder una solicitud"),
        default=5,
        help_text=_("Las solicitudes sin respuesta después de estos días se resaltan."),
    )

    class Meta:
        verbose_name = _("configuración de la agenda")

    def __str__(self) -> str:
        return str(self.unanswered_days)


class Request(models.Model):
    """An invitation, audience request or direct-attention request to the mayor."""

    reference = models.CharField(_("referencia"), max_length=20, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=RequestKind.choices)
    channel = models.CharField(_("canal"), max_length=20, choices=RequestChannel.choices)
    requester = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("solicitante")
    )
    # A new contact, when the requester is not (yet) an actor.
    contact_name = models.CharField(_("nombre del solicitante"), max_length=150, blank=True)
    contact_organisation = models.CharField(_("organización"), max_length=200, blank=True)
    contact_email = models.EmailField(_("correo electrónico"), blank=True)
    contact_phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    subject = models.CharField(_("asunto"), max_length=250)
    description = models.TextField(_("descripción"), blank=True)
    proposed_start = models.DateTimeField(_("fecha propuesta"), null=True, blank=True)
    proposed_end = models.DateTimeField(_("fin propuesto"), null=True, blank=True)
    proposed_notes = models.CharField(_("otras fechas propuestas"), max_length=250, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="requests", verbose_name=_("temas"))
    places = models.ManyToManyField(Place, blank=True, related_name="requests", verbose_name=_("lugares"))
    status = models.CharField(_("estado"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    status_since = models.DateTimeField(_("en este estado desde"))
    received_at = models.DateTimeField(_("recibida"))
    answered_at = models.DateTimeField(null=True, blank=True)
    activity = models.OneToOneField(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="request", verbose_name=_("actividad")
    )
    reply = models.TextField(_("respuesta"), blank=True)
    delegated_to = models.ForeignKey(
        NetworkMember, on_delete=models.PROTECT, null=True, blank=True, related_name="delegated_requests",
        verbose_name=_("delegada a"),
    )  # fmt: skip
    delegated_due = models.DateField(_("plazo de la delegación"), null=True, blank=True)
    sender_hash = models.CharField(max_length=64, blank=True)  # web form: rate limit without storing the address
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("solicitud")
        verbose_name_plural = _("solicitudes")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_end__isnull=True)
                | Q(proposed_start__isnull=True)
                | Q(proposed_end__gt=F("proposed_start")),
                name="request_proposed_span",
            ),
            models.CheckConstraint(
                condition=~Q(status="delegated") | Q(delegated_to__isnull=False), name="request_delegated_has_assignee"
            ),
        ]
        indexes = [models.Index(fields=["status", "status_since"], name="request_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def requester_label(self) -> str:
        if self.requester_id:
            return str(self.requester)
        return self.contact_name or self.contact_organisation


class RequestTransition(models.Model):
    """Every change of a request's state: the history and the time spent in each state."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


def request_path(instance: object, filename: str) -> str:
    return tenant_path("requests", filename)


class RequestAttachment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("archivo"), upload_to=request_path)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)


class TaskKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Instrucción del titular")
    ERRAND = "errand", _("Encargo")
    COMMITMENT = "commitment", _("Compromiso del titular")


class TaskPriority(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En curso")
    DONE = "done", _("Cumplida")
    CANCELLED = "cancelled", _("Cancelada")


class Task(models.Model):
    """An instruction the mayor gives, an errand, or a commitment the mayor takes on."""

    kind = models.CharField(_("clase"), max_length=20, choices=TaskKind.choices)
    description = models.TextField(_("descripción"))
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
        verbose_name=_("actividad de origen"),
    )  # fmt: skip
    request = models.ForeignKey(
        Request, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
        verbose_name=_("solicitud de origen"),
    )  # fmt: skip
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_tasks",
        verbose_name=_("iniciativa de origen"),
    )  # fmt: skip
    assignee = models.ForeignKey(
        NetworkMember, on_delete=models.PROTECT, related_name="agenda_tasks", verbose_name=_("responsable")
    )
    due_date = models.DateField(_("fecha límite"))
    priority = models.CharField(
        _("prioridad"), max_length=10, choices=TaskPriority.choices, default=TaskPriority.MEDIUM
    )
    status = models.CharField(_("estado"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    evidence = models.TextField(_("evidencia de cumplimiento"), blank=True)
    completed_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tarea o compromiso")
        verbose_name_plural = _("tareas y compromisos")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="task_status_due_idx")]

    def __str__(self) -> str:
        return self.description[:80]


class TaskNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("nota de seguimiento"))
    at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FeedToken(models.Model):
    """A person's private calendar feed address. Only a hash of the secret is stored; a
    revoked or replaced token answers 404, like one that never existed."""

    user_id = models.BigIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user_id"], name="feedtoken_user_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id"], condition=Q(revoked_at__isnull=True), name="feedtoken_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.user_id}"
