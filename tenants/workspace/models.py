"""Tenant-schema models of the workspace itself."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """Who did what inside one municipality. Lives in the municipality's schema."""

    at = models.DateTimeField(auto_now_add=True)
    # A plain id, not a foreign key: the user table is in the public schema and audit rows
    # must outlive the account.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class OutboxEvent(models.Model):
    """A change to shareable data, written in the same transaction as the change itself. The
    community relay (public schema) consumes these rows in order and marks them processed;
    nothing in the public schema reads the municipality's own tables."""

    created_at = models.DateTimeField(auto_now_add=True)
    topic = models.CharField(max_length=60)  # e.g. "initiative.upserted", "restriction.withdrawn"
    aggregate_type = models.CharField(max_length=40)
    aggregate_id = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(processed_at__isnull=True), name="outbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.aggregate_type}:{self.aggregate_id}"
