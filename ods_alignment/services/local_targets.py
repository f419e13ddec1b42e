"""Local targets: the regional team localises the agenda under official targets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ods_alignment.models import (
    Target,
    sort_key,
)
from ods_alignment.services._common import (
    LOCAL_SEGMENT,
    MAX_TITLE,
    _event,
    _require_team,
    _text,
)
from tenants.accounts.models import User

# --- Local targets --------------------------------------------------------------------------


def local_target_create(
    *, actor: User, parent: Target, code: str, title_es: str, title_en: str = "", title_fr: str = ""
) -> Target:
    """A local target under an official one, as municipalities localise the agenda.

    The code is the parent's plus one segment of 1-3 digits or lower-case letters ("11.2.1").
    It may coincide with an official *indicator* code (11.2.1 is also an indicator): targets
    and indicators are separate lists, alignments only ever hold target codes, and the issue
    itself uses "11.2.1" as the example; pages show local targets with a "local" label. It may
    not repeat an existing target code."""
    _require_team(actor, _("Solo el equipo regional puede añadir metas locales."))
    errors: dict[str, list[str]] = {}
    if parent.is_local:
        errors["parent"] = [_("Una meta local se añade bajo una meta oficial, no bajo otra meta local.")]
    code = (code or "").strip().lower()
    head, _sep, segment = code.rpartition(".")
    if not code:
        errors["code"] = [_("Indique un código.")]
    elif head != parent.code.lower() or not LOCAL_SEGMENT.match(segment):
        errors["code"] = [
            _(
                "El código debe ser el de la meta %(parent)s seguido de un punto y hasta 3 números "
                "o letras minúsculas, por ejemplo %(parent)s.1."
            )
            % {"parent": parent.code}
        ]
    elif Target.objects.filter(code__iexact=code).exists():
        errors["code"] = [_("Ya existe una meta con el código %(code)s.") % {"code": code}]
    titles: dict[str, str] = {}
    for language, value, required in (("es", title_es, True), ("en", title_en, False), ("fr", title_fr, False)):
        try:
            titles[f"title_{language}"] = _text(f"title_{language}", value, max_length=MAX_TITLE, required=required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Two people adding the same code at once: the parent's row lock orders them and the
        # second sees the first's target instead of hitting the unique constraint.
        Target.objects.select_for_update().filter(pk=parent.pk).first()
        if Target.objects.filter(code__iexact=code).exists():
            raise ValidationError({"code": [_("Ya existe una meta con el código %(code)s.") % {"code": code}]})
        target = Target.objects.create(
            goal_id=parent.goal_id,
            code=code,
            sort_key=sort_key(code),
            is_local=True,
            parent=parent,
            created_by=actor,
            **titles,
        )
        _event(None, actor, "target.local_create", code=code, parent=parent.code)
    return target
