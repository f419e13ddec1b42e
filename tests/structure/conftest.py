from __future__ import annotations

from collections.abc import Iterator

import pytest

from tenants.db import use_municipality, use_public_schema
from tests.conftest import World


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    """Run service calls inside Alfa's schema, as a request to alfa.localhost would."""
    use_municipality(w.alfa)
    yield w
    use_public_schema()
