"""Tenancy: municipalities, their domains, memberships and invitations (public schema)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.roles import MunicipalRole
from tenants.validators import validate_slug, validate_time_zone


class Country(models.TextChoices):
    # Latin America and the Caribbean (ISO 3166-1 alpha-2).
    AR = "AR", _("Argentina")
    BO = "BO", _("Bolivia")
    BR = "BR", _("Brasil")
    CL = "CL", _("Chile")
    CO = "CO", _("Colombia")
    CR = "CR", _("Costa Rica")
    CU = "CU", _("Cuba")
    DO = "DO", _("República Dominicana")
    EC = "EC", _("Ecuador")
    SV = "SV", _("El Salvador")
    GT = "GT", _("Guatemala")
    HN = "HN", _("Honduras")
    MX = "MX", _("México")
    NI = "NI", _("Nicaragua")
    PA = "PA", _("Panamá")
    PY = "PY", _("Paraguay")
    PE = "PE", _("Perú")
    UY = "UY", _("Uruguay")
    VE = "VE", _("Venezuela")
    JM = "JM", _("Jamaica")
    TT = "TT", _("Trinidad y Tobago")
    HT = "HT", _("Haití")
    BZ = "BZ", _("Belice")
    GY = "GY", _("Guyana")
    SR = "SR", _("Surinam")


class Municipality(TenantMixin):
    name = models.CharField(_("nombre"), max_length=150)
    slug = models.SlugField(_("identificador"), max_length=40, unique=True, validators=[validate_slug])
    country = models.CharField(_("país"), max_length=2, choices=Country.choices)
    region = models.CharField(_("región"), max_length=120, blank=True, help_text=_("Departamento, provincia o estado."))
    population = models.PositiveIntegerField(_("población"), null=True, blank=True)
    time_zone = models.CharField(_("zona horaria"), max_length=64, validators=[validate_time_zone])
    default_language = models.CharField(
        _("idioma predeterminado"), max_length=5, choices=settings.LANGUAGES, default="es"
    )
    is_active = models.BooleanField(_("activo"), default=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("desactivado"), null=True, blank=True)

    # Provisioning creates and drops schemas itself, inside its own transaction.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_domain(self) -> str:
        for domain in self.domains.all():
            if domain.is_primary:
                return domain.domain
        return ""


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("dominio")
        verbose_name_plural = _("dominios")


class Membership(models.Model):
    """A user's role in a municipality. One row per role; a person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=40, choices=MunicipalRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["municipality", "user"], name="membership_muni_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality} · {self.get_role_display()}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted, revoked nor expired (a token may still have to be issued)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def usable(self) -> InvitationQuerySet:
        """Open and with a token already sent: what a link can be accepted against."""
        return self.open().filter(token_hash__isnull=False)


class Invitation(models.Model):
    """An invitation to join a municipality by email.

    The token is made by the task that sends the email, and only its hash is stored: the
    raw token exists in the email alone (never in the broker or the database)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("correo electrónico"))
    roles = ArrayField(models.CharField(max_length=40, choices=MunicipalRole.choices), verbose_name=_("roles"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        ordering = ["-created_at"]
        indexes = [models.Index(Lower("email"), "municipality", name="invitation_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} → {self.municipality}"


class PlatformAuditEvent(models.Model):
    """Who did what to the platform (provisioning, deactivation, deletion)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60)
    # Kept as text, not a foreign key: events must outlive a deleted municipality.
    municipality_slug = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
