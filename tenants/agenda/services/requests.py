"""Requests to the mayor (solicitudes): register, submit from the public form, and move them
through received → in analysis → accepted / declined / delegated → closed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.agenda import access
from tenants.agenda.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Request,
    RequestAttachment,
    RequestChannel,
    RequestKind,
    RequestStatus,
    RequestTransition,
)
from tenants.agenda.services.activities import activity_save, check_moment
from tenants.audit import audit
from tenants.service_utils import EARLIEST, LATEST, bump, label, lock
from tenants.structure.validation import clean_text, collect, raise_if
from tenants.uploads import check_upload

# Where a request may go from each state.
TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.RECEIVED: {
        RequestStatus.IN_ANALYSIS,
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.DELEGATED,
    },
    RequestStatus.IN_ANALYSIS: {RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.DELEGATED},
    RequestStatus.ACCEPTED: {RequestStatus.CLOSED},
    RequestStatus.DECLINED: {RequestStatus.CLOSED},
    RequestStatus.DELEGATED: {RequestStatus.CLOSED},
    RequestStatus.CLOSED: set(),
}
ANSWERS = (RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.DELEGATED)
KIND_TO_ACTIVITY = {
    RequestKind.INVITATION: ActivityKind.EVENT,
    RequestKind.AUDIENCE: ActivityKind.AUDIENCE,
    RequestKind.DIRECT_ATTENTION: ActivityKind.AUDIENCE,
}
MAX_ATTACHMENTS = 5


def _next_reference(now: datetime) -> str:
    """SOL-<year>-<number>, numbered per municipality and year without gaps in normal use.
    An advisory lock (per schema) makes concurrent registrations take turns."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':agenda-reference'))")
    prefix = f"SOL-{now.year}-"
    last = (
        Request.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _clean(merged: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    if merged.get("kind") not in RequestKind.values:
        errors["kind"] = [_("Elija el tipo de solicitud.")]
    if merged.get("channel") not in RequestChannel.values:
        errors["channel"] = [_("Elija el canal por el que llegó.")]
    subject = collect(errors, "subject", clean_text, merged.get("subject"), max_length=250)
    if not subject and "subject" not in errors:
        errors["subject"] = [_("Indique el asunto.")]
    values = {
        "subject": subject,
        "description": collect(errors, "description", clean_text, merged.get("description"), max_length=10000),
        "contact_name": collect(errors, "contact_name", clean_text, merged.get("contact_name"), max_length=150),
        "contact_organisation": collect(
            errors, "contact_organisation", clean_text, merged.get("contact_organisation"), max_length=200
        ),
        "contact_phone": collect(errors, "contact_phone", clean_text, merged.get("contact_phone"), max_length=40),
        "proposed_notes": collect(errors, "proposed_notes", clean_text, merged.get("proposed_notes"), max_length=250),
    }
    email = (merged.get("contact_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Escriba un correo electrónico válido.")]
    values["contact_email"] = email
    requester = merged.get("requester")
    if requester is None and not (values["contact_name"] or values["contact_organisation"]):
        errors["contact_name"] = [_("Elija un actor o escriba el nombre de quien solicita.")]
    values["requester"] = requester
    start, end = merged.get("proposed_start"), merged.get("proposed_end")
    if start is not None:
        start = check_moment(errors, "proposed_start", start)
    if end is not None:
        end = check_moment(errors, "proposed_end", end)
        if start and end and end <= start:
            errors["proposed_end"] = [_("El fin debe ser posterior al inicio.")]
    values["proposed_start"], values["proposed_end"] = start, end
    return values


def request_register(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    attachments: Sequence[UploadedFile] = (),
    request: Request | None = None,
    version: int | None = None,
) -> Request:
    """Register a request received by any channel (or correct one)."""
    access.require_editor(actor)
    errors: dict[str, list[str]] = {}
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Adjunte como máximo %(n)s archivos.") % {"n": MAX_ATTACHMENTS}]
    for file in attachments:
        collect(errors, "attachments", check_upload, file)
    with transaction.atomic():
        fresh = lock(request, version) if request is not None else None
        current = {f.name: getattr(fresh, f.name) for f in Request._meta.concrete_fields} if fresh else {}
        if fresh is not None:
            current["requester"] = fresh.requester
        merged = {**current, **data}
        values = _clean(merged, errors)
        received = merged.get("received_at") or timezone.now()
        if not isinstance(received, datetime) or received > timezone.now() + timedelta(minutes=5):
            errors["received_at"] = [_("La fecha de recepción no puede ser futura.")]
        raise_if(errors)
        now = timezone.now()
        if fresh is None:
            target = Request(reference=_next_reference(now), status=RequestStatus.RECEIVED, status_since=now)
        else:
            target = fresh
            bump(target)
        target.kind, target.channel, target.received_at = merged["kind"], merged["channel"], received
        for key, value in values.items():
            setattr(target, key, value)
        target.save()
        for rel in ("themes", "places"):
            if rel in merged:
                getattr(target, rel).set(merged[rel] or [])
        for file in attachments:
            RequestAttachment.objects.create(request=target, file=file, original_name=(file.name or "")[:255])
        if fresh is None:
            RequestTransition.objects.create(
                request=target, from_status="", to_status=RequestStatus.RECEIVED, at=now, actor_label=label(actor)
            )
        audit(
            actor=actor, action="request.registered" if fresh is None else "request.changed",
            object_type="request", object_id=target.pk, reference=target.reference,
        )  # fmt: skip
    return target


def request_submit_public(*, data: Mapping[str, Any], sender: str) -> Request:
    """A request sent through the municipality's public form (no login). The caller has
    checked the form's spam traps; `sender` is a keyed hash of the address, used to limit
    how many a sender may send."""
    from tenants.spam import check_rate

    with transaction.atomic():
        check_rate(scope="agenda-request", sender=sender, model=Request, per_hour=3)
        clean = {**data, "channel": RequestChannel.WEB_FORM, "requester": None}
        created = request_register(actor=None, data=clean)
        created.sender_hash = sender
        created.save(update_fields=["sender_hash"])
    return created


def request_transition(
    *,
    actor: User | None,
    request: Request,
    to_status: str,
    note: str = "",
    reply: str = "",
    delegated_to: Any = None,
    delegated_due: date | None = None,
    activity_data: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> Request:
    """Move a request to its next state. Accepting creates the activity (from
    `activity_data`, else from the proposed dates) and links it; declining needs the reply;
    delegating needs the network member and a due date."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(request, version)
        errors: dict[str, list[str]] = {}
        text = collect(errors, "note", clean_text, note, max_length=4000)
        answer = collect(errors, "reply", clean_text, reply, max_length=4000)
        if to_status not in RequestStatus.values:
            raise ValidationError({"to_status": [_("Elija un estado.")]})
        if to_status not in TRANSITIONS[fresh.status]:
            if to_status == RequestStatus.ACCEPTED and fresh.status == RequestStatus.ACCEPTED:
                message = _("Esta solicitud ya fue aceptada.")
            else:
                message = _("Una solicitud «%(current)s» no puede pasar a «%(new)s».") % {
                    "current": RequestStatus(fresh.status).label,
                    "new": RequestStatus(to_status).label,
                }
            raise ValidationError({"to_status": [message]})
        activity: Activity | None = None
        if to_status == RequestStatus.DECLINED and not answer:
            errors["reply"] = [_("Escriba la respuesta que recibirá quien solicitó.")]
        if to_status == RequestStatus.DELEGATED:
            if delegated_to is None or not getattr(delegated_to, "is_active", False):
                errors["delegated_to"] = [_("Elija a quién se delega.")]
            if not isinstance(delegated_due, date):
                errors["delegated_due"] = [_("Indique el plazo.")]
            elif delegated_due < timezone.localdate() or delegated_due > LATEST or delegated_due < EARLIEST:
                errors["delegated_due"] = [_("El plazo no puede ser pasado.")]
        raise_if(errors)
        if to_status == RequestStatus.ACCEPTED:
            proposed = {"starts_at": fresh.proposed_start, "ends_at": fresh.proposed_end}
            if fresh.proposed_start and not fresh.proposed_end:
                proposed["ends_at"] = fresh.proposed_start + timedelta(hours=1)
            payload = {
                "title": fresh.subject,
                "kind": KIND_TO_ACTIVITY[RequestKind(fresh.kind)],
                "status": ActivityStatus.CONFIRMED,
                "actors": [fresh.requester] if fresh.requester_id else [],
                "themes": list(fresh.themes.all()),
                "place": fresh.places.first(),
                "preparation_notes": fresh.description,
                **proposed,
                **(activity_data or {}),
            }
            try:
                activity, _overlaps = activity_save(actor=actor, data=payload)
            except ValidationError as exc:
                # The activity's field errors belong to the acceptance form.
                raise ValidationError(exc.message_dict) from exc
            fresh.activity = activity
        now = timezone.now()
        old = fresh.status
        fresh.status, fresh.status_since = to_status, now
        if to_status in ANSWERS and fresh.answered_at is None:
            fresh.answered_at = now
        if answer:
            fresh.reply = answer
        if to_status == RequestStatus.DELEGATED:
            fresh.delegated_to, fresh.delegated_due = delegated_to, delegated_due
        bump(fresh)
        fresh.save()
        RequestTransition.objects.create(
            request=fresh, from_status=old, to_status=to_status, note=text or answer, at=now, actor_label=label(actor)
        )
        audit(
            actor=actor, action="request.transition", object_type="request", object_id=fresh.pk,
            before={"status": old}, after={"status": to_status},
            activity=activity.pk if activity else None,
        )  # fmt: skip
    return fresh
