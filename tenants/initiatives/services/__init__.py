"""Writes on priority initiatives (DESIGN.md §4.2): keyword-only, typed, atomic, validated,
audited. Views, the API, commands and the demo data call these, never `.save()`."""

from tenants.initiatives.services.aro import (
    aro_close,
    aro_decide,
    aro_deescalate,
    aro_escalate,
    aro_raise,
    aro_set_shared,
    aro_type_save,
)
from tenants.initiatives.services.initiatives import initiative_save, initiative_set_status, programming_close
from tenants.initiatives.services.milestones import (
    milestone_complete,
    milestone_reprogram,
    milestone_save,
)
from tenants.initiatives.services.opinions import form_token, opinion_moderate, opinion_submit
from tenants.initiatives.services.reports import cycle_settings_save, report_submit

__all__ = [
    "aro_close",
    "aro_decide",
    "aro_deescalate",
    "aro_escalate",
    "aro_raise",
    "aro_set_shared",
    "aro_type_save",
    "cycle_settings_save",
    "form_token",
    "initiative_save",
    "initiative_set_status",
    "milestone_complete",
    "milestone_reprogram",
    "milestone_save",
    "opinion_moderate",
    "opinion_submit",
    "programming_close",
    "report_submit",
]
