from __future__ import annotations

from datetime import timedelta

from tenants.agenda import services
from tenants.agenda.models import RequestStatus, TaskStatus
from tenants.db import local_today
from tests.agenda.conftest import in_days, member
from tests.conftest import World


def test_request_accepted_into_activity_then_commitment(in_alfa: World) -> None:
    request = services.request_register(
        actor=None,
        data={"kind": "audience", "channel": "letter", "subject": "Audiencia junta vecinal", "contact_name": "Rosa",
              "proposed_start": in_days(3), "proposed_end": in_days(3, 10)},
    )  # fmt: skip
    assert request.reference.startswith("SOL-")
    accepted = services.request_transition(actor=None, request=request, to_status=RequestStatus.ACCEPTED)
    assert accepted.activity is not None and accepted.activity.title == "Audiencia junta vecinal"
    task = services.task_save(
        actor=None,
        data={"kind": "commitment", "description": "Enviar cuadrilla", "assignee": member(),
              "due_date": local_today() + timedelta(days=1), "activity": accepted.activity},
    )  # fmt: skip
    done = services.task_set_status(actor=None, task=task, status=TaskStatus.DONE, evidence="Foto")
    assert done.completed_on == local_today()
