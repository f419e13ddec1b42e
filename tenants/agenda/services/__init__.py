"""Writes on the mayor's agenda (DESIGN.md §4.2): keyword-only, typed, atomic, validated,
audited. Views, the API, tasks and the demo data call these, never `.save()`."""

from tenants.agenda.services.activities import activity_save, activity_set_status
from tenants.agenda.services.feeds import feed_token_issue, feed_token_revoke
from tenants.agenda.services.requests import (
    agenda_settings_save,
    request_register,
    request_submit_public,
    request_transition,
)
from tenants.agenda.services.tasks import task_add_note, task_save, task_set_status

__all__ = [
    "activity_save",
    "activity_set_status",
    "agenda_settings_save",
    "feed_token_issue",
    "feed_token_revoke",
    "request_register",
    "request_submit_public",
    "request_transition",
    "task_add_note",
    "task_save",
    "task_set_status",
]
