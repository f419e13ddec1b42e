"""Writes on municipalities, memberships and invitations (public schema).

Every function is keyword-only, validates its input, runs in one transaction and records an
audit event. Provisioning in particular creates the schema, the rows and the first
administrator in a single transaction: if anything fails, or the process dies midway,
PostgreSQL rolls all of it back and no half-made municipality is left.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants import schemas
from tenants.accounts.models import User
from tenants.audit import audit
from tenants.db import in_public_schema
from tenants.models import Country, Domain, Invitation, Membership, Municipality
from tenants.roles import MunicipalRole, PlatformRole
from tenants.validators import schema_name_for, validate_slug, validate_time_zone


@dataclass(frozen=True)
class ProvisioningResult:
    municipality: Municipality
    admin: User
    admin_created: bool
    invitation_token: str | None  # set when the administrator must choose a password


def _require_public() -> None:
    if not in_public_schema():
        raise RuntimeError("Platform services run in the public schema only.")


def user_has_platform_role(user: User | None, role: PlatformRole) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.platform_roles.filter(role=role).exists()


def _require_platform_admin(actor: User | None) -> None:
    # `actor=None` is the system itself (management commands run by an operator).
    if actor is not None and not user_has_platform_role(actor, PlatformRole.PLATFORM_ADMIN):
        raise PermissionDenied(_("Solo la administración de la plataforma puede hacer esto."))


def domain_for(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def _validate_municipality(
    *, name: str, slug: str, country: str, region: str, population: int | None, time_zone: str, language: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def check(field: str, fn: object, value: object) -> None:
        try:
            fn(value)  # type: ignore[operator]
        except ValidationError as exc:
            errors.setdefault(field, []).extend(str(m) for m in exc.messages)

    if not name.strip():
        errors["name"] = [_("Indique el nombre del municipio.")]
    elif len(name) > 150:
        errors["name"] = [_("El nombre admite como máximo 150 caracteres.")]
    check("slug", validate_slug, slug)
    if "slug" not in errors and Municipality.objects.filter(slug=slug).exists():
        errors["slug"] = [_("Ya existe un municipio con el identificador «%(slug)s».") % {"slug": slug}]
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


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    first administrator (the system counterpart), all or nothing."""
    _require_public()
    _require_platform_admin(actor)
    slug = slug.strip()
    admin_email = admin_email.strip().lower()
    errors = _validate_municipality(
        name=name,
        slug=slug,
        country=country,
        region=region,
        population=population,
        time_zone=time_zone,
        language=default_language,
    )
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [_("Indique un correo electrónico válido para la primera persona administradora.")]
    if errors:
        raise ValidationError(errors)

    schema_name = schema_name_for(slug)
    token: str | None = None
    try:
        with transaction.atomic():
            if schemas.schema_exists(schema_name):
                raise ValidationError({"slug": [_("Ya existe un esquema para «%(slug)s».") % {"slug": slug}]})
            schemas.clone_template(schema_name)
            municipality = Municipality.objects.create(
                schema_name=schema_name,
                name=name.strip(),
                slug=slug,
                country=country,
                region=region.strip(),
                population=population,
                time_zone=time_zone,
                default_language=default_language,
            )
            Domain.objects.create(domain=domain_for(slug), tenant=municipality, is_primary=True)
            admin = User.objects.filter(email__iexact=admin_email).first()
            admin_created = admin is None
            if admin is None:
                admin = User.objects.create_user(email=admin_email, password=admin_password, full_name=admin_name)
            Membership.objects.create(user=admin, municipality=municipality, role=MunicipalRole.SYSTEM_COUNTERPART)
            if admin_created and not admin_password:
                token = _create_invitation(
                    municipality=municipality,
                    email=admin_email,
                    roles=[MunicipalRole.SYSTEM_COUNTERPART],
                    invited_by=actor,
                )
            audit(actor=actor, action="municipality.create", slug=slug, admin=admin_email)
    except IntegrityError as exc:
        # Two requests for the same slug at once: the loser gets the same answer as a
        # sequential duplicate.
        raise ValidationError(
            {"slug": [_("Ya existe un municipio con el identificador «%(slug)s».") % {"slug": slug}]}
        ) from exc
    return ProvisioningResult(municipality, admin, admin_created, token)


def municipality_deactivate(*, actor: User | None, municipality: Municipality) -> Municipality:
    _require_public()
    _require_platform_admin(actor)
    with transaction.atomic():
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
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
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
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
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
        schemas.drop_schema(municipality.schema_name)
        slug = municipality.slug
        municipality.delete(force_drop=False)
        audit(actor=actor, action="municipality.delete", slug=slug)


# --- Memberships and invitations ------------------------------------------------------------


def can_manage_members(user: User, municipality: Municipality) -> bool:
    return Membership.objects.filter(
        user=user, municipality=municipality, role__in=[MunicipalRole.SYSTEM_COUNTERPART, MunicipalRole.MAYOR]
    ).exists()


def _clean_roles(roles: list[str]) -> list[str]:
    cleaned = sorted(set(roles))
    if not cleaned:
        raise ValidationError({"roles": [_("Elija al menos un rol.")]})
    unknown = [r for r in cleaned if r not in MunicipalRole.values]
    if unknown:
        raise ValidationError({"roles": [_("Rol desconocido: %(roles)s.") % {"roles": ", ".join(unknown)}]})
    return cleaned


def _create_invitation(*, municipality: Municipality, email: str, roles: list[str], invited_by: User | None) -> str:
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        roles=roles,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    from tenants.tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(invitation_id=invitation.pk, token=token))
    return token


def invitation_create(
    *, actor: User, municipality: Municipality, email: str, roles: list[str]
) -> tuple[Invitation, str]:
    """Invite someone to a municipality by email; returns the invitation and its token."""
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
        Invitation.objects.filter(
            municipality=municipality, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        token = _create_invitation(municipality=municipality, email=email, roles=roles, invited_by=actor)
        invitation = Invitation.objects.get(token_hash=hash_token(token))
        audit(actor=actor, action="invitation.create", slug=municipality.slug, email=email, roles=roles)
    return invitation, token


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
        if invitation.accepted_at or invitation.revoked_at or invitation.expires_at < timezone.now():
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
            from django.contrib.auth.password_validation import validate_password

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


def membership_set_roles(*, actor: User, municipality: Municipality, user: User, roles: list[str]) -> list[str]:
    """Replace a member's roles; an empty list removes the person from the municipality."""
    if not can_manage_members(actor, municipality):
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular pueden cambiar roles."))
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in MunicipalRole.values]
    if unknown:
        raise ValidationError({"roles": [_("Rol desconocido: %(roles)s.") % {"roles": ", ".join(unknown)}]})
    with transaction.atomic():
        remaining_admins = (
            Membership.objects.select_for_update()
            .filter(municipality=municipality, role=MunicipalRole.SYSTEM_COUNTERPART)
            .exclude(user=user)
            .count()
        )
        if MunicipalRole.SYSTEM_COUNTERPART not in cleaned and remaining_admins == 0:
            raise ValidationError({"roles": [_("El municipio debe conservar al menos una contraparte del sistema.")]})
        Membership.objects.filter(municipality=municipality, user=user).exclude(role__in=cleaned).delete()
        for role in cleaned:
            Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
        audit(actor=actor, action="membership.set_roles", slug=municipality.slug, user=user.email, roles=cleaned)
    return cleaned


def platform_role_grant(*, actor: User | None, user: User, role: PlatformRole) -> None:
    _require_platform_admin(actor)
    from tenants.accounts.models import PlatformRoleAssignment

    with transaction.atomic():
        PlatformRoleAssignment.objects.get_or_create(user=user, role=role)
        if role == PlatformRole.PLATFORM_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit(actor=actor, action="platform_role.grant", user=user.email, role=str(role))
