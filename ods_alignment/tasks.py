"""Background work of the SDG alignment.

- `ods_alignment.send_reminders` (beat, daily): one email per specialist listing their
  pending assignments that are due within two days or overdue. Each assignment is marked
  as reminded in the same transaction as its email, so a repeated or redelivered run sends
  nothing twice the same day (days counted in the platform's TIME_ZONE)."""

from __future__ import annotations

from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ods_alignment import selectors
from ods_alignment.models import Assignment
from tenants.db import in_public_schema
from tenants.links import portal_url
from tenants.service_utils import label


@shared_task(name="ods_alignment.send_reminders", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reminders() -> int:
    """Returns how many emails left."""
    if not in_public_schema():  # beat sends it from public; anything else is a mistake
        raise RuntimeError("ods_alignment.send_reminders runs in the public schema")
    today = timezone.localdate()
    by_specialist: dict[int, list[int]] = defaultdict(list)
    for assignment in selectors.assignments_to_remind(today):
        by_specialist[assignment.specialist_id].append(assignment.pk)
    sent = 0
    for ids in by_specialist.values():
        with transaction.atomic():
            # Locked and re-read as still to remind: a parallel run takes them or skips them.
            rows = list(
                selectors.assignments_to_remind(today)
                .filter(pk__in=ids)
                .select_for_update(skip_locked=True, of=("self",))
            )
            if not rows:
                continue
            _send(rows, today)
            Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(reminded_at=timezone.now())
            sent += 1
    return sent


def _send(rows: list[Assignment], today: object) -> None:
    specialist = rows[0].specialist
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        for assignment in rows:
            case = assignment.case
            title = case.item.title if case.item is not None else case.item_key
            days = (assignment.due_date - today).days  # type: ignore[operator]
            if days < 0:
                when = ngettext("vencida hace %(n)d día", "vencida hace %(n)d días", -days) % {"n": -days}
            elif days == 0:
                when = _("vence hoy")
            else:
                when = ngettext("vence en %(n)d día", "vence en %(n)d días", days) % {"n": days}
            lines.append(f"- {title} ({case.municipality.name}): {assignment.due_date:%Y-%m-%d}, {when}")
            lines.append(f"  {portal_url(reverse('ods:case', args=[case.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF))}")
        subject = ngettext(
            "SIGOBito: %(n)d alineación ODS pendiente", "SIGOBito: %(n)d alineaciones ODS pendientes", len(rows)
        ) % {"n": len(rows)}
        body = "\n".join(
            [
                _("Hola, %(name)s:") % {"name": label(specialist)},
                "",
                _("Estas alineaciones ODS esperan su propuesta independiente:"),
                "",
                *lines,
                "",
                _("Todo lo que le espera: %(url)s")
                % {"url": portal_url(reverse("ods:queue", urlconf=settings.PUBLIC_SCHEMA_URLCONF))},
                "",
                _("Gracias por su trabajo."),
            ]
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [specialist.email])
