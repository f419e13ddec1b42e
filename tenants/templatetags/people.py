"""How recorded people read on pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def who(label: str) -> str:
    """A recorded actor's name; "system" (commands, demo data, imports) in the reader's language."""
    return _("el sistema") if label in ("", "system") else label
