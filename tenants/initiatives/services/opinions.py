"""Citizens' opinions on public initiatives: submitted without an account, published only
after moderation, answered publicly by the municipality."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.initiatives import access
from tenants.initiatives.models import Initiative, Opinion, OpinionStatus
from tenants.service_utils import label, required
from tenants.structure.validation import clean_text, collect, raise_if

# At most this many opinions per sender address per hour in the municipality.
OPINIONS_PER_HOUR = 3
# A form filled faster than this was filled by a program.
MIN_SECONDS_TO_FILL = 3
MAX_LINKS = 2
_FORM_SALT = "initiatives.opinion-form"
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def form_token() -> str:
    """A signed timestamp the opinion form carries, to tell people from scripts."""
    return signing.TimestampSigner(salt=_FORM_SALT).sign("opinion")


def sender_hash(address: str) -> str:
    key = settings.SECRET_KEY
    return hmac.new(key.encode() if isinstance(key, str) else key, address.encode(), hashlib.sha256).hexdigest()


def opinion_submit(
    *, initiative: Initiative, author_name: str, text: str, address: str, token: str, honeypot: str = ""
) -> Opinion:
    from tenants.initiatives.selectors import PUBLIC_STATUSES

    if not initiative.is_public or initiative.status not in PUBLIC_STATUSES:
        raise ValidationError(_("Esta iniciativa no es pública."))
    errors: dict[str, list[str]] = {}
    name = collect(errors, "author_name", clean_text, author_name, max_length=100)
    body = collect(errors, "text", required, text, max_length=2000)
    if body and len(body) < 10:
        errors["text"] = [_("Escriba al menos 10 caracteres.")]
    if body and len(_LINK.findall(body)) > MAX_LINKS:
        errors["text"] = [_("Incluya como máximo %(n)s enlaces.") % {"n": MAX_LINKS}]
    spam = bool(honeypot.strip())
    try:
        signing.TimestampSigner(salt=_FORM_SALT).unsign(token, max_age=timedelta(hours=6))
        age = (timezone.now() - _signed_at(token)).total_seconds()
        spam = spam or age < MIN_SECONDS_TO_FILL
    except signing.BadSignature:
        errors["__all__"] = [_("El formulario caducó. Vuelva a cargar la página y escriba su opinión otra vez.")]
    if spam:
        errors["__all__"] = [_("No pudimos recibir su opinión. Espere unos segundos e inténtelo de nuevo.")]
    raise_if(errors)
    who = sender_hash(address)
    with transaction.atomic():
        # Serialise one sender's submissions: a row lock would not cover the first ones
        # (nothing to lock yet), so parallel requests could all pass the count.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"opinion:{who}"])
        recent = Opinion.objects.filter(sender_hash=who, created_at__gte=timezone.now() - timedelta(hours=1))
        if recent.count() >= OPINIONS_PER_HOUR:
            raise ValidationError(
                _("Ya envió %(n)s opiniones en la última hora. Inténtelo más tarde.") % {"n": OPINIONS_PER_HOUR}
            )
        return Opinion.objects.create(initiative=initiative, author_name=name, text=body, sender_hash=who)


def _signed_at(token: str) -> datetime:
    # A TimestampSigner token is "value:timestamp:signature".
    timestamp = token.rsplit(":", 2)[-2]
    return datetime.fromtimestamp(signing.b62_decode(timestamp), tz=UTC)


def opinion_moderate(*, actor: User | None, opinion: Opinion, status: str, reply: str | None = None) -> Opinion:
    access.require(access.can_moderate(actor))
    errors: dict[str, list[str]] = {}
    if status not in OpinionStatus.values:
        errors["status"] = [_("Elija publicar o rechazar.")]
    answer = collect(errors, "reply", clean_text, reply, max_length=4000) if reply is not None else None
    if answer and status != OpinionStatus.APPROVED:
        errors["reply"] = [_("Solo se responden públicamente las opiniones publicadas.")]
    raise_if(errors)
    with transaction.atomic():
        fresh = Opinion.objects.select_for_update().get(pk=opinion.pk)
        before = fresh.status
        fresh.status = status
        fresh.moderated_by_label, fresh.moderated_at = label(actor), timezone.now()
        if answer is not None and answer != fresh.reply:
            fresh.reply = answer
            fresh.replied_at = timezone.now() if answer else None
        fresh.save()
        audit(
            actor=actor, action="opinion.moderated", object_type="initiative", object_id=fresh.initiative_id,
            opinion=fresh.pk, before={"status": before}, after={"status": status}, replied=bool(fresh.reply),
        )  # fmt: skip
    return fresh
