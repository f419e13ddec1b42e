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
    AgendaSettings,
    Request,
    RequestAttachment,
    RequestChannel,
    RequestKind,
    RequestStatus,
    RequestTransition,
)
from tenants.agenda.services.activities import activity_save, check_moment
from tenants.audit import audit
from tenants.db import local_today, local_tz
from tenants.service_utils import EARLIEST, LATEST, bump, check_not_archived, label, lock
from tenants.structure.models import NetworkMember
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
# What a citizen may ask through the public form, and what the form may set.
PUBLIC_KINDS = (RequestKind.AUDIENCE, RequestKind.INVITATION)
PUBLIC_FIELDS = (
    "kind", "subject", "description", "contact_name", "contact_organisation", "contact_email", "contact_phone",
    "proposed_start", "proposed_end", "proposed_notes",
)  # fmt: skip
UNANSWERED_DAYS_RANGE = (1, 90)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(local_tz())


def _next_reference(now: datetime) -> str:
    """SOL-<year>-<number>, numbered per municipality and year without gaps in normal use.
    An advisory lock (per schema) makes concurrent registrations take turns."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':agenda-reference'))")
    # The municipality's year: a request registered on 31 December evening is of that year.
    prefix = f"SOL-{_local(now).year}-"
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
    if len(email) > 254:
        errors["contact_email"] = [_("Admite como máximo %(n)s caracteres.") % {"n": 254}]
    elif email:
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


def _check_archived(merged: Mapping[str, Any], fresh: Request | None, errors: dict[str, list[str]]) -> None:
    """Archived actors, themes and places stay linked to history but are not newly chosen."""
    check_not_archived(errors, "requester", [merged.get("requester")], linked=[fresh.requester_id] if fresh else [])
    for rel in ("themes", "places"):
        old = [item.pk for item in getattr(fresh, rel).all()] if fresh is not None else []
        check_not_archived(errors, rel, merged.get(rel) or [], linked=old)


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
        if fresh is not None and fresh.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
            errors["attachments"] = [_("Una solicitud tiene como máximo %(n)s adjuntos.") % {"n": MAX_ATTACHMENTS}]
        _check_archived(merged, fresh, errors)
        # Left empty: now for a new request, unchanged for one being corrected.
        received = merged.get("received_at") or (fresh.received_at if fresh is not None else timezone.now())
        if not isinstance(received, datetime) or timezone.is_naive(received):
            errors["received_at"] = [_("Indique la fecha y la hora.")]
        elif received > timezone.now() + timedelta(minutes=5):
            errors["received_at"] = [_("La fecha de recepción no puede ser futura.")]
        elif received.date() < EARLIEST:
            errors["received_at"] = [
                _("La fecha debe estar entre %(first)s y %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
            ]
        raise_if(errors)
        now = timezone.now()
        if fresh is None:
            # Waiting starts when the letter or call arrived, not when it was typed in.
            since = min(received, now)
            target = Request(reference=_next_reference(now), status=RequestStatus.RECEIVED, status_since=since)
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
                request=target, from_status="", to_status=RequestStatus.RECEIVED, at=since, actor_label=label(actor)
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

    # Only what the form asks: a citizen does not choose the channel, the requester actor,
    # the date of receipt, themes or places.
    clean: dict[str, Any] = {key: data.get(key) for key in PUBLIC_FIELDS if key in data}
    clean.update(channel=RequestChannel.WEB_FORM, requester=None)
    errors: dict[str, list[str]] = {}
    _clean(clean, errors)  # every mistake at once, with the public form's own words below
    if clean.get("kind") not in PUBLIC_KINDS:
        errors["kind"] = [_("Elija si pide una audiencia o invita al titular.")]
    if not str(clean.get("contact_name") or "").strip():
        errors["contact_name"] = [_("Escriba su nombre.")]
    if not str(clean.get("contact_email") or "").strip() and not str(clean.get("contact_phone") or "").strip():
        errors["contact_email"] = [_("Indique un correo electrónico o un teléfono para responderle.")]
    start = clean.get("proposed_start")
    if isinstance(start, datetime) and timezone.is_aware(start) and start < timezone.now():
        errors["proposed_start"] = [_("La fecha propuesta no puede ser pasada.")]
    raise_if(errors)
    with transaction.atomic():
        check_rate(scope="agenda-request", sender=sender, model=Request, per_hour=3)
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
            if not isinstance(delegated_to, NetworkMember) or not delegated_to.is_active:
                errors["delegated_to"] = [_("Elija a quién se delega.")]
            if not isinstance(delegated_due, date) or isinstance(delegated_due, datetime):
                errors["delegated_due"] = [_("Indique el plazo.")]
            elif delegated_due < local_today():
                errors["delegated_due"] = [_("El plazo no puede ser pasado.")]
            elif delegated_due > LATEST or delegated_due < EARLIEST:
                errors["delegated_due"] = [
                    _("La fecha debe estar entre %(first)s y %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
                ]
        raise_if(errors)
        if to_status == RequestStatus.ACCEPTED:
            proposed = {"starts_at": fresh.proposed_start, "ends_at": fresh.proposed_end}
            if fresh.proposed_start and not fresh.proposed_end:
                proposed["ends_at"] = fresh.proposed_start + timedelta(hours=1)
            # Archived actors, themes and places stay on the request but are not carried over
            # (the activity would refuse them); a long subject is cut to an activity's title.
            requester = fresh.requester
            payload = {
                "title": fresh.subject[:200],
                "kind": KIND_TO_ACTIVITY[RequestKind(fresh.kind)],
                "status": ActivityStatus.CONFIRMED,
                "actors": [requester] if requester is not None and requester.is_active else [],
                "themes": list(fresh.themes.filter(is_active=True)),
                "place": fresh.places.filter(is_active=True).order_by("pk").first(),
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


def agenda_settings_save(*, actor: User | None, unanswered_days: Any) -> AgendaSettings:
    """After how many days without an answer a request is highlighted."""
    access.require_editor(actor)
    low, high = UNANSWERED_DAYS_RANGE
    if not isinstance(unanswered_days, int) or isinstance(unanswered_days, bool) or not low <= unanswered_days <= high:
        raise ValidationError(
            {"unanswered_days": [_("Indique un número de días entre %(low)s y %(high)s.") % {"low": low, "high": high}]}
        )
    with transaction.atomic():
        settings, _created = AgendaSettings.objects.select_for_update().get_or_create(pk=1)
        old = settings.unanswered_days
        settings.unanswered_days = unanswered_days
        settings.save()
        audit(
            actor=actor, action="agenda.settings_changed", object_type="agenda_settings", object_id=1,
            before={"unanswered_days": old}, after={"unanswered_days": unanswered_days},
        )  # fmt: skip
    return settings
