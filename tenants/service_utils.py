"""Small helpers every write service uses: who acted, optimistic locking, required text,
dates within a government's horizon, archived items not newly chosen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.structure.validation import clean_text

M = TypeVar("M", bound=models.Model)


def label(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else "system"


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


def bump(instance: Any) -> None:
    instance.version += 1


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


def required(value: Any, *, max_length: int) -> str:
    """A text that must be given (cleaner for `collect`)."""
    text = clean_text(value, max_length=max_length)
    if not text:
        raise ValidationError(_("Este campo es obligatorio."))
    return text


def check_not_archived(
    errors: dict[str, list[str]], field: str, chosen: Iterable[Any], *, linked: Iterable[int | None] = ()
) -> None:
    """Archived actors, themes, places and people stay linked to what already pointed at them
    (`linked`: their ids), but are not newly chosen."""
    kept = set(linked)
    for item in chosen:
        if item is not None and not item.is_active and item.pk not in kept:
            errors[field] = [_("«%(item)s» está archivado; restáurelo o elija otro.") % {"item": item}]
