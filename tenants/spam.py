"""What keeps scripts out of the public forms (citizens' opinions, requests to the mayor):
a signed timestamp the form carries (too fast or too old is refused), a honeypot field,
a link limit, and a per-sender hourly limit counted on a keyed hash of the address, so the
address itself is never stored."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

# A form filled faster than this was filled by a program.
MIN_SECONDS_TO_FILL = 3
MAX_FORM_AGE = timedelta(hours=6)
MAX_LINKS = 2
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def form_token(salt: str) -> str:
    """A signed timestamp for a public form."""
    return signing.TimestampSigner(salt=salt).sign("form")


def signed_at(token: str) -> datetime:
    # A TimestampSigner token is "value:timestamp:signature".
    timestamp = token.rsplit(":", 2)[-2]
    return datetime.fromtimestamp(signing.b62_decode(timestamp), tz=UTC)


def check_form(errors: dict[str, list[str]], *, salt: str, token: str, honeypot: str) -> None:
    """Refuse a form whose token is forged or expired, that came back too fast, or whose
    honeypot a program filled in. The message does not tell a script which trap it hit."""
    try:
        signing.TimestampSigner(salt=salt).unsign(token, max_age=MAX_FORM_AGE)
    except signing.BadSignature:
        errors["__all__"] = [_("El formulario caducó. Vuelva a cargar la página y escriba su mensaje otra vez.")]
        return
    too_fast = (timezone.now() - signed_at(token)).total_seconds() < MIN_SECONDS_TO_FILL
    if too_fast or honeypot.strip():
        errors["__all__"] = [_("No pudimos recibir su mensaje. Espere unos segundos e inténtelo de nuevo.")]


def check_links(errors: dict[str, list[str]], field: str, text: str) -> None:
    if text and len(_LINK.findall(text)) > MAX_LINKS:
        errors[field] = [_("Incluya como máximo %(n)s enlaces.") % {"n": MAX_LINKS}]


def sender_hash(address: str) -> str:
    key = settings.SECRET_KEY
    return hmac.new(key.encode() if isinstance(key, str) else key, address.encode(), hashlib.sha256).hexdigest()


def check_rate(*, scope: str, sender: str, model: type[models.Model], per_hour: int) -> None:
    """At most `per_hour` rows of `model` from this sender in the last hour. Call inside the
    transaction that creates the row: the advisory lock makes one sender's submissions take
    turns (a row lock would not cover the first ones, with nothing yet to lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{scope}:{sender}"])
    recent = model._default_manager.filter(sender_hash=sender, created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= per_hour:
        raise ValidationError(
            _("Ya envió %(n)s mensajes en la última hora. Inténtelo más tarde.") % {"n": per_hour}, code="rate"
        )
