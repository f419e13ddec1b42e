"""The SDG specialists' workflow (public domain, /ods/): work queues, opening a case, the
case page (suggestions, blind proposals, agreement, adjudication, publication,
reassignment), local targets and agreement per specialist pair.

Access, as in the regional console: a person without an SDG role (or not taking part in a
case) gets a 404, as if the page were not there; a visitor is sent to log in. A participant
who tries an action that is not theirs (a specialist publishing, a non-lead adjudicating)
gets the service's PermissionDenied, a 403 that says why. Thin views: parse → access →
service → render; every write is a service that checks the role again."""

from ods_alignment.views_cases.case import (
    assignment_reassign,
    case_adjudicate,
    case_detail,
    case_publish,
    proposal_submit,
)
from ods_alignment.views_cases.lists import agreement, case_open, local_targets, queue

__all__ = [
    "agreement",
    "assignment_reassign",
    "case_adjudicate",
    "case_detail",
    "case_open",
    "case_publish",
    "local_targets",
    "proposal_submit",
    "queue",
]
