"""Master data of a municipality. Lives in the municipality's schema.

Items are archived (is_active = False), never deleted: archived items stay linked to the
history that refers to them but disappear from pickers.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenants.roles import MunicipalRole


class Archivable(models.Model):
    is_active = models.BooleanField(_("activo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Coded(Archivable):
    """Lists whose items people refer to by a code (unique in the municipality, case-insensitive)."""

    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=150)

    class Meta:
        abstract = True
        ordering = ["code"]
        constraints = [models.UniqueConstraint(Lower("code"), name="%(class)s_code_unique")]


class Theme(Coded):
    """Axis of the government plan, theme or sub-theme (three levels at most)."""

    description = models.TextField(_("descripción"), blank=True)
    colour = models.CharField(_("color"), max_length=7, default="#0b5394")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("tema superior"),
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta(Coded.Meta):
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlaceLevelSet(models.Model):
    """A hierarchy of place levels the municipality names itself, e.g.
    distrito → corregimiento → barrio. A municipality may keep more than one."""

    name = models.CharField(_("nombre"), max_length=80)

    class Meta:
        verbose_name = _("conjunto de niveles")
        verbose_name_plural = _("conjuntos de niveles")
        constraints = [models.UniqueConstraint(Lower("name"), name="placelevelset_name_unique")]

    def __str__(self) -> str:
        return self.name


class PlaceLevel(models.Model):
    level_set = models.ForeignKey(PlaceLevelSet, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("nombre"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("orden"))  # 1 = the widest level

    class Meta:
        verbose_name = _("nivel de lugar")
        verbose_name_plural = _("niveles de lugar")
        ordering = ["level_set", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["level_set", "rank"], name="placelevel_rank_unique"),
            models.UniqueConstraint("level_set", Lower("name"), name="placelevel_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Place(Coded):
    code = models.CharField(_("código"), max_length=30)
    level = models.ForeignKey(PlaceLevel, on_delete=models.PROTECT, related_name="places", verbose_name=_("nivel"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("lugar superior"),
    )
    population = models.PositiveIntegerField(_("población"), null=True, blank=True)
    # GeoJSON geometry (Point, Polygon or MultiPolygon), validated by the services.
    geometry = models.JSONField(_("geometría (GeoJSON)"), null=True, blank=True)

    class Meta(Coded.Meta):
        verbose_name = _("lugar")
        verbose_name_plural = _("lugares")

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"


class ActorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Persona")
    INSTITUTION = "institution", _("Institución")
    POPULATION_GROUP = "population_group", _("Grupo de población")


class Relevance(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja")


class Actor(Archivable):
    kind = models.CharField(_("tipo"), max_length=20, choices=ActorKind.choices)
    name = models.CharField(_("nombre"), max_length=200)
    organisation = models.CharField(_("organización"), max_length=200, blank=True)
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    # Personal data: shown only to roles that need it (see structure.access).
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    address = models.CharField(_("dirección"), max_length=250, blank=True)
    relevance = models.CharField(_("relevancia"), max_length=10, choices=Relevance.choices, default=Relevance.MEDIUM)
    notes = models.TextField(_("notas"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="actors", verbose_name=_("temas de interés"))
    places = models.ManyToManyField(Place, blank=True, related_name="actors", verbose_name=_("lugares de interés"))

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actores")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(Coded):
    """A unit of the municipal government (secretaría, dirección, oficina)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("área superior"),
    )

    class Meta(Coded.Meta):
        verbose_name = _("área")
        verbose_name_plural = _("áreas")

    def __str__(self) -> str:
        return self.name


class Position(Coded):
    """A post (cargo) in an area."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="positions", verbose_name=_("área"))

    class Meta(Coded.Meta):
        verbose_name = _("cargo")
        verbose_name_plural = _("cargos")

    def __str__(self) -> str:
        return self.name


class NetworkMember(Archivable):
    """A person of the management network (red de gestión), with or without a user account.
    The method roles held here are the person's access roles when linked to an account."""

    full_name = models.CharField(_("nombre completo"), max_length=150)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("cargo")
    )
    # The account in the public schema; a plain id because users live in another schema.
    user_id = models.BigIntegerField(null=True, blank=True, unique=True)
    roles = ArrayField(
        models.CharField(max_length=40, choices=MunicipalRole.choices), default=list, blank=True,
        verbose_name=_("roles del método"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("miembro de la red")
        verbose_name_plural = _("miembros de la red")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name
