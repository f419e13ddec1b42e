"""Who may do what with communication actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.roles import MunicipalRole as R
from tenants.structure.access import roles_of

# Who plans actions, writes pieces and publishes them.
EDITORS = frozenset({R.COMMUNICATIONS_EDITOR, R.MAYOR, R.SYSTEM_COUNTERPART})
# Who approves a piece before it goes out (when the municipality requires approval).
APPROVERS = frozenset({R.MAYOR, R.SYSTEM_COUNTERPART})
# Who configures channels and their credentials.
CHANNEL_MANAGERS = frozenset({R.COMMUNICATIONS_EDITOR, R.SYSTEM_COUNTERPART})


def can_edit(user: User | None) -> bool:
    return user is None or bool(roles_of(user) & EDITORS)


def can_approve(user: User | None) -> bool:
    return user is None or bool(roles_of(user) & APPROVERS)


def can_manage_channels(user: User | None) -> bool:
    return user is None or bool(roles_of(user) & CHANNEL_MANAGERS)


def require_editor(user: User | None) -> None:
    if not can_edit(user):
        raise PermissionDenied(_("Su rol no permite cambiar la comunicación."))


def require_approver(user: User | None) -> None:
    if not can_approve(user):
        raise PermissionDenied(_("Solo el titular o la contraparte del sistema aprueban piezas."))


def require_channel_manager(user: User | None) -> None:
    if not can_manage_channels(user):
        raise PermissionDenied(_("Su rol no permite configurar canales."))
