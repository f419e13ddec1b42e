"""Validation of municipality identifiers, shared by forms, the API and the command."""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_RE = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$")

# Names that would collide with the platform's own hosts, PostgreSQL's schemas or common
# service names if used as `<slug>.<platform domain>` or as a schema.
RESERVED_SLUGS = frozenset(
    {
        "www",
        "public",
        "admin",
        "api",
        "app",
        "static",
        "media",
        "cms",
        "mail",
        "smtp",
        "ftp",
        "imap",
        "pop",
        "ns1",
        "ns2",
        "localhost",
        "root",
        "postgres",
        "template",
        "template0",
        "template1",
        "information-schema",
        "pg",
        "sigobito",
        "platform",
        "plataforma",
        "portal",
        "status",
        "health",
        "healthz",
        "readyz",
        "docs",
        "help",
        "ayuda",
        "soporte",
        "support",
        "test",
        "demo-template",
        "tenant-template",
    }
)


def validate_slug(value: str) -> None:
    if value != value.strip().lower() or not SLUG_RE.match(value):
        raise ValidationError(
            _(
                "El identificador debe tener de 2 a 40 caracteres: letras minúsculas sin "
                "tilde, números y guiones simples, y empezar con una letra."
            ),
            code="invalid_slug",
        )
    if value in RESERVED_SLUGS or value.startswith("pg-"):
        raise ValidationError(
            _("«%(slug)s» es un nombre reservado de la plataforma."),
            code="reserved_slug",
            params={"slug": value},
        )


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            _("«%(tz)s» no es una zona horaria conocida (por ejemplo, America/Bogota)."),
            code="invalid_time_zone",
            params={"tz": value},
        )


def schema_name_for(slug: str) -> str:
    """Schema names are derived, never typed: a fixed prefix keeps them apart from
    PostgreSQL's own schemas and from the template."""
    return "m_" + slug.replace("-", "_")


def american_time_zones() -> list[str]:
    """Time zones of the Americas, offered as suggestions in forms."""
    return sorted(tz for tz in _time_zones() if tz.startswith("America/") and tz.count("/") == 1)


def parse_id(value: object, *, max_digits: int = 9) -> int | None:
    """A row id or version typed in a form or a URL: ASCII digits only (`"²".isdigit()` is
    true), short enough for the column; None for anything else."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > max_digits:
        return None
    return int(text)
