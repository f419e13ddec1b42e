"""Writes on communication actions and on the inbox of possible actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.agenda.models import Activity
from tenants.audit import audit
from tenants.communications import access
from tenants.communications.models import (
    ActionStatus,
    CommunicationAction,
    CommunicationSettings,
    Origin,
    SuggestionDecision,
    SuggestionSource,
)
from tenants.db import current_municipality, local_today
from tenants.initiatives.models import Aro, Milestone
from tenants.selectors import active_member_ids
from tenants.service_utils import bump, check_date, label, lock, required
from tenants.structure.validation import clean_text, collect, raise_if

ACTION_FIELDS = (
    "title", "origin", "activity", "milestone", "aro", "initiative", "message", "audience", "editor_id",
    "planned_date",
)  # fmt: skip
RELATIONS = ("themes", "places", "actors")
# Where an action may go by hand. PUBLISHED is also reached by the first successful
# publication; READY → PUBLISHED by hand is for pieces published outside the platform
# (a radio spot, a printed leaflet).
TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.IDENTIFIED: {ActionStatus.IN_PREPARATION, ActionStatus.DISCARDED},
    ActionStatus.IN_PREPARATION: {ActionStatus.IDENTIFIED, ActionStatus.READY, ActionStatus.DISCARDED},
    ActionStatus.READY: {ActionStatus.IN_PREPARATION, ActionStatus.PUBLISHED, ActionStatus.DISCARDED},
    ActionStatus.PUBLISHED: {ActionStatus.CLOSED},
    ActionStatus.CLOSED: {ActionStatus.PUBLISHED},
    ActionStatus.DISCARDED: {ActionStatus.IDENTIFIED},
}
# An action is planned within a year back (recorded late) and two years ahead.
PAST_DAYS, FUTURE_DAYS = 366, 731


def settings_for_municipality() -> CommunicationSettings:
    current_municipality()
    found = CommunicationSettings.objects.first()
    return found or CommunicationSettings.objects.create()


def settings_save(*, actor: User | None, require_approval: bool) -> CommunicationSettings:
    access.require_channel_manager(actor)
    with transaction.atomic():
        row = settings_for_municipality()
        row.require_approval = bool(require_approval)
        row.save()
        audit(actor=actor, action="communications.settings", object_type="communications", after={
            "require_approval": row.require_approval})  # fmt: skip
    return row


def _check_origin(errors: dict[str, list[str]], merged: dict[str, Any]) -> None:
    """The origin's link must match its kind; a milestone or opportunity brings its initiative."""
    origin = merged.get("origin") or Origin.INSTITUTIONAL
    if origin not in Origin.values:
        errors["origin"] = [_("Elija el origen de la acción.")]
        return
    needed = {Origin.ACTIVITY: "activity", Origin.MILESTONE: "milestone", Origin.OPPORTUNITY: "aro"}.get(origin)
    if needed and merged.get(needed) is None:
        errors[needed] = [_("Elija de qué %(origin)s nace la acción.") % {"origin": Origin(origin).label.lower()}]
    for name in ("activity", "milestone", "aro"):
        if name != needed:
            merged[name] = None
    aro: Aro | None = merged.get("aro")
    if aro is not None and aro.kind != "opportunity":
        errors["aro"] = [_("Solo una oportunidad puede originar una acción comunicacional.")]
    source = merged.get("milestone") or aro
    if source is not None:
        if merged.get("initiative") is not None and merged["initiative"].pk != source.initiative_id:
            errors["initiative"] = [_("La iniciativa no es la de la meta intermedia u oportunidad elegida.")]
        merged["initiative"] = source.initiative
    activity: Activity | None = merged.get("activity")
    if activity is not None and merged.get("initiative") is None and activity.initiative_id:
        merged["initiative"] = activity.initiative


def action_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    action: CommunicationAction | None = None,
    version: int | None = None,
) -> CommunicationAction:
    """Create or change an action's plan (not its status: see action_set_status)."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(action, version) if action is not None else None
        current: dict[str, Any] = {}
        if fresh is not None:
            current = {name: getattr(fresh, name) for name in ACTION_FIELDS}
            for rel in RELATIONS:
                current[rel] = list(getattr(fresh, rel).all())
        merged: dict[str, Any] = {**current, **data}
        errors: dict[str, list[str]] = {}
        title = collect(errors, "title", required, merged.get("title"), max_length=200)
        message = collect(errors, "message", required, merged.get("message"), max_length=4000)
        audience = collect(errors, "audience", required, merged.get("audience"), max_length=300)
        _check_origin(errors, merged)
        planned = check_date(errors, "planned_date", merged.get("planned_date"))
        today = local_today()
        moved = planned is not None and (fresh is None or planned != fresh.planned_date)
        if (
            moved
            and planned is not None
            and not (today - timedelta(days=PAST_DAYS) <= planned <= today + timedelta(days=FUTURE_DAYS))
        ):
            errors["planned_date"] = [_("Planifique dentro del último año y de los próximos dos años.")]
        editor_id = merged.get("editor_id")
        if editor_id is not None:
            unchanged = fresh is not None and fresh.editor_id == editor_id
            if not unchanged and int(editor_id) not in active_member_ids(current_municipality()):
                errors["editor_id"] = [_("La persona responsable debe ser miembro activo del municipio.")]
        for rel in RELATIONS:
            old = {item.pk for item in current.get(rel, [])}
            for item in merged.get(rel) or []:
                if not item.is_active and item.pk not in old:
                    errors[rel] = [_("«%(item)s» está archivado; restáurelo o elija otro.") % {"item": item}]
        raise_if(errors)
        assert planned is not None
        target = fresh or CommunicationAction(created_by_label=label(actor))
        if fresh is not None:
            bump(target)
        before = {"planned_date": str(target.planned_date), "editor_id": target.editor_id} if fresh else None
        target.title, target.message, target.audience = title, message, audience
        target.origin = merged.get("origin") or Origin.INSTITUTIONAL
        target.activity, target.milestone, target.aro = merged["activity"], merged["milestone"], merged["aro"]
        target.initiative = merged.get("initiative")
        source = target.activity or target.milestone or target.aro
        if source is not None:
            target.origin_label = str(source)[:250]
        target.editor_id = int(editor_id) if editor_id is not None else None
        target.planned_date = planned
        target.save()
        for rel in RELATIONS:
            if rel in merged:
                getattr(target, rel).set(merged[rel] or [])
        audit(
            actor=actor, action="communication.created" if fresh is None else "communication.changed",
            object_type="communication", object_id=target.pk, title=target.title, before=before,
            after={"planned_date": str(target.planned_date), "editor_id": target.editor_id},
        )  # fmt: skip
    return target


def action_set_status(
    *,
    actor: User | None,
    action: CommunicationAction,
    status: str,
    reason: str = "",
    results: str | None = None,
    version: int | None = None,
) -> CommunicationAction:
    """Move an action along identified → in preparation → ready → published → closed, or
    discard it (with a reason)."""
    access.require_editor(actor)
    with transaction.atomic():
        fresh = lock(action, version)
        errors: dict[str, list[str]] = {}
        if status not in ActionStatus.values:
            raise_if({"status": [_("Elija un estado.")]})
        if status == fresh.status:
            return fresh
        if status not in TRANSITIONS[fresh.status]:
            raise_if(
                {
                    "status": [
                        _("Una acción «%(current)s» no puede pasar a «%(new)s».")
                        % {"current": ActionStatus(fresh.status).label, "new": ActionStatus(status).label}
                    ]
                }
            )
        reason = collect(errors, "reason", clean_text, reason, max_length=2000)
        if status == ActionStatus.DISCARDED and not reason and "reason" not in errors:
            errors["reason"] = [_("Indique por qué se descarta la acción.")]
        if results is not None:
            fresh.results = collect(errors, "results", clean_text, results, max_length=4000)
        if status == ActionStatus.READY:
            pieces = list(fresh.pieces.all())
            if not pieces:
                errors["status"] = [_("Escriba al menos una pieza antes de marcar la acción como lista.")]
            elif settings_for_municipality().require_approval and not all(p.is_approved for p in pieces):
                errors["status"] = [_("Todas las piezas deben estar aprobadas antes de marcar la acción como lista.")]
        raise_if(errors)
        before = fresh.status
        bump(fresh)
        fresh.status = status
        fresh.discard_reason = reason if status == ActionStatus.DISCARDED else ""
        now = timezone.now()
        if status == ActionStatus.PUBLISHED and fresh.published_at is None:
            fresh.published_at = now
        fresh.closed_at = now if status == ActionStatus.CLOSED else None
        fresh.save()
        audit(
            actor=actor, action="communication.status", object_type="communication", object_id=fresh.pk,
            title=fresh.title, before={"status": before}, after={"status": status}, reason=reason,
        )  # fmt: skip
    return fresh


def mark_published(*, action_id: int) -> None:
    """The first successful publication moves a ready action to published (system write,
    inside the publication's transaction)."""
    action = CommunicationAction.objects.select_for_update().get(pk=action_id)
    if action.status in (ActionStatus.READY, ActionStatus.IN_PREPARATION, ActionStatus.IDENTIFIED):
        before = action.status
        bump(action)
        action.status = ActionStatus.PUBLISHED
        action.published_at = action.published_at or timezone.now()
        action.save()
        audit(
            actor=None, action="communication.status", object_type="communication", object_id=action.pk,
            title=action.title, before={"status": before}, after={"status": action.status},
        )  # fmt: skip


# ---------------------------------------------------------------------------------------
# The inbox of possible actions


def _source_object(source: str, source_id: int) -> Activity | Milestone | Aro:
    if source not in SuggestionSource.values:
        raise ValidationError(_("Origen de sugerencia desconocido."), code="invalid")
    found: Activity | Milestone | Aro | None
    if source == SuggestionSource.ACTIVITY:
        found = Activity.objects.filter(pk=source_id).first()
    elif source == SuggestionSource.MILESTONE:
        found = Milestone.objects.filter(pk=source_id).first()
    else:
        found = Aro.objects.filter(pk=source_id, kind="opportunity").first()
    if found is None:
        raise ValidationError(_("La sugerencia ya no existe: su origen fue borrado."), code="gone")
    return found


def _decide(actor: User | None, source: str, source_id: int, action: CommunicationAction | None) -> None:
    try:
        with transaction.atomic():
            SuggestionDecision.objects.create(
                source=source, source_id=source_id, accepted=action is not None, action=action,
                decided_by_label=label(actor),
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(_("Otra persona ya resolvió esta sugerencia."), code="decided") from exc


def suggestion_accept(
    *, actor: User | None, source: str, source_id: int, data: Mapping[str, Any] | None = None
) -> CommunicationAction:
    """Turn a possible action into an identified action, prefilled from its source."""
    access.require_editor(actor)
    with transaction.atomic():
        obj = _source_object(source, source_id)
        prefill: dict[str, Any] = {"origin": source, "editor_id": actor.pk if actor is not None else None}
        if isinstance(obj, Activity):
            prefill |= {
                "activity": obj, "title": obj.title, "planned_date": obj.starts_at.astimezone(
                    timezone.get_current_timezone()).date(),
                "themes": list(obj.themes.all()), "places": [obj.place] if obj.place else [],
                "actors": list(obj.actors.all()),
            }  # fmt: skip
        elif isinstance(obj, Milestone):
            prefill |= {
                "milestone": obj, "title": obj.name, "planned_date": max(obj.completed_on or obj.due_date,
                                                                         local_today()),
                "themes": list(obj.initiative.themes.all()), "places": list(obj.places.all()),
                "actors": list(obj.actors.all()),
            }  # fmt: skip
        else:
            prefill |= {
                "aro": obj, "title": obj.description[:200], "planned_date": local_today(),
                "themes": list(obj.initiative.themes.all()), "places": list(obj.initiative.places.all()),
            }  # fmt: skip
        prefill["message"] = prefill["title"]
        prefill["audience"] = _("Población del municipio")
        # Only active structure items travel; archived ones would be refused.
        for rel in RELATIONS:
            prefill[rel] = [item for item in prefill.get(rel, []) if item.is_active]
        if prefill["editor_id"] is not None and not access.can_edit(actor):
            prefill["editor_id"] = None
        action = action_save(actor=actor, data={**prefill, **(data or {})})
        _decide(actor, source, source_id, action)
    return action


def suggestion_dismiss(*, actor: User | None, source: str, source_id: int) -> None:
    access.require_editor(actor)
    with transaction.atomic():
        _source_object(source, source_id)
        _decide(actor, source, source_id, None)
        audit(actor=actor, action="communication.suggestion_dismissed", object_type=source, object_id=source_id)


__all__ = [
    "action_save",
    "action_set_status",
    "mark_published",
    "settings_save",
    "suggestion_accept",
    "suggestion_dismiss",
]
