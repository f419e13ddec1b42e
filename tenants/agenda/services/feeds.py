"""Private calendar feed addresses. The secret is shown once; only its hash is kept, and
issuing a new one or revoking makes the old address answer 404."""

from __future__ import annotations

import hashlib
import secrets

from django.db import connection, transaction
from django.utils import timezone

from tenants.accounts.models import User
from tenants.agenda.models import FeedToken
from tenants.audit import audit


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_issue(*, user: User) -> str:
    """A new private feed secret for this person here; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A double click issues twice: take turns, so the second replaces the first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"feed:{user.pk}"])
        FeedToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        FeedToken.objects.create(user_id=user.pk, token_hash=token_hash(token))
        audit(actor=user, action="feed.issued", object_type="feed", object_id=user.pk)
    return token


def feed_token_revoke(*, user: User) -> None:
    with transaction.atomic():
        FeedToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit(actor=user, action="feed.revoked", object_type="feed", object_id=user.pk)
