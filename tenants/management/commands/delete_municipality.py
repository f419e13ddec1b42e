from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import services
from tenants.selectors import municipality_by_slug


class Command(BaseCommand):
    help = "Delete a municipality and drop its schema. Irreversible: --confirm must repeat the slug."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--confirm", required=True, help="Type the slug again to confirm.")

    def handle(self, *args: Any, **opts: Any) -> None:
        municipality = municipality_by_slug(opts["slug"])
        if municipality is None:
            raise CommandError(f"No municipality with slug {opts['slug']!r}.")
        try:
            services.municipality_delete(actor=None, municipality=municipality, confirm_slug=opts["confirm"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Deleted {municipality.name} and its schema."))
