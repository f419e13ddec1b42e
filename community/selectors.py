"""Reads on the community index (public schema)."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import IndexItem


def live_items() -> QuerySet[IndexItem]:
    """What the community may see at all: shared, not withdrawn, from an active municipality."""
    return IndexItem.objects.filter(withdrawn_at__isnull=True, municipality__is_active=True)


def public_items() -> QuerySet[IndexItem]:
    """What anyone may see: shared and public."""
    return live_items().filter(is_public=True)
