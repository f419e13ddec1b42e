from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tenants.db import use_municipality, use_public_schema
from tenants.structure.models import NetworkMember
from tests.conftest import World


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    """Run service calls inside Alfa's schema (America/Bogota), as a request would."""
    use_municipality(w.alfa)
    yield w
    use_public_schema()


BOGOTA = ZoneInfo("America/Bogota")


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Alfa's time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=BOGOTA)


def in_days(days: int, hour: int = 9) -> datetime:
    now = datetime.now(BOGOTA)
    return (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def member(name: str = "Carlos Secretario", email: str = "carlos@alfa.test") -> NetworkMember:
    """A person of Alfa's management network (call inside Alfa)."""
    return NetworkMember.objects.create(full_name=name, email=email)
