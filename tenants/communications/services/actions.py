"""Writes on communication actions and on the inbox of possible actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.agenda import interface as agenda_interface
from tenants.agenda.models import Activity
from tenants.audit import audit
from tenants.communications import access
from tenants.communications.models import (
    SETTINGS_PK,
    ActionStatus,
    CommunicationAction,
    CommunicationSettings,
    Origin,
    SuggestionDecision,
    SuggestionSource,
)
from tenants.db import current_municipality, local_today, local_tz
from tenants.initiatives import interface as initiatives_interface
from tenants.initiatives.models import Aro, Milestone
from tenants.selectors import active_member_ids
from tenants.service_utils import bump, check_date, check_not_archived, label, lock, required
from tenants.structure.models import Actor, Place, Theme
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
    """The municipality's one settings row. Migration 0004 creates it in every schema (and
    the template new municipalities are cloned from), so reading never writes; the fallback
    only covers a schema whose row was deleted by hand."""
    current_municipality()
    return CommunicationSettings.objects.get_or_create(pk=SETTINGS_PK)[0]


def settings_save(*, actor: User | None, require_approval: bool) -> CommunicationSettings:
    """Turn approval on or off. Those who approve decide it: an editor must not be able to
    switch off the check on their own pieces."""
    access.require_approver(actor)
    with transaction.atomic():
        row = settings_for_municipality()
        row.require_approval = bool(require_approval)
        row.save()
        audit(actor=actor, action="communications.settings", object_type="communications", after={
            "require_approval": row.require_approval})  # fmt: skip
    return row


def _check_origin(errors: dict[str, list[str]], merged: dict[str, Any], previous: Activity | None = None) -> None:
    """The origin's link must match its kind; a milestone or opportunity brings its initiative.
    A private activity is no origin (`previous`: the activity the action already had, which
    stays even if it was made private since)."""
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
    if activity is not None and not activity.is_public and (previous is None or previous.pk != activity.pk):
        errors["activity"] = [
            _("Una actividad privada no puede originar una acción comunicacional: lo privado no sale de la agenda.")
        ]
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
        _check_origin(errors, merged, current.get("activity"))
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
            check_not_archived(errors, rel, merged.get(rel) or [], linked=[item.pk for item in current.get(rel, [])])
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


def _offered(source: str, source_id: int) -> dict[str, Any]:
    """The source as the inbox would offer it (plain data from the agenda or initiatives),
    or a refusal: only a public, non-cancelled activity, a milestone flagged as a
    communication opportunity or an open communicational opportunity may become an action."""
    if source not in SuggestionSource.values:
        raise ValidationError(_("Origen de sugerencia desconocido."), code="invalid")
    if source == SuggestionSource.ACTIVITY:
        row = agenda_interface.communication_source(source_id)
    else:
        row = initiatives_interface.communication_source(source, source_id)
    if row is None:
        raise ValidationError(
            _("La sugerencia ya no existe o ya no se ofrece: su origen fue borrado o cambió."), code="gone"
        )
    return row


def _check_undecided(source: str, source_id: int) -> None:
    if SuggestionDecision.objects.filter(source=source, source_id=source_id).exists():
        raise ValidationError(_("Otra persona ya resolvió esta sugerencia."), code="decided")


def _check_unlinked(source: str, source_id: int) -> None:
    """An action made by hand from the same source already answers the suggestion (the inbox
    does not offer it either)."""
    field = {"activity": "activity", "milestone": "milestone"}.get(source, "aro")
    existing = CommunicationAction.objects.filter(**{field: source_id}).first()
    if existing is not None:
        raise ValidationError(
            _("Ya hay una acción comunicacional de este origen: «%(title)s».") % {"title": existing.title},
            code="linked",
        )


def _decide(actor: User | None, source: str, source_id: int, action: CommunicationAction | None) -> None:
    try:
        with transaction.atomic():
            SuggestionDecision.objects.create(
                source=source, source_id=source_id, accepted=action is not None, action=action,
                decided_by_label=label(actor),
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(_("Otra persona ya resolvió esta sugerencia."), code="decided") from exc


def _active(model: type[Model], ids: list[int]) -> list[Any]:
    """Only active structure items travel to the action; archived ones would be refused."""
    return list(model._default_manager.filter(pk__in=ids, is_active=True).order_by("pk")) if ids else []


def suggestion_accept(
    *, actor: User | None, source: str, source_id: int, data: Mapping[str, Any] | None = None
) -> CommunicationAction:
    """Turn a possible action into an identified action, prefilled from its source. Only
    what the inbox would offer: not a private or cancelled activity, an unflagged milestone,
    another kind of ARO, nor a source already decided or already given an action."""
    access.require_editor(actor)
    with transaction.atomic():
        row = _offered(source, source_id)
        _check_undecided(source, source_id)
        _check_unlinked(source, source_id)
        prefill: dict[str, Any] = {
            "origin": source, "editor_id": actor.pk if actor is not None else None, "title": row["title"],
            "themes": _active(Theme, row["theme_ids"]), "places": _active(Place, row["place_ids"]),
            "actors": _active(Actor, row["actor_ids"]),
        }  # fmt: skip
        if source == SuggestionSource.ACTIVITY:
            # The local day of the municipality, whatever zone the request runs in.
            starts_at: datetime = row["starts_at"]
            prefill |= {
                "activity": Activity.objects.get(pk=row["id"]),
                "planned_date": starts_at.astimezone(local_tz()).date(),
            }
        elif source == SuggestionSource.MILESTONE:
            prefill |= {
                "milestone": Milestone.objects.get(pk=row["id"]),
                "planned_date": max(row["completed_on"] or row["due_date"], local_today()),
            }
        else:
            prefill |= {"aro": Aro.objects.get(pk=row["id"]), "planned_date": local_today()}
        prefill["message"] = prefill["title"]
        prefill["audience"] = _("Población del municipio")
        action = action_save(actor=actor, data={**prefill, **(data or {})})
        _decide(actor, source, source_id, action)
    return action


def suggestion_dismiss(*, actor: User | None, source: str, source_id: int) -> None:
    access.require_editor(actor)
    with transaction.atomic():
        _offered(source, source_id)
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
