from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ods_alignment.demo import SPECIALISTS
from tenants.demo import DEMO_PASSWORD, MUNICIPALITIES, PLATFORM_PEOPLE, ROLE_MAILBOX, demo_email, load_demo
from tenants.links import portal_url, workspace_url
from tenants.roles import PlatformRole
from tenants.selectors import municipality_by_slug


class Command(BaseCommand):
    help = "Create or refresh the demo municipalities and people (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo()
        out = self.stdout.write
        out(self.style.SUCCESS("Demo data ready."))
        out(f"\nPublic portal: {portal_url()}")
        out(f"  Platform team (password {DEMO_PASSWORD}):")
        for email, _name, role in PLATFORM_PEOPLE:
            out(f"    {email:34} {role.label}")
        for key, (email, _name) in SPECIALISTS.items():
            if key != "ods":  # listed above with the platform people
                out(f"    {email:34} {PlatformRole.SDG_SPECIALIST.label}")
        for demo in MUNICIPALITIES:
            municipality = municipality_by_slug(demo.slug)
            assert municipality is not None
            out(f"\n{demo.name}: {workspace_url(municipality)}")
            for municipal_role in ROLE_MAILBOX:
                out(f"    {demo_email(demo.slug, municipal_role):40} {municipal_role.label}")
        out(f"\nEvery demo account uses the password: {DEMO_PASSWORD}\n")
