"""The community layer (public schema, DESIGN.md §2).

Nothing here is read from a municipality's tables at request time: the relay copies what a
municipality chose to share into `IndexItem` from its outbox, and every page, search and
detection run reads that projection only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality


class ItemKind(models.TextChoices):
    INITIATIVE = "initiative", _("Iniciativa")
    RESTRICTION = "restriction", _("Restricción")


class PopulationBracket(models.TextChoices):
    """Municipality size, so that small towns are compared with small towns."""

    UNKNOWN = "", _("Sin dato")
    UNDER_10K = "lt10k", _("Menos de 10 000 habitantes")
    FROM_10K = "10k-50k", _("De 10 000 a 50 000 habitantes")
    FROM_50K = "50k-100k", _("De 50 000 a 100 000 habitantes")
    FROM_100K = "100k-500k", _("De 100 000 a 500 000 habitantes")
    OVER_500K = "gt500k", _("Más de 500 000 habitantes")


def population_bracket(population: int | None) -> str:
    if population is None:
        return PopulationBracket.UNKNOWN
    for limit, bracket in (
        (10_000, PopulationBracket.UNDER_10K),
        (50_000, PopulationBracket.FROM_10K),
        (100_000, PopulationBracket.FROM_50K),
        (500_000, PopulationBracket.FROM_100K),
    ):
        if population < limit:
            return bracket
    return PopulationBracket.OVER_500K


class PlatformTheme(models.Model):
    """The regional team's theme vocabulary; each municipality maps its own themes to it."""

    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(_("descripción"), blank=True)
    is_active = models.BooleanField(_("activo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tema de la plataforma")
        verbose_name_plural = _("temas de la plataforma")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="platformtheme_name_unique")]

    def __str__(self) -> str:
        return self.name


class MappingStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Sugerido")
    CONFIRMED = "confirmed", _("Confirmado")
    REJECTED = "rejected", _("Rechazado")


class ThemeMapping(models.Model):
    """One of a municipality's own themes mapped to the platform vocabulary. Only a
    confirmed mapping counts in the index; a suggestion waits for a person."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="theme_mappings")
    local_theme_id = models.PositiveIntegerField()
    local_theme_name = models.CharField(max_length=200)
    platform_theme = models.ForeignKey(
        PlatformTheme, on_delete=models.CASCADE, related_name="mappings", null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=MappingStatus.choices, default=MappingStatus.SUGGESTED)
    score = models.FloatField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "local_theme_id"], name="thememapping_unique_local"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.local_theme_name} → {self.platform_theme_id} ({self.status})"


class IndexItem(models.Model):
    """A shared initiative or restriction as the community sees it.

    `last_event_id` is the municipality's outbox event last applied: events are applied only
    if newer, so replays and out-of-order deliveries change nothing. A withdrawal keeps the
    row as a content-free tombstone (`withdrawn_at`) for the same reason."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="index_items")
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    source_id = models.PositiveBigIntegerField()
    last_event_id = models.PositiveBigIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=30, blank=True)
    light = models.PositiveSmallIntegerField(null=True, blank=True)  # rules.Light value
    is_public = models.BooleanField(default=False)
    is_open = models.BooleanField(default=True)  # restrictions: still open
    restriction_type = models.CharField(max_length=60, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)  # target date, or the day a restriction was raised
    # Denormalised from the municipality so that search filters need no join.
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=120, blank=True)
    population_bracket = models.CharField(max_length=12, blank=True, choices=PopulationBracket.choices)
    place_regions = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    local_themes = models.JSONField(default=list, blank=True)  # [{"id": 3, "name": "Agua"}]
    platform_themes = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    sdg_goals = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    sdg_targets = ArrayField(models.CharField(max_length=12), default=list, blank=True)
    # A restriction's initiative, when the municipality shares that initiative too.
    initiative = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="restrictions"
    )
    initiative_source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_url = models.CharField(max_length=300, blank=True)  # public page in the municipality, if public
    updated_at = models.DateTimeField(auto_now=True)

    search_vector = SearchVectorField(null=True, editable=False)
    # Set on every change; the search backend clears it once the item is indexed there.
    search_dirty = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "source_id"], name="indexitem_unique_source"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="indexitem_search_idx"),
            GinIndex(fields=["platform_themes"], name="indexitem_themes_idx"),
            GinIndex(fields=["sdg_goals"], name="indexitem_sdg_idx"),
            GinIndex(fields=["sdg_targets"], name="indexitem_sdg_targets_idx"),
            models.Index(fields=["kind", "country"], name="indexitem_kind_country_idx"),
            models.Index(fields=["id"], condition=models.Q(search_dirty=True), name="indexitem_dirty_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.kind}:{self.source_id}"

    @property
    def public_url(self) -> str:
        """The item's public page: a path the index keeps, on its own municipality's host (so
        read `municipality` with the item), or a whole web address. "" when the item is not
        public, or when the address is not http(s): every page that links an item uses this,
        so no other scheme (javascript:, data:) ever reaches an href."""
        from tenants.links import municipality_page_url, safe_href

        if not self.is_public or not self.source_url:
            return ""
        if self.source_url.startswith("/"):
            return municipality_page_url(self.municipality.slug, self.source_url)
        return safe_href(self.source_url)

    @property
    def key(self) -> str:
        """Stable across rebuilds (the row id is not): what detection and search use."""
        return f"{self.municipality_id}:{self.kind}:{self.source_id}"


class RelayFailure(models.Model):
    """An outbox event the relay could not apply (malformed payload, unknown topic). Kept,
    not dropped, so nothing is lost silently; the event is marked processed so it does not
    block the municipality's queue."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    event_id = models.PositiveBigIntegerField()
    topic = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    error = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "event_id"], name="relayfailure_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.event_id} {self.topic}"


class GroupKind(models.TextChoices):
    THEME = "theme", _("Tema común")
    PROBLEM = "problem", _("Problema compartido")


class DetectionRun(models.Model):
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    peak_memory_kb = models.PositiveBigIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)  # {"new": n, "changed": n, "gone": n, ...}

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"detection {self.started_at:%Y-%m-%d %H:%M}"


class Group(models.Model):
    """A group of initiatives with common aims, or of restrictions describing the same
    problem, across municipalities. The id is stable: a run that finds mostly the same
    members updates this row instead of making a new one."""

    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    auto_name = models.CharField(max_length=200)
    name = models.CharField(_("nombre"), max_length=200, blank=True)  # the regional team's, if renamed
    strength = models.FloatField(default=0)  # 0..1
    reasons = models.JSONField(default=dict, blank=True)  # {"terms": [...], "sdg_targets": [...], "themes": [ids]}
    change = models.JSONField(default=dict, blank=True)  # since the previous run: {"new": bool, "added": [keys], ...}
    pinned = models.BooleanField(default=False)
    # Curated by the regional team (merged, split or edited): detection no longer changes
    # its membership, it only reports what it would add.
    curated = models.BooleanField(default=False)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_keys = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)  # False once no run finds it any more, or merged
    first_run = models.ForeignKey(DetectionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_run = models.ForeignKey(DetectionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-pinned", "-strength", "id"]
        indexes = [models.Index(fields=["kind", "is_active"], name="group_kind_active_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.auto_name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(IndexItem, on_delete=models.CASCADE, related_name="group_memberships")
    score = models.FloatField(default=0)  # how strongly the item belongs (0..1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "item"], name="groupmember_unique")]

    def __str__(self) -> str:
        return f"{self.group_id} ∋ {self.item_id}"


class ConsoleEvent(models.Model):
    """What the regional team did to a group (audit)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=30)  # renamed, pinned, unpinned, merged, split, dismissed, restored, lab
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.action}"


class LabProposal(models.Model):
    """ "Propose a lab" from a group. The lab itself is a later issue; the proposal keeps the
    group and a copy of its members as they were, so it survives later detection runs."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="lab_proposals")
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    members = models.JSONField(default=list)  # [{"key", "municipality", "kind", "title"}]
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
