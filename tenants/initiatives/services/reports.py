"""The weekly progress report (reporte semanal) of an initiative."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.db import local_today
from tenants.initiatives import access, rules, sharing
from tenants.initiatives.cycle import cycle_day
from tenants.initiatives.models import (
    CycleSettings,
    Initiative,
    Milestone,
    ReportAttachment,
    ReportLine,
    Status,
    WeeklyReport,
)
from tenants.initiatives.services.common import lock_initiative, record
from tenants.service_utils import check_date, label
from tenants.structure.validation import clean_text, collect, raise_if
from tenants.uploads import check_upload

REPORTABLE = (Status.PROGRAMMED, Status.IN_EXECUTION)
MAX_ATTACHMENTS = 5


def report_submit(
    *,
    actor: User | None,
    initiative: Initiative,
    week_start: date | None,
    narrative: str,
    progress: Mapping[int, tuple[Any, str]],
    attachments: Sequence[UploadedFile] = (),
) -> WeeklyReport:
    """File (or correct) the report of one week. `progress` maps milestone id → (percent,
    comment) for the milestones reported. A correction of an earlier week does not overwrite
    the progress a later week already reported."""
    initiative = Initiative.objects.get(pk=initiative.pk)
    access.require(access.can_report(actor, initiative))
    errors: dict[str, list[str]] = {}
    text = collect(errors, "narrative", clean_text, narrative, max_length=10000)
    day = cycle_day()
    this_week = rules.week_start(local_today(), day)
    if not isinstance(week_start, date):
        errors["week_start"] = [_("Elija la semana del reporte.")]
    elif check_date(errors, "week_start", week_start) is None:
        pass
    elif rules.week_start(week_start, day) != week_start:
        errors["week_start"] = [_("La semana debe empezar el día de inicio del ciclo del municipio.")]
    elif week_start > this_week:
        errors["week_start"] = [_("No se puede reportar una semana futura.")]
    elif week_start < rules.week_start(initiative.start_date, day):
        errors["week_start"] = [_("La semana es anterior al inicio de la iniciativa.")]
    if initiative.status not in REPORTABLE:
        errors["__all__"] = [_("Solo se reportan iniciativas programadas o en ejecución.")]
    milestones = {m.pk: m for m in initiative.milestones.all()}
    lines: list[tuple[int, int, str]] = []
    for pk, (value, comment) in progress.items():
        field = f"progress_{pk}"
        milestone = milestones.get(pk)
        if milestone is None:
            errors[field] = [_("Esa meta intermedia no es de esta iniciativa.")]
            continue
        if value in (None, ""):
            if str(comment or "").strip():
                errors[field] = [
                    _("Indique el avance de «%(name)s» para guardar su comentario.") % {"name": milestone.name}
                ]
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            errors[field] = [_("El avance de «%(name)s» es un número de 0 a 100.") % {"name": milestone.name}]
            continue
        # A week after completion can only say 100 %; a correction of a week before it may
        # state the progress it really had then.
        done_before = (
            milestone.completed_on is not None and isinstance(week_start, date) and milestone.completed_on < week_start
        )
        if done_before and value != 100:
            errors[field] = [_("«%(name)s» ya está cumplida: su avance es 100.") % {"name": milestone.name}]
            continue
        note = collect(errors, f"comment_{pk}", clean_text, comment, max_length=500)
        lines.append((pk, value, note or ""))
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Adjunte como máximo %(n)s archivos.") % {"n": MAX_ATTACHMENTS}]
    for file in attachments:
        collect(errors, "attachments", check_upload, file)
    if not text and not lines:
        errors["narrative"] = [_("Escriba el relato del avance o indique el avance de alguna meta.")]
    raise_if(errors)
    assert week_start is not None

    with transaction.atomic():
        initiative = lock_initiative(initiative.pk)  # one writer per initiative at a time
        report, created = WeeklyReport.objects.select_for_update().get_or_create(
            initiative=initiative,
            week_start=week_start,
            defaults={
                "narrative": text,
                "submitted_by_id": actor.pk if actor else None,
                "submitted_by_label": label(actor),
            },
        )
        if not created:
            report.narrative = text
            report.submitted_by_id, report.submitted_by_label = (actor.pk if actor else None), label(actor)
            report.save()
        for pk, value, note in lines:
            ReportLine.objects.update_or_create(
                report=report, milestone_id=pk, defaults={"progress": value, "comment": note}
            )
        for file in attachments:
            ReportAttachment.objects.create(
                report=report, file=file, title=file.name or "", original_name=(file.name or "")[:255]
            )
        latest_week = initiative.reports.order_by("-week_start").values_list("week_start", flat=True).first()
        if latest_week == week_start:
            # Under the initiative's lock (taken above) no milestone write runs meanwhile;
            # the update skips any that got completed and bumps versions in the database.
            for pk, value, _note in lines:
                Milestone.objects.filter(pk=pk, completed_on__isnull=True).exclude(progress=value).update(
                    progress=value, version=F("version") + 1, updated_at=timezone.now()
                )
        record(
            actor=actor, action="report.submitted" if created else "report.corrected", initiative_id=initiative.pk,
            week=week_start.isoformat(), progress={str(pk): value for pk, value, _n in lines},
        )  # fmt: skip
        sharing.refresh_light(initiative, locked=True)
    return report


def reportable_weeks(initiative: Initiative, count: int = 8) -> list[date]:
    """The weeks a report may be filed for: this one and earlier ones, newest first."""
    day = cycle_day()
    this_week = rules.week_start(local_today(), day)
    first = rules.week_start(initiative.start_date, day)
    weeks: list[date] = []
    week = this_week
    while week >= first and len(weeks) < count:
        weeks.append(week)
        week -= timedelta(days=7)
    return weeks


def cycle_settings_save(*, actor: User | None, cycle_day: Any) -> CycleSettings:
    access.require(access.can_edit_settings(actor))
    if not isinstance(cycle_day, int) or isinstance(cycle_day, bool) or not 0 <= cycle_day <= 6:
        raise ValidationError({"cycle_day": [_("Elija un día de la semana.")]})
    with transaction.atomic():
        settings, _created = CycleSettings.objects.select_for_update().get_or_create(pk=1)
        old = settings.cycle_day
        settings.cycle_day = cycle_day
        settings.save()
        from tenants.audit import audit

        audit(actor=actor, action="cycle.changed", object_type="cycle", object_id=1, before=old, after=cycle_day)
    return settings
