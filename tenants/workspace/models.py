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
