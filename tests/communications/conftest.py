from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tenants.communications import services
from tenants.communications.models import ActionStatus, CommunicationAction, Piece
from tenants.db import local_today, use_municipality, use_public_schema
from tests.conftest import World


@pytest.fixture
def in_alfa(w: World) -> Iterator[World]:
    """Run service calls inside Alfa's schema, as a request to alfa.localhost would."""
    use_municipality(w.alfa)
    yield w
    use_public_schema()


def make_action(w: World, **data: Any) -> CommunicationAction:
    """An institutional action planned for today by Alfa's communications editor (call inside Alfa)."""
    fields = {
        "title": "Inicio de la temporada de lluvias",
        "message": "Qué hacer para proteger las viviendas.",
        "audience": "Familias de las zonas bajas",
        "planned_date": local_today(),
        **data,
    }
    return services.action_save(actor=w.editor_alfa, data=fields)


def ready_piece(w: World, *, kind: str = "web_news", **data: Any) -> Piece:
    """An action with one approved piece, marked ready: what can be published."""
    action = make_action(w)
    fields = {"kind": kind, "title": "Nueva red de agua", "summary": "300 familias con agua.", "body": "Texto.", **data}
    piece = services.piece_save(actor=w.editor_alfa, action=action, data=fields)
    piece = services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    piece.refresh_from_db()
    return piece
