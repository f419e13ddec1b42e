"""Writes of the SDG alignment: local targets, cases, assignments, blind proposals,
agreement, adjudication and publication to the community index.

The method (issue 9): at least two specialists align an initiative independently; when every
proposal is in, agreement is computed (Cohen's kappa on goals, Jaccard on targets); identical
goal sets are agreed automatically, anything else goes to the case's lead specialist, who
records the final alignment and the reason; the agreed or adjudicated alignment is then
published to the community index (and search).

Every function is keyword-only, atomic, checks who acts, raises ValidationError with the
field at fault (texts in Spanish, translatable), and leaves an AlignmentEvent."""

from ods_alignment.services._common import (
    AGREEMENT_KAPPA,
    MAX_EVIDENCE,
    MAX_JUSTIFICATION,
    MAX_REASON,
    MAX_TITLE,
    MIN_SPECIALISTS,
    has_conflict,
)
from ods_alignment.services.cases import assignment_reassign, case_open
from ods_alignment.services.local_targets import local_target_create
from ods_alignment.services.proposals import adjudicate, proposal_submit
from ods_alignment.services.publication import apply_final_alignments, case_publish

__all__ = [
    "AGREEMENT_KAPPA",
    "MAX_EVIDENCE",
    "MAX_JUSTIFICATION",
    "MAX_REASON",
    "MAX_TITLE",
    "MIN_SPECIALISTS",
    "adjudicate",
    "apply_final_alignments",
    "assignment_reassign",
    "case_open",
    "case_publish",
    "has_conflict",
    "local_target_create",
    "proposal_submit",
]
