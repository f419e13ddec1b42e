"""Load (or reload) the SDG catalogue: 17 goals, 169 targets and their indicators in
Spanish, English and French. Safe to run again: rows are updated in place by code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ods_alignment.catalogue import DEFAULT_PATH, CatalogueError, load_catalogue
from tenants.db import use_public_schema


class Command(BaseCommand):
    help = "Load the SDG catalogue (goals, targets, indicators in es/en/fr) from YAML files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help="folder with es/, en/, fr/ YAML files")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_dir():
            raise CommandError(f"No such folder: {path}")
        use_public_schema()
        try:
            result = load_catalogue(path)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"SDG catalogue: {result.goals} goals, {result.targets} targets, {result.indicators} indicators "
                f"({result.created} created, {result.updated} updated, {result.unchanged} unchanged)."
            )
        )
        if result.obsolete:
            self.stdout.write(
                f"Kept {len(result.obsolete)} codes no longer in the files (alignments may use them): "
                + ", ".join(result.obsolete[:20])
            )
