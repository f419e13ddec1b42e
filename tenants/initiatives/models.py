"""Priority initiatives (metas prioritarias), the heart of the SIGOBito goals method. Lives in
the municipality's schema.

People are referred to by account id (users live in the public schema, and the rows here
must outlive an account); their names are resolved by the selectors in one query.

Traffic lights and thermometers are never stored: `rules.py` computes them from the dates,
the reported progress and the open ARO.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenants.initiatives.uploads import evidence_path, report_path
from tenants.structure.models import Actor, Place, Theme


class ProductKind(models.TextChoices):
    NEW_SERVICE = "new_service", _("Servicio nuevo")
    IMPROVED_SERVICE = "improved_service", _("Servicio mejorado")
    PUBLIC_WORK = "public_work", _("Obra pública")
    REGULATION = "regulation", _("Normativa")
    OTHER = "other", _("Otro")


class Status(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PROGRAMMED = "programmed", _("Programada")
    IN_EXECUTION = "in_execution", _("En ejecución")
    COMPLETED = "completed", _("Completada")
    SUSPENDED = "suspended", _("Suspendida")
    CANCELLED = "cancelled", _("Cancelada")


class CycleSettings(models.Model):
    """One row per municipality: the weekday that opens its weekly cycle (day 1, managers
    report; day 2, the goals committee; day 3, the mayor's office)."""

    cycle_day = models.PositiveSmallIntegerField(
        _("día de inicio del ciclo semanal"),
        default=0,
        help_text=_("El día 1 del ciclo: las gerencias actualizan sus iniciativas."),
    )  # 0 = Monday … 6 = Sunday, as date.weekday()

    class Meta:
        verbose_name = _("ciclo semanal")
        constraints = [models.CheckConstraint(condition=Q(cycle_day__lte=6), name="cycle_day_weekday")]

    def __str__(self) -> str:
        return str(self.cycle_day)


class Initiative(models.Model):
    name = models.CharField(_("nombre"), max_length=200)
    objective = models.TextField(_("objetivo"))
    product_kind = models.CharField(_("producto público esperado"), max_length=20, choices=ProductKind.choices)
    description = models.TextField(_("descripción"), blank=True)
    manager_id = models.BigIntegerField(_("gerente"))
    follow_up_id = models.BigIntegerField(_("seguimiento institucional"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives", verbose_name=_("temas"))
    places = models.ManyToManyField(Place, blank=True, related_name="initiatives", verbose_name=_("lugares"))
    actors = models.ManyToManyField(Actor, blank=True, related_name="initiatives", verbose_name=_("actores"))
    population_reached = models.PositiveIntegerField(_("población alcanzada"), null=True, blank=True)
    budget = models.DecimalField(_("presupuesto"), max_digits=16, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("fuente de financiamiento"), max_length=200, blank=True)
    start_date = models.DateField(_("fecha de inicio"))
    target_date = models.DateField(_("fecha meta"))
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_public = models.BooleanField(_("pública"), default=False)
    # Priority initiatives are shared by default; the municipality may opt out per initiative.
    share_with_community = models.BooleanField(_("compartir con la comunidad"), default=True)
    # The traffic light last sent to the community, so an hourly check re-sends only changes.
    community_light = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # When programming was closed; from then on every date change is a reprogramming.
    programming_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Optimistic lock: a form carries the version it was read at, a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("iniciativa")
        verbose_name_plural = _("iniciativas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(target_date__gte=F("start_date")), name="initiative_dates_ordered"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="initiative_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """An intermediate goal (meta intermedia / hito) on the initiative's critical path."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    due_date = models.DateField(_("fecha de cumplimiento"))
    # The due date when programming was closed; null until then.
    baseline_due_date = models.DateField(_("fecha de línea base"), null=True, blank=True, editable=False)
    responsible_id = models.BigIntegerField(_("responsable"))
    weight = models.PositiveSmallIntegerField(_("peso"), default=1)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("depende de")
    )
    places = models.ManyToManyField(Place, blank=True, related_name="milestones", verbose_name=_("lugares"))
    actors = models.ManyToManyField(Actor, blank=True, related_name="milestones", verbose_name=_("actores"))
    risks = models.TextField(_("riesgos"), blank=True)
    communication_opportunity = models.BooleanField(_("oportunidad de comunicación"), default=False)
    # The latest reported progress (0 to 100); the weekly reports keep the history.
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    completed_on = models.DateField(_("fecha de cumplimiento real"), null=True, blank=True)
    evidence_text = models.TextField(_("evidencia"), blank=True)
    evidence_url = models.URLField(_("enlace de evidencia"), blank=True, max_length=500)
    evidence_file = models.FileField(_("archivo de evidencia"), upload_to=evidence_path, blank=True)
    evidence_file_name = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meta intermedia")
        verbose_name_plural = _("metas intermedias")
        ordering = ["initiative", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_percent"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="milestone_weight_range"),
        ]
        indexes = [models.Index(fields=["due_date"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return self.name


class DateChangeKind(models.TextChoices):
    BASELINE = "baseline", _("Línea base")
    REPROGRAMMING = "reprogramming", _("Reprogramación")


class DateChange(models.Model):
    """The history of a milestone's due date: its baseline and every reprogramming."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="date_changes")
    kind = models.CharField(max_length=20, choices=DateChangeKind.choices)
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField()
    reason = models.TextField(_("motivo"), blank=True)
    restriction = models.ForeignKey(
        "Aro", on_delete=models.SET_NULL, null=True, blank=True, related_name="reprogrammings",
        verbose_name=_("restricción que la causó"),
    )  # fmt: skip
    at = models.DateTimeField(auto_now_add=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["milestone", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.old_due_date} → {self.new_due_date}"


class WeeklyReport(models.Model):
    """What the manager reports for one week of the municipality's cycle."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    week_start = models.DateField(_("semana"))
    narrative = models.TextField(_("relato del avance"), blank=True)
    submitted_by_id = models.BigIntegerField(null=True, blank=True)
    submitted_by_label = models.CharField(max_length=254, blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reporte semanal")
        verbose_name_plural = _("reportes semanales")
        ordering = ["initiative", "-week_start"]
        constraints = [models.UniqueConstraint(fields=["initiative", "week_start"], name="report_one_per_week")]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.week_start}"


class ReportLine(models.Model):
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="lines")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="report_lines")
    progress = models.PositiveSmallIntegerField(_("avance (%)"))
    comment = models.CharField(_("comentario"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="report_line_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_line_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.progress}%"


class ReportAttachment(models.Model):
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("archivo"), upload_to=report_path)
    original_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(_("título"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)


class BuiltInAroType(models.TextChoices):
    FINANCIAL = "financial", _("Financiera")
    LEGAL = "legal", _("Legal")
    POLITICAL = "political", _("Política")
    COMMUNICATIONAL = "communicational", _("Comunicacional")
    TECHNICAL_ADMINISTRATIVE = "technical_administrative", _("Técnico-administrativa")
    OTHER = "other", _("Otra")


class AroType(models.Model):
    """Problem types for ARO; the municipality edits the list. The method's six come seeded
    with a `key`, so they show in the reader's language until the municipality renames one."""

    key = models.CharField(max_length=40, choices=BuiltInAroType.choices, null=True, blank=True, unique=True)
    name = models.CharField(_("nombre"), max_length=80)
    is_active = models.BooleanField(_("activo"), default=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("tipo de ARO")
        verbose_name_plural = _("tipos de ARO")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="arotype_name_unique")]

    def __str__(self) -> str:
        return str(BuiltInAroType(self.key).label) if self.key else self.name


class AroKind(models.TextChoices):
    ALERT = "alert", _("Alerta")
    RESTRICTION = "restriction", _("Restricción")
    OPPORTUNITY = "opportunity", _("Oportunidad")


class AroLevel(models.IntegerChoices):
    MANAGER = 1, _("Nivel 1: gerencia de la iniciativa")
    COMMITTEE = 2, _("Nivel 2: seguimiento institucional / comité de metas")
    MAYOR = 3, _("Nivel 3: despacho del titular")


class Aro(models.Model):
    """An alert, restriction or opportunity raised against an initiative or a milestone."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="aros")
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aros",
        verbose_name=_("meta intermedia"),
    )
    kind = models.CharField(_("clase"), max_length=20, choices=AroKind.choices)
    aro_type = models.ForeignKey(AroType, on_delete=models.PROTECT, related_name="aros", verbose_name=_("tipo"))
    description = models.TextField(_("descripción"))
    proposed_action = models.TextField(_("acción propuesta"), blank=True)
    required_decision = models.TextField(_("decisión requerida"), blank=True)
    level = models.PositiveSmallIntegerField(_("nivel"), choices=AroLevel.choices, default=AroLevel.MANAGER)
    # True while the level it sits at owes a decision: what the level pages list.
    awaiting_decision = models.BooleanField(default=True)
    decision = models.TextField(_("decisión"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_label = models.CharField(max_length=254, blank=True)
    resolution = models.TextField(_("resolución"), blank=True)
    is_open = models.BooleanField(default=True)
    raised_on = models.DateField(_("fecha"))
    closed_on = models.DateField(null=True, blank=True)
    raised_by_id = models.BigIntegerField(null=True, blank=True)
    raised_by_label = models.CharField(max_length=254, blank=True)
    # A restriction follows its initiative's sharing unless marked private (this flag off).
    share_with_community = models.BooleanField(_("compartir con la comunidad"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ARO")
        verbose_name_plural = _("ARO")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=3), name="aro_level_range"),
        ]
        indexes = [models.Index(fields=["is_open", "level"], name="aro_open_level_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class AroStep(models.TextChoices):
    RAISED = "raised", _("Registrada")
    ESCALATED = "escalated", _("Escalada")
    DEESCALATED = "deescalated", _("Devuelta")
    DECIDED = "decided", _("Decisión")
    CLOSED = "closed", _("Cerrada")
    REOPENED = "reopened", _("Reabierta")


class AroMovement(models.Model):
    """Every step of an ARO: raised, escalated, sent back, decided, closed."""

    aro = models.ForeignKey(Aro, on_delete=models.CASCADE, related_name="movements")
    step = models.CharField(max_length=20, choices=AroStep.choices)
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["aro", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.aro_id} {self.step}"


class OpinionStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente de moderación")
    APPROVED = "approved", _("Publicada")
    REJECTED = "rejected", _("Rechazada")


class Opinion(models.Model):
    """A citizen's opinion on a public initiative; published only after moderation."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="opinions")
    author_name = models.CharField(_("nombre"), max_length=100, blank=True)
    text = models.TextField(_("opinión"), max_length=2000)
    status = models.CharField(max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.PENDING)
    reply = models.TextField(_("respuesta del municipio"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    moderated_by_label = models.CharField(max_length=254, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the sender's address: enough to rate-limit, not enough to identify.
    sender_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["initiative", "status"], name="opinion_status_idx")]

    def __str__(self) -> str:
        return self.text[:60]
