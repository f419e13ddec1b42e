"""Who may change and who may see what in the municipal structure."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.db import current_municipality
from tenants.roles import MunicipalRole as R
from tenants.selectors import user_roles_in

# Themes, places, areas, positions and the network shape the whole municipality's work.
STRUCTURE_EDITORS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR})
# Actors are added day to day by the people who deal with them.
ACTOR_EDITORS = STRUCTURE_EDITORS | {R.AGENDA_MANAGER, R.INITIATIVE_MANAGER, R.COMMUNICATIONS_EDITOR}
# Actors' contact data (personal data) is for those who contact them.
ACTOR_CONTACT_VIEWERS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR, R.AGENDA_MANAGER, R.COMMUNICATIONS_EDITOR})


def roles_of(user: User | None) -> frozenset[str]:
    """The person's roles here (None is the system itself: commands, demo data). Cached on
    the user object, so a 10,000-row import asks the database once."""
    if user is None:
        return frozenset(R.values)
    municipality = current_municipality()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_structure_roles", {})
    if municipality.pk not in cache:
        cache[municipality.pk] = user_roles_in(user, municipality)
    return cache[municipality.pk]


def require(user: User | None, allowed: frozenset[str]) -> None:
    if not roles_of(user) & allowed:
        raise PermissionDenied(_("Su rol no permite cambiar estos datos."))


def can_see_contacts(roles: frozenset[str]) -> bool:
    return bool(roles & ACTOR_CONTACT_VIEWERS)
