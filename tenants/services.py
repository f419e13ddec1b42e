"""Writes on municipalities, memberships and invitations (public schema).

Every function is keyword-only, validates its input, runs in one transaction and records an
audit event. Provisioning in particular creates the schema, the rows and the first
administrator in a single transaction: if anything fails, or the process dies midway,
PostgreSQL rolls all of it back and no half-made municipality is left.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants import schemas
from tenants.accounts.models import PlatformRoleAssignment, User
from tenants.audit import audit
from tenants.db import in_public_schema
from tenants.links import domain_for
from tenants.models import Country, Domain, Invitation, Membership, Municipality
from tenants.roles import MEMBER_MANAGERS, MunicipalRole, PlatformRole
from tenants.selectors import has_platform_role
from tenants.validators import schema_name_for, validate_slug, validate_time_zone


@dataclass(frozen=True)
class ProvisioningResult:
    municipality: Municipality
    admin: User
    admin_created: bool
    invitation: Invitation | None  # set when the administrator still has to choose a password


def _require_public() -> None:
    if not in_public_schema():
        raise RuntimeError("Platform services run in the public schema only.")


def _require_platform_admin(actor: User | None) -> None:
    # `actor=None` is the system itself (management commands run by an operator).
    if actor is not None and not has_platform_role(actor, PlatformRole.PLATFORM_ADMIN):
        raise PermissionDenied(_("Solo la administración de la plataforma puede hacer esto."))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _duplicate_slug(slug: str) -> ValidationError:
    return ValidationError({"slug": [_("Ya existe un municipio con el identificador «%(slug)s».") % {"slug": slug}]})


def _validate_municipality(
    *, name: str, slug: str, country: str, region: str, population: int | None, time_zone: str, language: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def check(field: str, validator: object, value: object) -> None:
        try:
            validator(value)  # type: ignore[operator]
        except ValidationError as exc:
            errors.setdefault(field, []).extend(str(m) for m in exc.messages)

    if not name.strip():
        errors["name"] = [_("Indique el nombre del municipio.")]
    elif len(name) > 150:
        errors["name"] = [_("El nombre admite como máximo 150 caracteres.")]
    check("slug", validate_slug, slug)
    if "slug" not in errors and Municipality.objects.filter(slug=slug).exists():
        errors["slug"] = _duplicate_slug(slug).message_dict["slug"]
    if country not in Country.values:
        errors["country"] = [_("Elija un país de la lista.")]
    if len(region) > 120:
        errors["region"] = [_("La región admite como máximo 120 caracteres.")]
    if population is not None and population < 0:
        errors["population"] = [_("La población no puede ser negativa.")]
    check("time_zone", validate_time_zone, time_zone)
    if language not in dict(settings.LANGUAGES):
        errors["default_language"] = [_("Elija español o inglés.")]
    return errors


def municipality_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    country: str,
    time_zone: str,
    admin_email: str,
    admin_name: str = "",
    admin_password: str | None = None,
    region: str = "",
    population: int | None = None,
    default_language: str = "es",
) -> ProvisioningResult:
    """Create a municipality: schema (cloned from the template), row, primary domain and
    first administrator (the system counterpart), all or nothing. An administrator without
    a password is invited by email to choose one."""
    _require_public()
    _require_platform_admin(actor)
    slug = slug.strip()
    admin_email = admin_email.strip().lower()
    errors = _validate_municipality(
        name=name, slug=slug, country=country, region=region, population=population,
        time_zone=time_zone, language=default_language,
    )  # fmt: skip
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [_("Indique un correo electrónico válido para la primera persona administradora.")]
    if admin_password:
        try:
            validate_password(admin_password, User(email=admin_email, full_name=admin_name))
        except ValidationError as exc:
            errors["admin_password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)

    schema_name = schema_name_for(slug)
    invitation = None
    try:
        with transaction.atomic():
            if schemas.schema_exists(schema_name):
                raise ValidationError({"slug": [_("Ya existe un esquema para «%(slug)s».") % {"slug": slug}]})
            schemas.clone_template(schema_name)
            municipality = Municipality.objects.create(
                schema_name=schema_name, name=name.strip(), slug=slug, country=country, region=region.strip(),
                population=population, time_zone=time_zone, default_language=default_language,
            )  # fmt: skip
            Domain.objects.create(domain=domain_for(slug), tenant=municipality, is_primary=True)
            admin = User.objects.filter(email__iexact=admin_email).first()
            admin_created = admin is None
            if admin is None:
                admin = User.objects.create_user(email=admin_email, password=admin_password, full_name=admin_name)
            Membership.objects.create(user=admin, municipality=municipality, role=MunicipalRole.SYSTEM_COUNTERPART)
            if not admin.has_usable_password():
                invitation = _create_invitation(
                    municipality=municipality,
                    email=admin_email,
                    roles=[MunicipalRole.SYSTEM_COUNTERPART],
                    invited_by=actor,
                )
            audit(actor=actor, action="municipality.create", slug=slug, admin=admin_email)
    except IntegrityError as exc:
        # Two requests for the same slug at once: the loser gets the same answer as a
        # sequential duplicate. Any other integrity problem is a bug and is not disguised.
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or ""
        if "slug" in constraint or "schema_name" in constraint or "domain" in constraint:
            raise _duplicate_slug(slug) from exc
        raise
    return ProvisioningResult(municipality, admin, admin_created, invitation)


def _locked(municipality: Municipality) -> Municipality:
    return Municipality.objects.select_for_update().get(pk=municipality.pk)


def municipality_deactivate(*, actor: User | None, municipality: Municipality) -> Municipality:
    _require_public()
    _require_platform_admin(actor)
    with transaction.atomic():
        municipality = _locked(municipality)
        if municipality.is_active:
            municipality.is_active = False
            municipality.deactivated_at = timezone.now()
            municipality.save(update_fields=["is_active", "deactivated_at"])
            audit(actor=actor, action="municipality.deactivate", slug=municipality.slug)
    return municipality


def municipality_reactivate(*, actor: User | None, municipality: Municipality) -> Municipality:
    _require_public()
    _require_platform_admin(actor)
    with transaction.atomic():
        municipality = _locked(municipality)
        if not municipality.is_active:
            municipality.is_active = True
            municipality.deactivated_at = None
            municipality.save(update_fields=["is_active", "deactivated_at"])
            audit(actor=actor, action="municipality.reactivate", slug=municipality.slug)
    return municipality


def municipality_delete(*, actor: User | None, municipality: Municipality, confirm_slug: str) -> None:
    """Drop the schema and every row of the municipality. Irreversible, so the caller must
    type the municipality's identifier."""
    _require_public()
    _require_platform_admin(actor)
    if confirm_slug.strip() != municipality.slug:
        raise ValidationError(
            {
                "confirm_slug": [
                    _("Para eliminar, escriba exactamente el identificador «%(slug)s».") % {"slug": municipality.slug}
                ]
            }
        )
    with transaction.atomic():
        municipality = _locked(municipality)
        schemas.drop_schema(municipality.schema_name)
        slug = municipality.slug
        municipality.delete(force_drop=False)
        audit(actor=actor, action="municipality.delete", slug=slug)


# --- Memberships and invitations ------------------------------------------------------------


def can_manage_members(user: User, municipality: Municipality) -> bool:
    return Membership.objects.filter(user=user, municipality=municipality, role__in=MEMBER_MANAGERS).exists()


def _clean_roles(roles: Iterable[str], *, allow_empty: bool = False) -> list[str]:
    cleaned = sorted(set(roles))
    if not cleaned and not allow_empty:
        raise ValidationError({"roles": [_("Elija al menos un rol.")]})
    unknown = [r for r in cleaned if r not in MunicipalRole.values]
    if unknown:
        raise ValidationError({"roles": [_("Rol desconocido: %(roles)s.") % {"roles": ", ".join(unknown)}]})
    return cleaned


def _create_invitation(
    *, municipality: Municipality, email: str, roles: list[str], invited_by: User | None
) -> Invitation:
    invitation = Invitation.objects.create(
        municipality=municipality, email=email, roles=roles, invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )  # fmt: skip
    from tenants.tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(invitation_id=invitation.pk))
    return invitation


def invitation_create(*, actor: User, municipality: Municipality, email: str, roles: list[str]) -> Invitation:
    """Invite someone to a municipality by email (the email is sent in the background)."""
    if not can_manage_members(actor, municipality):
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular pueden invitar miembros."))
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Indique un correo electrónico válido.")]
    try:
        roles = _clean_roles(roles)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = set(
            Membership.objects.filter(municipality=municipality, user__email__iexact=email).values_list(
                "role", flat=True
            )
        )
        if existing and set(roles) <= existing:
            raise ValidationError({"email": [_("Esta persona ya es miembro con esos roles.")]})
        # A new invitation replaces any pending one for the same address.
        Invitation.objects.open().filter(municipality=municipality, email__iexact=email).update(
            revoked_at=timezone.now()
        )
        invitation = _create_invitation(municipality=municipality, email=email, roles=roles, invited_by=actor)
        audit(actor=actor, action="invitation.create", slug=municipality.slug, roles=roles)
    return invitation


def invitation_issue_token(*, invitation: Invitation) -> str | None:
    """Make the invitation's secret token (called by the task that emails it). Returns None
    if the invitation is no longer open. Issuing again replaces the previous token."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not Invitation.objects.open().filter(pk=invitation.pk).exists():
            return None
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["token_hash"])
    return token


def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str | None = None
) -> User:
    """Accept an invitation.

    Someone who already has a working account accepts while logged in as that account
    (`user`). Someone new, or an account that provisioning created without a password,
    accepts by choosing a name and password here.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not Invitation.objects.usable().filter(pk=invitation.pk).exists():
            raise ValidationError(_("Esta invitación ya no es válida. Pida una nueva."))
        account = User.objects.filter(email__iexact=invitation.email).first()
        if account is not None and account.has_usable_password():
            if user is None or user.pk != account.pk:
                raise ValidationError(
                    _("La invitación es para %(email)s: inicie sesión con esa cuenta para aceptarla.")
                    % {"email": invitation.email}
                )
        else:
            errors: dict[str, list[str]] = {}
            if not full_name.strip():
                errors["full_name"] = [_("Indique su nombre.")]
            try:
                validate_password(password or "", User(email=invitation.email, full_name=full_name))
            except ValidationError as exc:
                errors["password1"] = list(exc.messages)
            if errors:
                raise ValidationError(errors)
            if account is None:
                account = User.objects.create_user(
                    email=invitation.email, password=password, full_name=full_name.strip()
                )
            else:
                account.full_name = full_name.strip()
                account.set_password(password)
                account.save(update_fields=["full_name", "password"])
        for role in invitation.roles:
            Membership.objects.get_or_create(user=account, municipality=invitation.municipality, role=role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = account
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit(actor=account, action="invitation.accept", slug=invitation.municipality.slug, roles=invitation.roles)
    return account


def membership_set_roles(
    *, actor: User | None, municipality: Municipality, user: User, roles: list[str], restore: bool = False
) -> list[str]:
    """Replace a member's roles; an empty list removes the person from the municipality.
    `restore` gives roles back to someone whose access was taken away by archiving them in
    the management network (otherwise only current members can get roles here)."""
    if actor is not None and not can_manage_members(actor, municipality):
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular pueden cambiar roles."))
    cleaned = _clean_roles(roles, allow_empty=True)
    with transaction.atomic():
        # Membership changes of one municipality are serialised on its row, so two managers
        # cannot remove each other's administrator role at the same time.
        _locked(municipality)
        if not restore and not Membership.objects.filter(municipality=municipality, user=user).exists():
            raise ValidationError({"user": [_("Esta persona no es miembro del municipio.")]})
        other_admins = (
            Membership.objects.filter(municipality=municipality, role=MunicipalRole.SYSTEM_COUNTERPART)
            .exclude(user=user)
            .exists()
        )
        if MunicipalRole.SYSTEM_COUNTERPART not in cleaned and not other_admins:
            raise ValidationError({"roles": [_("El municipio debe conservar al menos una contraparte del sistema.")]})
        Membership.objects.filter(municipality=municipality, user=user).exclude(role__in=cleaned).delete()
        for role in cleaned:
            Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        audit(actor=actor, action="membership.set_roles", slug=municipality.slug, roles=cleaned)
    return cleaned


def membership_grant(*, actor: User | None, municipality: Municipality, user: User, role: str) -> None:
    """Give one more role to a person (used by the demo data and operators)."""
    _require_platform_admin(actor)
    role = _clean_roles([role])[0]
    with transaction.atomic():
        _, created = Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        if created:
            audit(actor=actor, action="membership.grant", slug=municipality.slug, user=user.email, role=role)


def platform_role_grant(*, actor: User | None, user: User, role: PlatformRole) -> None:
    _require_platform_admin(actor)
    with transaction.atomic():
        PlatformRoleAssignment.objects.get_or_create(user=user, role=role)
        if role == PlatformRole.PLATFORM_ADMIN and not (user.is_staff and user.is_superuser):
            # Platform administrators run the Django and Wagtail admin.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        audit(actor=actor, action="platform_role.grant", user=user.email, role=str(role))


def platform_role_revoke(*, actor: User | None, user: User, role: PlatformRole) -> None:
    _require_platform_admin(actor)
    with transaction.atomic():
        PlatformRoleAssignment.objects.filter(user=user, role=role).delete()
        if role == PlatformRole.PLATFORM_ADMIN:
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        audit(actor=actor, action="platform_role.revoke", user=user.email, role=str(role))
