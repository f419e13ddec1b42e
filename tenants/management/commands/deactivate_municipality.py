from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import services
from tenants.selectors import municipality_by_slug


class Command(BaseCommand):
    help = "Deactivate (or with --reactivate, reactivate) a municipality. Data is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reactivate", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        municipality = municipality_by_slug(opts["slug"])
        if municipality is None:
            raise CommandError(f"No municipality with slug {opts['slug']!r}.")
        if opts["reactivate"]:
            services.municipality_reactivate(actor=None, municipality=municipality)
            self.stdout.write(self.style.SUCCESS(f"{municipality.name} is active."))
        else:
            services.municipality_deactivate(actor=None, municipality=municipality)
            self.stdout.write(self.style.SUCCESS(f"{municipality.name} is deactivated; its data is kept."))
