"""The municipal dashboard's memory: a weekly snapshot of the portfolio, so that trends
(traffic-light distribution over time) survive later edits of initiatives and milestones.
Lives in the municipality's schema."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortfolioSnapshot(models.Model):
    """The portfolio as it stood in one week of the municipality's cycle. One row per week;
    taking it again in the same week replaces it (the latest state of that week counts)."""

    week_start = models.DateField(_("semana"), unique=True)
    taken_at = models.DateTimeField()
    # {"late": n, "at_risk": n, "on_time": n, "done": n, "none": n} — keys are rules.Light names, lower case.
    lights = models.JSONField(default=dict)
    # Weighted average thermometer of initiatives with a light (0-100), null with none.
    thermometer = models.PositiveSmallIntegerField(null=True, blank=True)
    initiative_count = models.PositiveIntegerField(default=0)
    stale_count = models.PositiveIntegerField(default=0)
    open_aro = models.JSONField(default=dict)  # {"alert": n, "restriction": n, "opportunity": n}
    # One row per initiative: {"id", "name", "status", "light", "thermometer"}.
    initiatives = models.JSONField(default=list)

    class Meta:
        verbose_name = _("foto semanal de la cartera")
        verbose_name_plural = _("fotos semanales de la cartera")
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return str(self.week_start)


class BriefDelivery(models.Model):
    """The mayor's weekly brief went out by email for this cycle week: it is sent once per
    week, and this row (written in the same transaction as the sending) is the mark."""

    week_start = models.DateField(_("semana"), unique=True)
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("envío del resumen semanal")
        verbose_name_plural = _("envíos del resumen semanal")
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return str(self.week_start)
