"""What every initiative service shares: the municipality's today, people, locking, auditing."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.db import current_municipality
from tenants.initiatives.models import Initiative
from tenants.selectors import active_member_ids
from tenants.structure.validation import clean_text

M = TypeVar("M", bound=models.Model)


def label(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else "system"


def member_ids() -> set[int]:
    return active_member_ids(current_municipality())


def check_member(errors: dict[str, list[str]], field: str, user_id: int | None, *, required: bool) -> None:
    if user_id is None:
        if required:
            errors[field] = [_("Elija una persona.")]
        return
    if user_id not in member_ids():
        errors[field] = [_("La persona elegida no es miembro de este municipio.")]


def lock(instance: M, version: int | None) -> M:
    """Re-read the row for update and refuse if someone saved it since the form was read.
    Call inside a transaction."""
    fresh = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not None and fresh.version != version:  # type: ignore[attr-defined]
        raise ValidationError(
            _(
                "Otra persona guardó cambios en «%(item)s» mientras usted lo editaba. "
                "Recargue la página para ver la versión actual; sus cambios no se guardaron."
            )
            % {"item": fresh},
            code="stale",
        )
    return fresh


def lock_initiative(pk: int) -> Initiative:
    """The initiative's current row, locked until the transaction ends: writes on an
    initiative and its milestones queue here, so their checks read a state nobody changes
    meanwhile. Call inside a transaction."""
    return Initiative.objects.select_for_update().get(pk=pk)


def bump(instance: Any) -> None:
    instance.version += 1


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


# Dates far outside a government's horizon are typing mistakes (and break date arithmetic).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def check_date(errors: dict[str, list[str]], field: str, value: Any, *, required: bool = True) -> date | None:
    if not isinstance(value, date):
        if required:
            errors[field] = [_("Indique una fecha.")]
        return None
    if not EARLIEST <= value <= LATEST:
        errors[field] = [
            _("La fecha debe estar entre %(first)s y %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
        ]
        return None
    return value


def changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def required(value: Any, *, max_length: int) -> str:
    """A text that must be given (cleaner for `collect`)."""
    text = clean_text(value, max_length=max_length)
    if not text:
        raise ValidationError(_("Este campo es obligatorio."))
    return text
