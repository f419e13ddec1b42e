"""Citizens' opinions on public initiatives: submitted without an account, published only
after moderation, answered publicly by the municipality."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants import spam
from tenants.accounts.models import User
from tenants.audit import audit
from tenants.initiatives import access
from tenants.initiatives.models import Initiative, Opinion, OpinionStatus
from tenants.service_utils import label, required
from tenants.structure.validation import clean_text, collect, raise_if

# At most this many opinions per sender address per hour in the municipality.
OPINIONS_PER_HOUR = 3
FORM_SALT = "initiatives.opinion-form"


def form_token() -> str:
    """A signed timestamp the opinion form carries, to tell people from scripts."""
    return spam.form_token(FORM_SALT)


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
    spam.check_links(errors, "text", body or "")
    spam.check_form(errors, salt=FORM_SALT, token=token, honeypot=honeypot)
    raise_if(errors)
    who = spam.sender_hash(address)
    with transaction.atomic():
        spam.check_rate(scope="opinion", sender=who, model=Opinion, per_hour=OPINIONS_PER_HOUR)
        return Opinion.objects.create(initiative=initiative, author_name=name, text=body, sender_hash=who)


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
