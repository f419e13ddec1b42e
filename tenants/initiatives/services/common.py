"""What every initiative service shares: the municipality's today, people, locking, auditing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.db import current_municipality
from tenants.initiatives.models import Initiative
from tenants.selectors import active_member_ids


def member_ids() -> set[int]:
    return active_member_ids(current_municipality())


def check_member(errors: dict[str, list[str]], field: str, user_id: int | None, *, required: bool) -> None:
    if user_id is None:
        if required:
            errors[field] = [_("Elija una persona.")]
        return
    if user_id not in member_ids():
        errors[field] = [_("La persona elegida no es miembro de este municipio.")]


def lock_initiative(pk: int) -> Initiative:
    """The initiative's current row, locked until the transaction ends: writes on an
    initiative and its milestones queue here, so their checks read a state nobody changes
    meanwhile. Call inside a transaction."""
    return Initiative.objects.select_for_update().get(pk=pk)


def record(
    *, actor: User | None, action: str, initiative_id: int, before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None, **data: Any,
) -> None:  # fmt: skip
    """One audit row per change that matters for accountability: who, when, before, after.
    All of an initiative's history is filed under it, so its page reads it in one query."""
    payload = {k: v for k, v in data.items() if v is not None}
    if before is not None:
        payload["before"] = _plain(before)
    if after is not None:
        payload["after"] = _plain(after)
    audit(actor=actor, action=action, object_type="initiative", object_id=initiative_id, **payload)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe values: dates as ISO strings, decimals and others as text."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif value is None or isinstance(value, int | bool | str | list):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
