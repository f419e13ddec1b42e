"""Reads of the communications module: the inbox of possible actions, the list and the
editorial calendar (one filter function serves both, so their numbers agree), an action with
its pieces and publications, and the public news page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tenants.agenda import interface as agenda_interface
from tenants.communications.adapters import text_length
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Piece,
    PieceFile,
    Publication,
    PublicationStatus,
    SuggestionDecision,
)
from tenants.communications.services.actions import settings_for_municipality
from tenants.communications.services.pieces import IN_FLIGHT, change_refused_reason, channel_limit
from tenants.communications.services.publishing import check_publishable, text_for
from tenants.db import current_municipality, local_today, local_tz
from tenants.initiatives import interface as initiatives_interface
from tenants.selectors import user_names
from tenants.service_utils import EARLIEST, LATEST
from tenants.structure.models import Place, Theme

# The inbox looks two weeks back (what just happened) and six weeks ahead (what is coming).
INBOX_BACK_DAYS, INBOX_AHEAD_DAYS = 14, 42


@dataclass
class Suggestion:
    source: str  # activity | milestone | opportunity
    id: int
    title: str
    when: date
    detail: str  # what kind of thing it is, in words
    initiative: str = ""
    is_public: bool = True
    done: bool = False  # a completed milestone or a done activity: news now
    theme_ids: list[int] = field(default_factory=list)


def suggestions(today: date | None = None) -> list[Suggestion]:
    """Possible actions nobody has accepted or dismissed yet, soonest first."""
    today = today or local_today()
    start, end = today - timedelta(days=INBOX_BACK_DAYS), today + timedelta(days=INBOX_AHEAD_DAYS)
    # The municipality's days, whatever zone the request (or the person) runs in.
    tz = local_tz()
    decided = set(SuggestionDecision.objects.values_list("source", "source_id"))
    linked: set[tuple[str, int]] = set()
    for activity_id, milestone_id, aro_id in CommunicationAction.objects.exclude(
        activity=None, milestone=None, aro=None
    ).values_list("activity_id", "milestone_id", "aro_id"):
        linked |= {("activity", activity_id), ("milestone", milestone_id), ("opportunity", aro_id)}
    found: list[Suggestion] = []
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end, time.max), tz)
    for row in agenda_interface.communication_sources(lo, hi):
        found.append(
            Suggestion(
                source="activity", id=row["id"], title=row["title"], when=row["starts_at"].astimezone(tz).date(),
                detail=row["kind"], done=row["status"] == "done", theme_ids=row["theme_ids"],
            )
        )  # fmt: skip
    for row in initiatives_interface.communication_sources(start, end):
        found.append(
            Suggestion(
                source="milestone", id=row["id"], title=row["title"], when=row["completed_on"] or row["due_date"],
                detail="milestone", initiative=row["initiative"], is_public=row["initiative_is_public"],
                done=row["completed_on"] is not None, theme_ids=row["theme_ids"],
            )
        )  # fmt: skip
    for row in initiatives_interface.communication_opportunities():
        found.append(
            Suggestion(
                source="opportunity", id=row["id"], title=row["title"], when=row["raised_on"],
                detail="opportunity", initiative=row["initiative"], is_public=row["initiative_is_public"],
                theme_ids=row["theme_ids"],
            )
        )  # fmt: skip
    fresh = [s for s in found if (s.source, s.id) not in decided and (s.source, s.id) not in linked]
    # Done things first (they are news now), then by date.
    return sorted(fresh, key=lambda s: (not s.done, s.when, s.source, s.id))


def suggestion_count() -> int:
    return len(suggestions())


def actions(
    *,
    estado: str = "",
    origen: str = "",
    tema: Theme | None = None,
    lugar: Place | None = None,
    desde: date | None = None,
    hasta: date | None = None,
    q: str = "",
    editor: int | None = None,
    publicada_desde: date | None = None,
    publicada_hasta: date | None = None,
    por_aprobar: bool = False,
) -> QuerySet[CommunicationAction]:
    """The list's and the calendar's filters (the filter form's names). A theme or place
    includes the ones below it. `publicada_desde`/`publicada_hasta`: first published on
    those local days (the dashboard's "published this week")."""
    current_municipality()
    qs = CommunicationAction.objects.all()
    if estado == "abiertas":
        qs = qs.exclude(status__in=(ActionStatus.CLOSED, ActionStatus.DISCARDED))
    elif estado:
        qs = qs.filter(status=estado)
    if origen:
        qs = qs.filter(origin=origen)
    if tema is not None:
        qs = qs.filter(Q(themes=tema) | Q(themes__parent=tema) | Q(themes__parent__parent=tema))
    if lugar is not None:
        qs = qs.filter(
            Q(places=lugar) | Q(places__parent=lugar) | Q(places__parent__parent=lugar)
            | Q(places__parent__parent__parent=lugar)
        )  # fmt: skip
    if desde is not None:
        qs = qs.filter(planned_date__gte=max(desde, EARLIEST))
    if hasta is not None:
        qs = qs.filter(planned_date__lte=min(hasta, LATEST))
    if q.strip():
        text = q.strip()[:200]
        qs = qs.filter(
            Q(title__unaccent__icontains=text) | Q(message__unaccent__icontains=text)
            | Q(audience__unaccent__icontains=text)
        )  # fmt: skip
    if editor is not None:
        qs = qs.filter(editor_id=editor)
    if publicada_desde is not None:
        qs = qs.filter(published_at__gte=_local_midnight(max(publicada_desde, EARLIEST)))
    if publicada_hasta is not None:
        qs = qs.filter(published_at__lt=_local_midnight(min(publicada_hasta, LATEST) + timedelta(days=1)))
    if por_aprobar:
        qs = qs.filter(pk__in=awaiting_approval().values("action_id"))
    ids = qs.values("pk")
    return (
        CommunicationAction.objects.filter(pk__in=ids)
        .select_related("initiative")
        .prefetch_related("themes", "places")
        .order_by("planned_date", "pk")
    )


def awaiting_approval() -> QuerySet[Piece]:
    """Pieces of open actions whose current version nobody approved yet, when the
    municipality requires approval (what the mayor and the system counterpart owe)."""
    if not settings_for_municipality().require_approval:
        return Piece.objects.none()
    return (
        Piece.objects.exclude(action__status__in=(ActionStatus.CLOSED, ActionStatus.DISCARDED))
        .exclude(approved_version=F("version"))
        .select_related("action")
        .order_by("action__planned_date", "pk")
    )


def _local_midnight(day: date) -> datetime:
    """The start of a local day in the municipality's time zone, as an aware moment."""
    return datetime.combine(day, time.min, tzinfo=local_tz())


def status_counts() -> dict[str, int]:
    counts = dict.fromkeys(ActionStatus.values, 0)
    for status, n in CommunicationAction.objects.values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    return counts


@dataclass
class CalendarDay:
    day: date
    actions: list[CommunicationAction] = field(default_factory=list)
    is_today: bool = False
    in_range: bool = True


def calendar(first: date, last: date, month: date | None, **filters: Any) -> list[CalendarDay]:
    """Each day from `first` to `last` with the actions planned on it (a published action
    shows on its planned day; its publication dates are on its page)."""
    today = local_today()
    by_day: dict[date, list[CommunicationAction]] = defaultdict(list)
    for action in actions(desde=first, hasta=last, **filters):
        by_day[action.planned_date].append(action)
    days: list[CalendarDay] = []
    current = first
    while current <= last:
        in_range = month is None or (current.year, current.month) == (month.year, month.month)
        days.append(CalendarDay(current, by_day.get(current, []), current == today, in_range))
        current += timedelta(days=1)
    return days


def action_by_pk(pk: int) -> CommunicationAction:
    """An action with its pieces, their files, variants and publications (all members of the
    municipality may read actions)."""
    current_municipality()
    found = (
        CommunicationAction.objects.select_related("activity", "milestone", "aro", "initiative")
        .prefetch_related(
            "themes",
            "places",
            "actors",
            Prefetch(
                "pieces",
                queryset=Piece.objects.prefetch_related(
                    "files",
                    "variants__channel",
                    Prefetch("publications", queryset=Publication.objects.select_related("channel")),
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def piece_by_pk(action: CommunicationAction, pk: int) -> Piece:
    found = next((p for p in action.pieces.all() if p.pk == pk), None)
    if found is None:
        raise Http404
    return found


def publication_by_pk(pk: int) -> Publication:
    """A publication with its channel and piece (every member reads them, like actions)."""
    current_municipality()
    found = Publication.objects.select_related("channel", "piece").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------------------------------
# A piece on each channel: what the action's page and the API show before publishing


@dataclass
class ChannelBox:
    """A piece on one channel: its publication if any, the text's length against the
    channel's limit, and what to fix before it can be published there."""

    channel: Channel
    publication: Publication | None
    length: int
    limit: int | None
    reasons: list[str] = field(default_factory=list)  # what to fix before publishing

    @property
    def in_flight(self) -> bool:
        return self.publication is not None and self.publication.status in IN_FLIGHT

    @property
    def published(self) -> bool:
        return self.publication is not None and self.publication.status == PublicationStatus.PUBLISHED

    @property
    def failed(self) -> bool:
        return self.publication is not None and self.publication.status == PublicationStatus.FAILED

    @property
    def retry_due(self) -> bool:
        """Retrying, and its next attempt is past due: no worker took it, the editor may send it."""
        p = self.publication
        return (
            p is not None
            and p.status == PublicationStatus.RETRYING
            and p.next_attempt_at is not None
            and p.next_attempt_at <= timezone.now()
        )

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.length > self.limit


@dataclass
class PieceView:
    piece: Piece
    images: list[PieceFile]
    attachments: list[PieceFile]
    boxes: list[ChannelBox]
    # Why the piece may not change any more ("" while it may): see change_refused_reason.
    frozen: str = ""


def piece_boxes(piece: Piece, channels: list[Channel], require_approval: bool) -> list[ChannelBox]:
    """One box per channel: the given (active) ones, and any other the piece was already
    sent to. Reads the piece's prefetched variants and publications (action_by_pk);
    `require_approval`: the municipality's setting, read once for the whole page."""
    by_channel = {p.channel_id: p for p in piece.publications.all()}
    known = {c.pk for c in channels}
    shown = list(channels) + [p.channel for p in piece.publications.all() if p.channel_id not in known]
    boxes = []
    for channel in shown:
        publication = by_channel.get(channel.pk)
        text = publication.text if publication is not None and publication.text else text_for(piece, channel)
        box = ChannelBox(channel, publication, text_length(channel.kind, text), channel_limit(channel))
        if publication is None or publication.status == PublicationStatus.FAILED:
            problems = check_publishable(piece, channel, require_approval=require_approval)
            box.reasons = [m for found in problems.values() for m in found]
        boxes.append(box)
    return boxes


def piece_views(
    action: CommunicationAction, active: list[Channel] | None = None, require_approval: bool | None = None
) -> list[PieceView]:
    """Each piece of an action (from action_by_pk) with its files, one box per channel
    (`active`: the active channels; `require_approval`: the municipality's setting; each
    read here once if not given) and whether it may still change."""
    shown = active if active is not None else channels(active_only=True)
    if require_approval is None:
        require_approval = settings_for_municipality().require_approval
    return [piece_view(piece, shown, require_approval) for piece in action.pieces.all()]


def piece_view(piece: Piece, active: list[Channel] | None = None, require_approval: bool | None = None) -> PieceView:
    """One piece (from action_by_pk) as piece_views shows it."""
    shown = active if active is not None else channels(active_only=True)
    if require_approval is None:
        require_approval = settings_for_municipality().require_approval
    files = list(piece.files.all())
    return PieceView(
        piece,
        [f for f in files if f.is_image],
        [f for f in files if not f.is_image],
        piece_boxes(piece, shown, require_approval),
        change_refused_reason(piece.publications.all()) or "",
    )


def editor_names(rows: list[CommunicationAction]) -> dict[int, str]:
    return user_names({a.editor_id for a in rows if a.editor_id})


# ---------------------------------------------------------------------------------------
# The public news page: pieces published to the web channel, nothing else.


def _web_publications() -> QuerySet[Publication]:
    current_municipality()
    return Publication.objects.filter(channel__kind=ChannelKind.WEB, status=PublicationStatus.PUBLISHED)


def news(limit: int | None = None) -> list[Piece]:
    rows = (
        _web_publications()
        .select_related("piece")
        .prefetch_related(Prefetch("piece__files", queryset=PieceFile.objects.filter(is_image=True)))
        .order_by("-published_at", "-pk")
    )
    pieces = []
    for publication in rows[:limit] if limit else rows:
        piece = publication.piece
        piece.published_at = publication.published_at  # type: ignore[attr-defined]
        pieces.append(piece)
    return pieces


def news_item(pk: int) -> Piece:
    publication = _web_publications().select_related("piece").filter(piece_id=pk).first()
    if publication is None:
        raise Http404
    piece = publication.piece
    piece.published_at = publication.published_at  # type: ignore[attr-defined]
    return piece


def news_file(piece_id: int, file_id: int) -> PieceFile:
    """A file of a piece that is on the news page (its images and attachments are public)."""
    news_item(piece_id)
    found = PieceFile.objects.filter(piece_id=piece_id, pk=file_id).first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------------------------------
# Results shown elsewhere (through interface.py)


def results(*, activity_id: int | None = None, initiative_id: int | None = None) -> list[dict[str, Any]]:
    """Actions born of an activity or speaking for an initiative, with their published links
    and reach."""
    current_municipality()
    qs = CommunicationAction.objects.exclude(status=ActionStatus.DISCARDED)
    if activity_id is not None:
        qs = qs.filter(activity_id=activity_id)
    if initiative_id is not None:
        qs = qs.filter(initiative_id=initiative_id)
    published = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("channel", "piece")
    rows = qs.prefetch_related(Prefetch("pieces__publications", queryset=published)).order_by("planned_date", "pk")
    out = []
    for action in rows:
        links = [
            {
                "channel": p.channel.name,
                "piece": piece.title,
                "url": p.url,
                "published_at": p.published_at,
                "reach": p.reach,
            }
            for piece in action.pieces.all()
            for p in piece.publications.all()
        ]
        out.append(
            {
                "id": action.pk,
                "title": action.title,
                "status": action.status,
                "status_label": ActionStatus(action.status).label,
                "planned_date": action.planned_date,
                "links": links,
                "reach": sum(p.reach or 0 for piece in action.pieces.all() for p in piece.publications.all()),
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# Channels, for the workspace pages


def channels(*, active_only: bool = False) -> list[Channel]:
    current_municipality()
    qs = Channel.objects.order_by("kind", "name", "pk")
    return list(qs.filter(is_active=True) if active_only else qs)


def channel_by_pk(pk: int) -> Channel:
    current_municipality()
    found = Channel.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
