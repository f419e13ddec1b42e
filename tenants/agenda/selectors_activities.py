"""Reads for the activity pages and API: calendar days, the filtered list and overlaps.
Everything starts from selectors.visible_activities, so a private activity never shows (not
even in a count) to someone who may not see it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from tenants.accounts.models import User
from tenants.agenda import selectors
from tenants.agenda.models import Activity, ActivityStatus, Request, Task
from tenants.agenda.services.activities import overlapping
from tenants.db import local_tz
from tenants.service_utils import EARLIEST, LATEST
from tenants.structure.models import Actor, Place, Theme

# Only these compete for the mayor's time.
ACTIVE = (ActivityStatus.TENTATIVE, ActivityStatus.CONFIRMED)


@dataclass
class Entry:
    """An activity as it shows on one local day."""

    activity: Activity
    start: datetime  # local
    end: datetime  # local
    from_before: bool  # began on an earlier day
    goes_on: bool  # ends on a later day


@dataclass
class Day:
    day: date
    entries: list[Entry] = field(default_factory=list)
    is_today: bool = False
    in_range: bool = True  # false for the neighbouring months' days on a month grid


def clamp(day: date) -> date:
    """Keep calendar arithmetic inside a government's horizon (and away from date.max)."""
    return min(max(day, EARLIEST), LATEST)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_grid(day: date) -> tuple[date, date]:
    """The Monday on or before the 1st to the Sunday on or after the month's last day."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    return week_start(first), week_start(last) + timedelta(days=6)


def calendar_days(user: User | None, first: date, last: date, *, today: date | None = None) -> list[Day]:
    """Each local day from `first` to `last` with the visible activities that touch it
    (one that spans midnight shows on both days)."""
    tz = local_tz()
    start, _end = selectors.day_bounds(first)
    _start, end = selectors.day_bounds(last)
    found = selectors.activities_between(user, start, end)
    days: list[Day] = []
    current = first
    while current <= last:
        lo, hi = selectors.day_bounds(current)
        entries = [
            Entry(
                activity=a,
                start=a.starts_at.astimezone(tz),
                end=a.ends_at.astimezone(tz),
                from_before=a.starts_at < lo,
                goes_on=a.ends_at > hi,
            )
            for a in found
            if a.starts_at < hi and a.ends_at > lo
        ]
        days.append(Day(day=current, entries=entries, is_today=current == today))
        current += timedelta(days=1)
    return days


def filtered_activities(
    user: User | None,
    *,
    tipo: str = "",
    estado: str = "",
    visibilidad: str = "",
    tema: Theme | None = None,
    lugar: Place | None = None,
    actor: Actor | None = None,
    desde: date | None = None,
    hasta: date | None = None,
) -> QuerySet[Activity]:
    """The list's filters (the filter form's names). A theme or place includes the ones
    below it (an axis its themes, a district its neighbourhoods)."""
    qs = selectors.visible_activities(user)
    if tipo:
        qs = qs.filter(kind=tipo)
    if estado:
        qs = qs.filter(status=estado)
    if visibilidad:
        qs = qs.filter(is_public=visibilidad == "publica")
    if tema is not None:
        qs = qs.filter(Q(themes=tema) | Q(themes__parent=tema) | Q(themes__parent__parent=tema))
    if lugar is not None:
        qs = qs.filter(
            Q(place=lugar) | Q(place__parent=lugar) | Q(place__parent__parent=lugar)
            | Q(place__parent__parent__parent=lugar)
        )  # fmt: skip
    if actor is not None:
        qs = qs.filter(actors=actor)
    if desde is not None:
        qs = qs.filter(ends_at__gt=selectors.day_bounds(clamp(desde))[0])
    if hasta is not None:
        qs = qs.filter(starts_at__lt=selectors.day_bounds(clamp(hasta))[1])
    return qs.distinct().select_related("place__level").prefetch_related("themes").order_by("starts_at", "pk")


def activities_in_span(user: User | None, start: datetime | None, end: datetime | None) -> QuerySet[Activity]:
    """For the API: the visible activities that share some time with [start, end)."""
    qs = selectors.visible_activities(user)
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    return qs.prefetch_related("actors", "themes", "participants").order_by("starts_at", "pk")


def visible_only(user: User | None, activities: Iterable[Activity]) -> list[Activity]:
    """Those of `activities` that the person may see (overlap warnings name no private
    activity to someone who may not see it)."""
    found = list(activities)
    if not found:
        return []
    seen = set(selectors.visible_activities(user).filter(pk__in=[a.pk for a in found]).values_list("pk", flat=True))
    return [a for a in found if a.pk in seen]


def overlaps_of(user: User | None, activity: Activity) -> list[Activity]:
    """The mayor's confirmed activities that share time with this one, as the person may see them."""
    if activity.status not in ACTIVE:
        return []
    return visible_only(user, overlapping(activity.starts_at, activity.ends_at, exclude=activity.pk))


def linked_request(activity: Activity) -> Request | None:
    """The request the activity came from, if any (a reverse one-to-one may be missing)."""
    return Request.objects.filter(activity=activity).first()


def activity_tasks(activity: Activity) -> list[Task]:
    return list(activity.tasks.select_related("assignee").order_by("due_date", "pk"))
