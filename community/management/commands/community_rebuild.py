"""Re-create the community index from every municipality.

Each municipality re-sends, through its own outbox and in one transaction, everything it
shares and a snapshot listing it; the relay then applies those events like any others (so a
rebuild obeys the same ordering and consent rules), forgets whatever is no longer shared,
and the search backend is rebuilt from the result. Rows are updated in place (never
deleted and re-created), so groups keep their members and search never goes empty."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from community.relay import relay_municipality
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives.sharing import resend_all
from tenants.selectors import active_municipalities


class Command(BaseCommand):
    help = "Re-create the community index (and the search index) from all municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", action="append", default=[], help="slug (repeatable); default: all")

    def handle(self, *args: Any, **options: Any) -> None:
        from search.indexing import rebuild as rebuild_search

        use_public_schema()
        municipalities = active_municipalities().order_by("slug")
        if options["municipality"]:
            municipalities = municipalities.filter(slug__in=options["municipality"])
            missing = set(options["municipality"]) - set(municipalities.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No active municipality with slug: {', '.join(sorted(missing))}")
        total_i = total_r = 0
        for municipality in municipalities:
            try:
                with transaction.atomic():
                    use_municipality(municipality)
                    sent_i, sent_r = resend_all()
            finally:
                use_public_schema()
            result = relay_municipality(municipality.schema_name)
            total_i, total_r = total_i + sent_i, total_r + sent_r
            self.stdout.write(
                f"{municipality.slug}: {sent_i} initiatives, {sent_r} restrictions sent; "
                f"{result.applied} applied, {result.skipped} skipped, {result.failed} rejected"
            )
        indexed = rebuild_search()
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt: {total_i} initiatives and {total_r} restrictions; {indexed} in search.")
        )
