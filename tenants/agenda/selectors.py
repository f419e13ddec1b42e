"""Reads on the mayor's agenda. Private activities are shown only to those who may see them
(see access.PRIVATE_VIEWERS) and to the network members who take part in them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from tenants.accounts.models import User
from tenants.agenda import access
from tenants.agenda.models import (
    Activity,
    AgendaSettings,
    FeedToken,
    Request,
    RequestStatus,
    Task,
    TaskStatus,
)
from tenants.agenda.services.feeds import token_hash
from tenants.db import local_today, local_tz
from tenants.structure.models import NetworkMember

OPEN_TASK = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
UNANSWERED = (RequestStatus.RECEIVED, RequestStatus.IN_ANALYSIS)
# "Due soon": today, tomorrow and the day after (the morning reminder and the dashboard).
SOON_DAYS = 2


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The municipality's local day as an aware span (23 or 25 hours on a DST change)."""
    tz = local_tz()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return start, end


def visible_activities(user: User | None) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if access.sees_private(user):
        return qs
    member_ids = NetworkMember.objects.filter(user_id=user.pk if user else None).values_list("pk", flat=True)
    return qs.filter(Q(is_public=True) | Q(participants__in=member_ids)).distinct()


def activity_visible(user: User | None, pk: int | None) -> bool:
    return pk is not None and visible_activities(user).filter(pk=pk).exists()


def activities_between(user: User | None, start: datetime, end: datetime, **filters: Any) -> list[Activity]:
    qs = visible_activities(user).filter(starts_at__lt=end, ends_at__gt=start)
    for name, value in filters.items():
        if value not in (None, ""):
            qs = qs.filter(**{name: value})
    return list(qs.select_related("place").prefetch_related("themes").order_by("starts_at", "pk"))


def activity(user: User | None, pk: int) -> Activity:
    found = visible_activities(user).select_related("place", "initiative", "milestone").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def unanswered_days() -> int:
    settings = AgendaSettings.objects.filter(pk=1).first()
    return settings.unanswered_days if settings else 5


def requests(
    status: str = "", text: str = "", kind: str = "", channel: str = "", *, late: bool = False
) -> QuerySet[Request]:
    """`late`: only those still unanswered after the days the municipality allows (the same
    rule as request_is_late)."""
    qs = Request.objects.select_related("requester", "activity", "delegated_to")
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(status__in=UNANSWERED, received_at__lt=timezone.now() - timedelta(days=unanswered_days()))
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if text:
        qs = qs.filter(
            Q(subject__unaccent__icontains=text)
            | Q(reference__icontains=text)
            | Q(contact_name__unaccent__icontains=text)
            | Q(requester__name__unaccent__icontains=text)
        )
    return qs.order_by("-received_at", "-pk")


def request_is_late(request: Request, now: datetime | None = None, days: int | None = None) -> bool:
    """Unanswered for longer than the municipality allows. Pass `days` (unanswered_days())
    when checking many, to read the setting once."""
    now = now or timezone.now()
    limit = unanswered_days() if days is None else days
    return request.status in UNANSWERED and request.received_at < now - timedelta(days=limit)


def request_counts() -> dict[str, int]:
    """How many requests are in each state (every state present, zero included)."""
    found = dict(Request.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: found.get(status, 0) for status in RequestStatus.values}


def request_durations(request: Request, now: datetime | None = None) -> list[tuple[str, timedelta]]:
    """Time spent in each state, in order (the current one up to now)."""
    now = now or timezone.now()
    steps = list(request.transitions.all())
    out = []
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        out.append((step.to_status, (following.at if following else now) - step.at))
    return out


def request_by_pk(pk: int) -> Request:
    found = requests().prefetch_related("transitions", "attachments", "themes", "places").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def tasks(
    status: str = "",
    assignee: int | None = None,
    only_open: bool = False,
    *,
    kind: str = "",
    priority: str = "",
    overdue: bool = False,
    due_soon: bool = False,
    today: date | None = None,
) -> QuerySet[Task]:
    """Tasks, the open ones first, each group by due date. `overdue`: open and past their
    date; `due_soon`: open and due from today to SOON_DAYS days ahead."""
    qs = Task.objects.select_related("assignee", "activity", "request", "initiative")
    if status:
        qs = qs.filter(status=status)
    if only_open:
        qs = qs.filter(status__in=OPEN_TASK)
    if assignee:
        qs = qs.filter(assignee_id=assignee)
    if kind:
        qs = qs.filter(kind=kind)
    if priority:
        qs = qs.filter(priority=priority)
    if overdue:
        qs = qs.filter(status__in=OPEN_TASK, due_date__lt=today or local_today())
    if due_soon:
        day = today or local_today()
        qs = qs.filter(status__in=OPEN_TASK, due_date__gte=day, due_date__lte=day + timedelta(days=SOON_DAYS))
    closed = Case(When(status__in=OPEN_TASK, then=Value(0)), default=Value(1))
    return qs.annotate(closed=closed).order_by("closed", "due_date", "pk")


def task_by_pk(pk: int) -> Task:
    found = tasks().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def task_is_overdue(task: Task, today: date | None = None) -> bool:
    return task.status in OPEN_TASK and task.due_date < (today or local_today())


def tasks_to_remind(today: date, soon_days: int = SOON_DAYS) -> QuerySet[Task]:
    """Open tasks overdue or due within `soon_days`, not yet reminded today, whose
    assignee has an email address."""
    return (
        Task.objects.filter(status__in=OPEN_TASK, due_date__lte=today + timedelta(days=soon_days))
        .exclude(last_reminded_on=today)
        .exclude(assignee__email="")
        .select_related("assignee")
        .order_by("assignee_id", "due_date")
    )


def feed_token_of(user: User) -> FeedToken | None:
    """The person's working private feed address here (its secret is not kept)."""
    return FeedToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).order_by("-created_at").first()


def feed_user_id(token: str) -> int | None:
    """The account a private feed secret belongs to; None for a wrong, replaced or revoked one."""
    found = FeedToken.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True).first()
    return found.user_id if found else None
