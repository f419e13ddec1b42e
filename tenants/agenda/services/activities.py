"""Writes on the mayor's activities."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.agenda import access
from tenants.agenda.models import Activity, ActivityKind, ActivityStatus
from tenants.audit import audit
from tenants.service_utils import EARLIEST, LATEST, bump, check_not_archived, label, lock
from tenants.structure.validation import clean_text, collect, raise_if

ACTIVITY_FIELDS = (
    "title", "kind", "is_public", "starts_at", "ends_at", "place", "address", "initiative", "milestone",
    "preparation_notes", "outcome_notes", "status",
)  # fmt: skip
RELATIONS = ("actors", "themes", "participants")
MAX_SPAN = timedelta(days=31)
# Where an activity's status may go (a done activity can be reopened as confirmed; a
# cancelled one can come back as tentative or confirmed).
STATUS_CHANGES: dict[str, set[str]] = {
    ActivityStatus.TENTATIVE: {ActivityStatus.CONFIRMED, ActivityStatus.DONE, ActivityStatus.CANCELLED},
    ActivityStatus.CONFIRMED: {ActivityStatus.TENTATIVE, ActivityStatus.DONE, ActivityStatus.CANCELLED},
    ActivityStatus.DONE: {ActivityStatus.CONFIRMED},
    ActivityStatus.CANCELLED: {ActivityStatus.TENTATIVE, ActivityStatus.CONFIRMED},
}


def check_moment(errors: dict[str, list[str]], field: str, value: Any) -> datetime | None:
    """An aware date and time within a government's horizon."""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        errors[field] = [_("Indique la fecha y la hora.")]
        return None
    if not EARLIEST <= value.date() <= LATEST:
        errors[field] = [
            _("La fecha debe estar entre %(first)s y %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
        ]
        return None
    return value


def overlapping(starts_at: datetime, ends_at: datetime, *, exclude: int | None = None) -> list[Activity]:
    """The mayor's other confirmed activities that share some time with this span."""
    qs = Activity.objects.filter(status=ActivityStatus.CONFIRMED, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs.order_by("starts_at"))


def activity_save(
    *, actor: User | None, data: Mapping[str, Any], activity: Activity | None = None, version: int | None = None
) -> tuple[Activity, list[Activity]]:
    """Create or change an activity. Returns it with the mayor's confirmed activities it
    overlaps: an overlap is flagged, not refused (the agenda manager decides)."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(activity, version) if activity is not None else None
        current: dict[str, Any] = {}
        if fresh is not None:
            current = {name: getattr(fresh, name) for name in ACTIVITY_FIELDS}
            for rel in RELATIONS:
                current[rel] = list(getattr(fresh, rel).all())
        merged = {**current, **data}
        errors: dict[str, list[str]] = {}
        title = collect(errors, "title", clean_text, merged.get("title"), max_length=200)
        if not title and "title" not in errors:
            errors["title"] = [_("Indique un título.")]
        if merged.get("kind") not in ActivityKind.values:
            errors["kind"] = [_("Elija el tipo de actividad.")]
        status = merged.get("status") or ActivityStatus.TENTATIVE
        if status not in ActivityStatus.values:
            errors["status"] = [_("Elija un estado.")]
        elif fresh is not None and status != fresh.status and status not in STATUS_CHANGES[fresh.status]:
            errors["status"] = [
                _("Una actividad «%(current)s» no puede pasar a «%(new)s».")
                % {"current": ActivityStatus(fresh.status).label, "new": ActivityStatus(status).label}
            ]
        starts = check_moment(errors, "starts_at", merged.get("starts_at"))
        ends = check_moment(errors, "ends_at", merged.get("ends_at"))
        if status == ActivityStatus.DONE and starts is not None and starts > timezone.now():
            # Also for the form and the API, not only for activity_set_status.
            errors["status"] = [_("Una actividad futura no puede estar realizada.")]
        if starts and ends:
            if ends <= starts:
                errors["ends_at"] = [_("El fin debe ser posterior al inicio.")]
            elif ends - starts > MAX_SPAN:
                errors["ends_at"] = [_("Una actividad dura como máximo 31 días.")]
        address = collect(errors, "address", clean_text, merged.get("address"), max_length=250)
        preparation = collect(
            errors, "preparation_notes", clean_text, merged.get("preparation_notes"), max_length=10000
        )
        outcome = collect(errors, "outcome_notes", clean_text, merged.get("outcome_notes"), max_length=10000)
        place = merged.get("place")
        check_not_archived(errors, "place", [place], linked=[fresh.place_id] if fresh else [])
        initiative, milestone = merged.get("initiative"), merged.get("milestone")
        if milestone is not None:
            if initiative is None:
                initiative = milestone.initiative
            elif milestone.initiative_id != initiative.pk:
                errors["milestone"] = [_("La meta intermedia no es de la iniciativa elegida.")]
        for rel in RELATIONS:
            check_not_archived(errors, rel, merged.get(rel) or [], linked=[item.pk for item in current.get(rel, [])])
        raise_if(errors)
        assert starts is not None and ends is not None

        target = fresh or Activity(created_by_label=label(actor))
        before = {"starts_at": target.starts_at, "ends_at": target.ends_at, "status": target.status} if fresh else {}
        if fresh is not None:
            bump(target)
        target.title, target.kind, target.is_public = title, merged["kind"], bool(merged.get("is_public"))
        target.starts_at, target.ends_at, target.status = starts, ends, status
        target.place, target.address = place, address
        target.initiative, target.milestone = initiative, milestone
        target.preparation_notes, target.outcome_notes = preparation, outcome
        target.save()
        for rel in RELATIONS:
            if rel in merged:
                getattr(target, rel).set(merged[rel] or [])
        after = {"starts_at": target.starts_at, "ends_at": target.ends_at, "status": target.status}
        audit(
            actor=actor, action="activity.created" if fresh is None else "activity.changed",
            object_type="activity", object_id=target.pk, title=target.title,
            before={k: str(v) for k, v in before.items()} or None,
            after={k: str(v) for k, v in after.items()},
        )  # fmt: skip
    # A cancelled or done activity no longer competes for the mayor's time.
    if status not in (ActivityStatus.TENTATIVE, ActivityStatus.CONFIRMED):
        return target, []
    return target, overlapping(starts, ends, exclude=target.pk)


def activity_set_status(
    *, actor: User | None, activity: Activity, status: str, outcome_notes: str | None = None, version: int | None = None
) -> Activity:
    """Confirm, mark as done (with what came out of it) or cancel an activity."""
    data: dict[str, Any] = {"status": status}
    if outcome_notes is not None:
        data["outcome_notes"] = outcome_notes
    saved, _overlaps = activity_save(actor=actor, data=data, activity=activity, version=version)
    return saved
