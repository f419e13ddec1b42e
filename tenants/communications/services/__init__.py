"""Write services of the communications module (DESIGN.md §4.2)."""

from tenants.communications.services.actions import (
    action_save,
    action_set_status,
    settings_for_municipality,
    settings_save,
    suggestion_accept,
    suggestion_dismiss,
)
from tenants.communications.services.channels import channel_save, missing_credentials, web_channel
from tenants.communications.services.pieces import (
    piece_approve,
    piece_file_add,
    piece_file_remove,
    piece_save,
    variant_save,
)
from tenants.communications.services.publishing import (
    check_publishable,
    publication_attempt,
    publication_request,
    publication_set_reach,
)

__all__ = [
    "action_save",
    "action_set_status",
    "channel_save",
    "check_publishable",
    "missing_credentials",
    "piece_approve",
    "piece_file_add",
    "piece_file_remove",
    "piece_save",
    "publication_attempt",
    "publication_request",
    "publication_set_reach",
    "settings_for_municipality",
    "settings_save",
    "suggestion_accept",
    "suggestion_dismiss",
    "variant_save",
    "web_channel",
]
