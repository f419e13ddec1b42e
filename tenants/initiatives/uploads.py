"""Where initiative files go (named in migrations, so these names stay)."""

from __future__ import annotations

from typing import Any

from tenants.uploads import tenant_path


def evidence_path(instance: Any, filename: str) -> str:
    return tenant_path("evidence", filename)


def report_path(instance: Any, filename: str) -> str:
    return tenant_path("reports", filename)
