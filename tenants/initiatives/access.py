"""Who may do what with priority initiatives. The rules follow the method's three levels:
the initiative's manager (level 1), institutional follow-up / the goals committee (level 2)
and the mayor's office (level 3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.initiatives.models import Aro, Initiative
from tenants.roles import MunicipalRole as R
from tenants.structure.access import roles_of

# Who may register a new initiative and program it.
PROGRAMMERS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR, R.INSTITUTIONAL_FOLLOW_UP, R.INITIATIVE_MANAGER})
# Who may change any initiative (an initiative manager changes only those they manage).
OVERSEERS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR, R.INSTITUTIONAL_FOLLOW_UP})
# Who may set up the cycle and the ARO types.
SETTINGS_EDITORS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR})
# Who moderates and answers citizens' opinions.
MODERATORS = frozenset({R.SYSTEM_COUNTERPART, R.MAYOR, R.COMMUNICATIONS_EDITOR})
# The roles that sit at each level of escalation.
LEVEL_ROLES = {1: frozenset({R.INITIATIVE_MANAGER}), 2: frozenset({R.INSTITUTIONAL_FOLLOW_UP}), 3: frozenset({R.MAYOR})}


def _uid(user: User | None) -> int | None:
    return user.pk if user is not None else None


def is_system(user: User | None) -> bool:
    return user is None


def can_program(user: User | None) -> bool:
    return bool(roles_of(user) & PROGRAMMERS)


def can_edit(user: User | None, initiative: Initiative) -> bool:
    if is_system(user) or roles_of(user) & OVERSEERS:
        return True
    return _uid(user) in (initiative.manager_id, initiative.follow_up_id) and bool(roles_of(user))


def can_report(user: User | None, initiative: Initiative) -> bool:
    """The weekly report is the manager's; follow-up may file it in the manager's absence."""
    if is_system(user):
        return True
    roles = roles_of(user)
    if _uid(user) in (initiative.manager_id, initiative.follow_up_id) and roles:
        return True
    return bool(roles & {R.INSTITUTIONAL_FOLLOW_UP})


def acts_at(user: User | None, initiative: Initiative) -> int:
    """The highest level at which this person may decide, escalate or send back (0: none).
    Someone at a higher level may also act on what sits lower."""
    if is_system(user):
        return 3
    roles = roles_of(user)
    if roles & LEVEL_ROLES[3]:
        return 3
    if roles & LEVEL_ROLES[2] or (_uid(user) == initiative.follow_up_id and roles):
        return 2
    if _uid(user) == initiative.manager_id and roles:
        return 1
    return 0


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Su rol no permite esta acción."))


def require_level(user: User | None, aro: Aro) -> None:
    if acts_at(user, aro.initiative) < aro.level:
        raise PermissionDenied(
            _("Esta ARO está en el nivel %(level)s; solo ese nivel o uno superior puede actuar sobre ella.")
            % {"level": aro.level}
        )


def can_moderate(user: User | None) -> bool:
    return bool(roles_of(user) & MODERATORS)


def can_edit_settings(user: User | None) -> bool:
    return bool(roles_of(user) & SETTINGS_EDITORS)
