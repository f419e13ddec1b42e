"""iCalendar (RFC 5545) feeds of the mayor's activities: the public one (no login) and a
person's private one (a secret address). Which activities go in is the caller's choice
(public ones, or selectors.visible_activities of the feed's owner); this module only
writes them. Times go out in UTC, so every calendar shows them in its own zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from tenants.agenda.models import Activity, ActivityStatus
from tenants.links import domain_for
from tenants.models import Municipality

# Subscribers see the recent past and the coming year.
PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
STATUS = {
    ActivityStatus.TENTATIVE: "TENTATIVE",
    ActivityStatus.CONFIRMED: "CONFIRMED",
    ActivityStatus.DONE: "CONFIRMED",
    # Kept in the feed, so that subscribed calendars remove the event.
    ActivityStatus.CANCELLED: "CANCELLED",
}


def feed_window(activities: QuerySet[Activity], now: datetime | None = None) -> QuerySet[Activity]:
    now = now or timezone.now()
    return (
        activities.filter(ends_at__gt=now - PAST, starts_at__lt=now + AHEAD)
        .select_related("place")
        .order_by("starts_at", "pk")
    )


def feed_domain(municipality: Municipality) -> str:
    """A stable host for event UIDs (the same in every feed and over time)."""
    return municipality.primary_domain or domain_for(municipality.slug)


def location(activity: Activity) -> str:
    parts = [activity.place.name if activity.place_id and activity.place else "", activity.address]
    return ", ".join(p for p in parts if p)


def build_calendar(
    activities: Iterable[Activity],
    *,
    name: str,
    domain: str,
    describe: Callable[[Activity], str],
    url: Callable[[Activity], str] | None = None,
    private: bool = False,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//SIGOBito Comunidad//Agenda del titular//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # the older, non-standard name of the same hint
    for activity in activities:
        event = Event()
        event.add("uid", f"{activity.pk}@{domain}")
        event.add("dtstamp", activity.updated_at.astimezone(UTC))
        event.add("last-modified", activity.updated_at.astimezone(UTC))
        # Bumped on every change, so calendars replace their copy.
        event.add("sequence", activity.version)
        event.add("dtstart", activity.starts_at.astimezone(UTC))
        event.add("dtend", activity.ends_at.astimezone(UTC))
        event.add("summary", activity.title)
        where = location(activity)
        if where:
            event.add("location", where)
        event.add("status", STATUS.get(ActivityStatus(activity.status), "TENTATIVE"))
        description = describe(activity)
        if description:
            event.add("description", description)
        if private:
            event.add("class", "PUBLIC" if activity.is_public else "PRIVATE")
        link = url(activity) if url else ""
        if link:
            event.add("url", link)
        cal.add_component(event)
    return bytes(cal.to_ical())
