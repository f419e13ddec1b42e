"""OpenAPI generation hooks."""

from __future__ import annotations

from typing import Any


def only_api_paths(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[tuple[str, str, str, Any]]:
    """Document our /api/ only: Wagtail's admin serves internal DRF endpoints under /cms/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
