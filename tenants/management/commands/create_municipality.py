"""Provision a municipality from the command line (calls the same service as the API and
the platform pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import services
from tenants.links import workspace_url


class Command(BaseCommand):
    help = "Create a municipality: schema, primary domain and first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. CO")
        parser.add_argument("--time-zone", required=True, help="e.g. America/Bogota")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--admin-password", default=None, help="Omit to send an invitation instead.")
        parser.add_argument("--region", default="")
        parser.add_argument("--population", type=int, default=None)
        parser.add_argument("--language", default="es", choices=["es", "en"])

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = services.municipality_create(
                actor=None,
                name=opts["name"],
                slug=opts["slug"],
                country=opts["country"],
                time_zone=opts["time_zone"],
                admin_email=opts["admin_email"],
                admin_name=opts["admin_name"],
                admin_password=opts["admin_password"],
                region=opts["region"],
                population=opts["population"],
                default_language=opts["language"],
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {result.municipality.name}: {workspace_url(result.municipality)}")
        )
