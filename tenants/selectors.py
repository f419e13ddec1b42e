"""Reads on municipalities and memberships (public schema)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.accounts.models import User
from tenants.models import Invitation, Membership, Municipality
from tenants.roles import REGIONAL_ROLES, SDG_ROLES, MunicipalRole, PlatformRole


def platform_roles_of(user: User | None) -> frozenset[str]:
    """A person's platform roles; a superuser is a platform administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = set(user.platform_roles.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(PlatformRole.PLATFORM_ADMIN)
    return frozenset(roles)


def has_platform_role(user: User | None, role: PlatformRole) -> bool:
    return role in platform_roles_of(user)


def is_regional_team(user: User | None) -> bool:
    """The regional team, or a platform administrator (who may do what it does)."""
    return bool(platform_roles_of(user) & REGIONAL_ROLES)


def has_sdg_role(user: User | None) -> bool:
    """An SDG specialist, the regional team or a platform administrator: who works on the
    SDG alignment (and may see shared initiatives that are not public)."""
    return bool(platform_roles_of(user) & SDG_ROLES)


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).prefetch_related("domains").first()


def active_municipality(slug: str) -> Municipality | None:
    """An active municipality by its slug (pages about a municipality show nothing of an
    inactive one)."""
    return Municipality.objects.filter(slug=slug, is_active=True).first()


def all_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.prefetch_related("domains").order_by("-is_active", "name")


def active_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).prefetch_related("domains").order_by("name")


def user_roles_in(user: User, municipality: Municipality) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(Membership.objects.filter(user=user, municipality=municipality).values_list("role", flat=True))


def user_workspaces(user: User) -> list[tuple[Municipality, list[str]]]:
    """The municipalities a user belongs to, with their role labels."""
    rows: dict[int, tuple[Municipality, list[str]]] = {}
    memberships = (
        Membership.objects.filter(user=user, municipality__is_active=True)
        .select_related("municipality")
        .prefetch_related("municipality__domains")
        .order_by("municipality__name", "role")
    )
    for membership in memberships:
        entry = rows.setdefault(membership.municipality_id, (membership.municipality, []))
        entry[1].append(str(MunicipalRole(membership.role).label))
    return list(rows.values())


def workspace_members(municipality: Municipality) -> list[tuple[User, list[str]]]:
    members: dict[int, tuple[User, list[str]]] = {}
    for membership in (
        Membership.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ):
        members.setdefault(membership.user_id, (membership.user, []))[1].append(membership.role)
    return list(members.values())


def member_count(municipality: Municipality) -> int:
    return Membership.objects.filter(municipality=municipality).values("user").distinct().count()


def pending_invitations(municipality: Municipality) -> QuerySet[Invitation]:
    return Invitation.objects.open().filter(municipality=municipality).order_by("-created_at")


def active_member_ids(municipality: Municipality) -> set[int]:
    """Account ids of the municipality's members whose accounts are active."""
    return set(
        Membership.objects.filter(municipality=municipality, user__is_active=True).values_list("user_id", flat=True)
    )


def user_names(ids: set[int]) -> dict[int, str]:
    """Display names (name, else email) of accounts by id, in one query."""
    if not ids:
        return {}
    rows = User.objects.filter(pk__in=ids).values_list("pk", "full_name", "email")
    return {pk: (name or email) for pk, name, email in rows}
