"""Limits and helpers shared by the SDG alignment services."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ods_alignment.models import (
    AlignmentCase,
    AlignmentEvent,
)
from tenants.accounts.models import User
from tenants.models import Membership
from tenants.selectors import is_regional_team
from tenants.service_utils import bump, lock
from tenants.structure.validation import clean_text

MIN_SPECIALISTS = 2
MAX_JUSTIFICATION = 5000
MAX_EVIDENCE = 5000
MAX_REASON = 5000
MAX_TITLE = 1000
# Automatic agreement: kappa at least this and the same goals (see _evaluate).
AGREEMENT_KAPPA = 0.8
# A local target extends its parent's code by one segment: "11.2" → "11.2.1", "11.2.b".
LOCAL_SEGMENT = re.compile(r"^[0-9a-z]{1,3}$")

Selection = Mapping[Any, str] | Iterable[Any]


# --- Who may do what ------------------------------------------------------------------------


def _require_team(actor: User | None, message: str) -> None:
    if actor is None or not is_regional_team(actor):
        raise PermissionDenied(message)


def _require_team_or_lead(actor: User | None, case: AlignmentCase) -> None:
    if actor is None or not (is_regional_team(actor) or actor.pk == case.lead_id):
        raise PermissionDenied(_("Solo el equipo regional o la persona líder del caso pueden hacer esto."))


def has_conflict(user: User, municipality_id: int) -> bool:
    """A member of the initiative's own municipality cannot align it (conflict of interest)."""
    return Membership.objects.filter(user=user, municipality_id=municipality_id).exists()


def _event(case: AlignmentCase | None, actor: User | None, action: str, **detail: Any) -> None:
    AlignmentEvent.objects.create(case=case, actor=actor, action=action, detail=detail)


def _text(field: str, value: Any, *, max_length: int, required: bool = True) -> str:
    try:
        text = clean_text(value, max_length=max_length)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if required and not text:
        raise ValidationError({field: [_("Este campo es obligatorio.")]})
    return text


def _locked(case: AlignmentCase) -> AlignmentCase:
    return lock(case, None)


def _save(case: AlignmentCase, fields: list[str]) -> None:
    bump(case)
    case.save(update_fields=[*fields, "version", "updated_at"])
