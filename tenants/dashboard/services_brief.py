"""Writes of the mayor's brief: sending it by email once per cycle week (DESIGN.md §4.2).

The week's BriefDelivery row is created in the same transaction as the emails are sent: a
second run (the next hourly beat, a redelivered message, a parallel worker) finds the row, or
waits on its unique index and then finds it, and sends nothing. If sending fails the row is
rolled back with it and the task's retry sends again."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tenants.dashboard.brief import weekly_brief
from tenants.dashboard.brief_pdf import brief_pdf
from tenants.dashboard.models import BriefDelivery
from tenants.db import current_municipality
from tenants.initiatives import rules
from tenants.initiatives.cycle import cycle_day
from tenants.links import workspace_url
from tenants.models import Membership
from tenants.roles import MunicipalRole


def mayor_emails() -> list[str]:
    """The addresses of the current municipality's mayor(s) (active accounts)."""
    rows = Membership.objects.filter(
        municipality=current_municipality(), role=MunicipalRole.MAYOR, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({email.strip().lower() for email in rows if email and email.strip()})


def brief_send(*, today: date) -> BriefDelivery | None:
    """Email this cycle week's brief, with its PDF, to the mayor(s), in the municipality's
    language. Returns the week's delivery, or None when it had already gone out or there is
    nobody to send it to (then a later run, once a mayor is there, still sends it)."""
    municipality = current_municipality()
    week = rules.week_start(today, cycle_day())
    recipients = mayor_emails()
    if not recipients or BriefDelivery.objects.filter(week_start=week).exists():
        return None
    with transaction.atomic():
        delivery, created = BriefDelivery.objects.get_or_create(
            week_start=week, defaults={"sent_at": timezone.now(), "recipients": len(recipients)}
        )
        if not created:
            return None
        with translation.override(municipality.default_language), timezone.override(ZoneInfo(municipality.time_zone)):
            data = weekly_brief(user=None, today=today)
            attachment = brief_pdf(data)
            context = {
                "brief": data,
                "page_url": workspace_url(municipality, reverse("dashboard:brief")),
                "dashboard_url": workspace_url(municipality, reverse("dashboard:home")),
            }
            subject = " ".join(render_to_string("dashboard/email/brief_subject.txt", context).split())
            body = render_to_string("dashboard/email/brief.txt", context)
        connection = get_connection()
        for address in recipients:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
            message.attach(f"resumen-semanal-{today.isoformat()}.pdf", attachment, "application/pdf")
            message.send()
    return delivery
