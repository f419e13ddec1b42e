"""SDG catalogue (goals, targets, indicators in es/en/fr) and the specialists' alignment
workflow (cases, assignments, blind proposals, the final alignment and its event log).

All in the public schema: alignments are made on the community index (community.IndexItem),
never on a municipality's own tables. A case remembers its item's `key` as well as the row,
because the key is what stays stable when an item is withdrawn and shared again."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The official SDG colours (UN communications guidelines).
GOAL_COLOURS: dict[int, str] = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
CATALOGUE_LANGUAGES = ("es", "en", "fr")
_SEGMENT = re.compile(r"^[0-9]+$")
# What a target code looks like: an official target ("6.1", "6.a", "17.19") or a local one
# under it ("11.2.1", "11.2.b"): the goal number, then one or two segments of up to three
# digits or lower-case letters. Codes from outside (an address, a form, an API) are checked
# against it before any lookup, so junk never reaches a query.
TARGET_CODE = re.compile(r"^[0-9]{1,2}\.[0-9a-z]{1,3}(?:\.[0-9a-z]{1,3})?\Z")


def sort_key(code: str) -> str:
    """A string that sorts codes in the official order: numbers numerically, and the
    lettered means-of-implementation targets ("6.a") after the numbered ones ("6.6")."""
    parts = []
    for segment in code.split("."):
        parts.append(f"0{int(segment):04d}" if _SEGMENT.match(segment) else f"1{segment:>4}")
    return ".".join(parts)


class Localised(models.Model):
    """Texts stored once per catalogue language; read in the active language, falling back
    to Spanish (the source language, always loaded)."""

    class Meta:
        abstract = True

    def _text(self, base: str) -> str:
        language = (get_language() or "es")[:2]
        if language not in CATALOGUE_LANGUAGES:
            language = "es"
        return str(getattr(self, f"{base}_{language}", "") or getattr(self, f"{base}_es"))


class Goal(Localised):
    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    colour = models.CharField(_("color"), max_length=7)
    title_es = models.TextField(_("título (español)"))
    title_en = models.TextField(_("título (inglés)"), blank=True)
    title_fr = models.TextField(_("título (francés)"), blank=True)
    short_es = models.CharField(_("nombre corto (español)"), max_length=120)
    short_en = models.CharField(_("nombre corto (inglés)"), max_length=120, blank=True)
    short_fr = models.CharField(_("nombre corto (francés)"), max_length=120, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("objetivo (ODS)")
        verbose_name_plural = _("objetivos (ODS)")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=17), name="odsgoal_number_range"),
        ]

    def __str__(self) -> str:
        return f"ODS {self.number}: {self.short}"

    @property
    def title(self) -> str:
        return self._text("title")

    @property
    def short(self) -> str:
        return self._text("short")


class Target(Localised):
    """An official target ("6.1", "6.a") or a local one added by the regional team under an
    official target ("11.2.1", `is_local`, `parent`)."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    code = models.CharField(_("código"), max_length=12, unique=True)
    sort_key = models.CharField(max_length=40, db_index=True, editable=False)
    title_es = models.TextField(_("título (español)"))
    title_en = models.TextField(_("título (inglés)"), blank=True)
    title_fr = models.TextField(_("título (francés)"), blank=True)
    is_local = models.BooleanField(_("meta local"), default=False)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="local_targets")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("meta (ODS)")
        verbose_name_plural = _("metas (ODS)")
        constraints = [
            # A local target always hangs from an official one; an official one never does.
            models.CheckConstraint(
                condition=models.Q(is_local=False, parent__isnull=True) | models.Q(is_local=True, parent__isnull=False),
                name="odstarget_local_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return self._text("title")


class Indicator(Localised):
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("código"), max_length=16, unique=True)
    sort_key = models.CharField(max_length=40, db_index=True, editable=False)
    title_es = models.TextField(_("título (español)"))
    title_en = models.TextField(_("título (inglés)"), blank=True)
    title_fr = models.TextField(_("título (francés)"), blank=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("indicador (ODS)")
        verbose_name_plural = _("indicadores (ODS)")

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return self._text("title")


# --- The alignment workflow -------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Abierto: esperando propuestas")
    # Every assigned specialist has submitted; agreement is computed in the same transaction,
    # so the case passes through this state (recorded in its events) on its way to agreed or
    # disputed. Kept as a state so that a later discussion step can stop here.
    IN_REVIEW = "in_review", _("En revisión")
    AGREED = "agreed", _("Acordado")
    DISPUTED = "disputed", _("En disputa: espera adjudicación")
    ADJUDICATED = "adjudicated", _("Adjudicado")
    PUBLISHED = "published", _("Publicado")


class Contribution(models.TextChoices):
    DIRECT = "direct", _("Directa")
    INDIRECT = "indirect", _("Indirecta")


class AlignmentCase(models.Model):
    """The alignment of one shared initiative of the community index."""

    item = models.ForeignKey(
        "community.IndexItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="alignment_cases"
    )
    # "muni_id:kind:source_id" (IndexItem.key): one case per initiative, stable across rebuilds.
    item_key = models.CharField(max_length=60, unique=True)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="alignment_cases")
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    deadline = models.DateField(_("fecha límite"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alignment_cases_led")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Agreement between the proposals (mean over specialist pairs when more than two).
    kappa = models.FloatField(null=True, blank=True)
    target_overlap = models.FloatField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)  # the lead's reason when adjudicated
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "lead"], name="odscase_status_lead_idx")]

    def __str__(self) -> str:
        return f"{self.item_key} ({self.status})"


class Assignment(models.Model):
    """A specialist asked to align a case independently. Reassignment ends the row
    (`ended_at`) and adds a new one, so the history of who was asked stays."""

    case = models.ForeignKey(AlignmentCase, on_delete=models.CASCADE, related_name="assignments")
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alignment_assignments"
    )
    due_date = models.DateField(_("fecha de entrega"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "specialist"],
                condition=models.Q(ended_at__isnull=True),
                name="odsassignment_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.specialist_id}"


class Proposal(models.Model):
    """One specialist's independent alignment of a case."""

    case = models.ForeignKey(AlignmentCase, on_delete=models.CASCADE, related_name="proposals")
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("justificación"))
    evidence = models.TextField(_("evidencia"), blank=True)
    evidence_url = models.URLField(_("enlace a la evidencia"), max_length=500, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "specialist"], name="odsproposal_one_per_specialist"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.specialist_id}"

    @property
    def goal_numbers(self) -> set[int]:
        return {row.goal.number for row in self.goal_rows.all()}

    @property
    def target_codes(self) -> set[str]:
        return {row.target.code for row in self.target_rows.all()}


class ProposalGoal(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="goal_rows")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    contribution = models.CharField(max_length=8, choices=Contribution.choices, default=Contribution.DIRECT)

    class Meta:
        ordering = ["goal__number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "goal"], name="odsproposalgoal_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.goal_id} ({self.contribution})"


class ProposalTarget(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="target_rows")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    contribution = models.CharField(max_length=8, choices=Contribution.choices, default=Contribution.DIRECT)

    class Meta:
        ordering = ["target__sort_key"]
        constraints = [models.UniqueConstraint(fields=["proposal", "target"], name="odsproposaltarget_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.target_id} ({self.contribution})"


class FinalAlignment(models.Model):
    """The agreed or adjudicated alignment of an initiative, by item key. Once published it
    is what the community index shows, and `apply_final_alignments` writes it again on rows
    that lost it (an initiative withdrawn and shared again, a rebuilt index)."""

    case = models.OneToOneField(AlignmentCase, on_delete=models.CASCADE, related_name="final")
    item_key = models.CharField(max_length=60, unique=True)
    goals = ArrayField(models.PositiveSmallIntegerField(), default=list)
    targets = ArrayField(models.CharField(max_length=12), default=list)
    # {"goals": {"6": "direct"}, "targets": {"6.1": "indirect"}}
    contributions = models.JSONField(default=dict)
    decided_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.item_key}: {self.goals}"


class AlignmentEvent(models.Model):
    """Who did what in the alignment workflow (and in the local catalogue)."""

    case = models.ForeignKey(AlignmentCase, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.case_id})"


class MethodPageRevision(models.Model):
    """One saved version of the editable text of the public method page (/ods/metodo/), in
    Spanish and English. Append-only: the newest row is the page, the older ones are its
    history (who changed it and when, and what it said), and `version` is the optimistic
    lock the edit form carries. With no row, the page shows the default text in code."""

    version = models.PositiveIntegerField(unique=True)
    body_es = models.TextField(_("texto en español"))
    body_en = models.TextField(_("texto en inglés"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("versión de la página del método")
        verbose_name_plural = _("versiones de la página del método")
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="odsmethod_version_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"
