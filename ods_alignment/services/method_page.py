"""Editing the public method page (/ods/metodo/): the regional team's text in Spanish and
English. Every save adds a revision (who, when, what), so the history is the table itself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ods_alignment.models import MethodPageRevision
from ods_alignment.services._common import _require_team
from tenants.accounts.models import User

MAX_METHOD_TEXT = 20_000


def _stale() -> ValidationError:
    return ValidationError(
        {
            "version": [
                ValidationError(
                    _(
                        "Otra persona guardó cambios en la página del método mientras usted la editaba. "
                        "Recargue la página para ver la versión actual; sus cambios no se guardaron."
                    ),
                    code="stale",
                )
            ]
        }
    )


def _clean(field: str, value: Any, *, required: bool, errors: dict[str, list[str]]) -> str:
    text = "" if value is None else str(value)
    # One line-ending convention, so lengths and comparisons mean the same for every browser.
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        errors[field] = [_("El texto contiene caracteres no válidos.")]
    elif len(text) > MAX_METHOD_TEXT:
        errors[field] = [
            _("Admite como máximo %(n)s caracteres; tiene %(length)s.") % {"n": MAX_METHOD_TEXT, "length": len(text)}
        ]
    elif required and not text:
        errors[field] = [_("Escriba el texto en español: es el que se muestra cuando falta otro idioma.")]
    return text


def method_page_save(*, actor: User, body_es: str, body_en: str, version: int | None) -> MethodPageRevision:
    """Save the method page's text as a new revision. `version` is the revision the editor
    read (0 for the default text); a save over a newer one is refused. Saving the same text
    again writes nothing and returns the current revision."""
    _require_team(actor, _("Solo el equipo regional puede editar la página del método."))
    errors: dict[str, list[str]] = {}
    texts = {
        "body_es": _clean("body_es", body_es, required=True, errors=errors),
        "body_en": _clean("body_en", body_en, required=False, errors=errors),
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = MethodPageRevision.objects.select_for_update().order_by("-version").first()
        current_version = current.version if current is not None else 0
        if version is not None and version != current_version:
            raise _stale()
        if current is not None and (current.body_es, current.body_en) == (texts["body_es"], texts["body_en"]):
            return current
        try:
            # Two first saves race with no row to lock: the unique version refuses the second.
            with transaction.atomic():
                return MethodPageRevision.objects.create(
                    version=current_version + 1, edited_by=actor, edited_at=timezone.now(), **texts
                )
        except IntegrityError:
            raise _stale() from None
