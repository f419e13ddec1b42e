"""Publication of the final alignment to the community index and search."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import IndexItem, ItemKind
from ods_alignment.models import (
    AlignmentCase,
    CaseStatus,
    FinalAlignment,
)
from ods_alignment.services._common import (
    _event,
    _locked,
    _require_team_or_lead,
    _save,
)
from tenants.accounts.models import User

# --- Publication ------------------------------------------------------------------------------


def case_publish(*, actor: User, case: AlignmentCase) -> AlignmentCase:
    """Write the final alignment into the community index item (and, after commit, search)."""
    _require_team_or_lead(actor, case)
    with transaction.atomic():
        case = _locked(case)
        if case.status not in {CaseStatus.AGREED, CaseStatus.ADJUDICATED}:
            raise ValidationError(
                {
                    "case": [
                        _("Solo se publican casos acordados o adjudicados; este está «%(status)s».")
                        % {"status": CaseStatus(case.status).label}
                    ]
                }
            )
        # Locked like the relay locks it, so a relay batch and a publication never overwrite
        # each other's copy of the row.
        item = (
            IndexItem.objects.select_for_update().filter(pk=case.item_id).first() if case.item_id is not None else None
        )
        if item is None or item.withdrawn_at is not None:
            raise ValidationError(
                {"case": [_("La iniciativa ya no se comparte en la comunidad; no se puede publicar.")]}
            )
        final = FinalAlignment.objects.select_for_update().get(case=case)
        now = timezone.now()
        final.published_at = now
        final.save(update_fields=["published_at"])
        _write_item(item, final)
        case.status = CaseStatus.PUBLISHED
        case.published_at = now
        _save(case, ["status", "published_at"])
        _event(case, actor, "case.publish", goals=final.goals, targets=final.targets)
        item_id = item.pk
        transaction.on_commit(lambda: _sync_search([item_id]))
    return case


def _write_item(item: IndexItem, final: FinalAlignment) -> bool:
    if item.sdg_goals == final.goals and item.sdg_targets == final.targets:
        return False
    IndexItem.objects.filter(pk=item.pk).update(
        sdg_goals=final.goals, sdg_targets=final.targets, search_dirty=True, updated_at=timezone.now()
    )
    return True


def _sync_search(item_ids: list[int]) -> None:
    from search.indexing import sync_items

    sync_items(item_ids)  # never raises; what it could not take stays dirty for the sweep


def apply_final_alignments(item_ids: Iterable[int]) -> list[int]:
    """Write the published final alignments into these index rows where they are missing or
    stale (a withdrawal clears them; an initiative shared again comes back without them).
    Returns the ids changed, now marked dirty for search. For the relay to call inside its
    batch transaction, after applying events: its own search sync then covers them."""
    items = list(IndexItem.objects.filter(pk__in=list(item_ids), kind=ItemKind.INITIATIVE, withdrawn_at__isnull=True))
    if not items:
        return []
    finals = {
        f.item_key: f
        for f in FinalAlignment.objects.filter(item_key__in=[i.key for i in items], published_at__isnull=False)
    }
    changed: list[int] = []
    for item in items:
        final = finals.get(item.key)
        if final is not None and _write_item(item, final):
            changed.append(item.pk)
    if finals:
        # A case whose row was lost (SET_NULL) finds it again by key: one read, and writes
        # only for the links that actually changed.
        by_key = {item.key: item for item in items}
        for case in AlignmentCase.objects.filter(item_key__in=list(finals)).only("pk", "item_key", "item_id"):
            if case.item_id != by_key[case.item_key].pk:
                AlignmentCase.objects.filter(pk=case.pk).update(item=by_key[case.item_key])
    return changed
