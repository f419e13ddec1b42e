"""Run detection of common themes and shared problems now, in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Detect common themes and shared problems across municipalities (a full run)."

    def handle(self, *args: Any, **options: Any) -> None:
        from community.detection.runner import run_detection

        run = run_detection()
        self.stdout.write(
            f"{run.item_count} items, {run.group_count} groups, {run.duration_ms / 1000:.1f} s, "
            f"peak {run.peak_memory_kb // 1024} MiB; {run.summary.get('new', 0)} new, "
            f"{run.summary.get('changed', 0)} changed, {run.summary.get('unchanged', 0)} unchanged, "
            f"{run.summary.get('gone', 0)} gone, {run.summary.get('returned', 0)} returned"
        )
