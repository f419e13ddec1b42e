"""Who may do what with the mayor's agenda."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.roles import MunicipalRole as R
from tenants.structure.access import can_see_contacts, roles_of

# Who keeps the agenda: registers activities and requests, answers requests, records tasks.
AGENDA_EDITORS = frozenset({R.AGENDA_MANAGER, R.MAYOR, R.SYSTEM_COUNTERPART})
# Who sees the mayor's private activities (others see public ones and those they take part in).
PRIVATE_VIEWERS = AGENDA_EDITORS


def can_edit(user: User | None) -> bool:
    return user is None or bool(roles_of(user) & AGENDA_EDITORS)


def sees_private(user: User | None) -> bool:
    return user is None or bool(roles_of(user) & PRIVATE_VIEWERS)


def sees_contacts(user: User | None) -> bool:
    """Requesters' email, phone and letters are personal data: for those who keep the agenda
    and those who contact people (structure.access.ACTOR_CONTACT_VIEWERS)."""
    return can_edit(user) or can_see_contacts(roles_of(user))


def require_editor(user: User | None) -> None:
    if not can_edit(user):
        raise PermissionDenied(_("Su rol no permite cambiar la agenda."))
