"""The daily task reminder with a real Redis broker and a real Celery worker process: the
platform-level schedule runs in the public schema and enqueues one task per municipality,
which runs inside that municipality's schema, emails each assignee once and marks the
tasks as reminded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from kombu import Connection as KombuConnection
from sigobito_platform.devstack import redis_answers

from tenants.agenda import services
from tenants.agenda.models import Task
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.structure.models import NetworkMember
from tenants.workspace.models import AuditEvent
from tests.conftest import World, start_worker, subprocess_env

ROOT = Path(__file__).resolve().parent.parent.parent
# A Redis database of its own (tests/test_worker.py uses 15), so that neither a development
# worker nor another worker test takes this test's messages.
BROKER = os.environ.get("TEST_AGENDA_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")


def _messages(mail_dir: Path) -> list[Message]:
    """Every email the file backend wrote (one file per connection, separated by dashes)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                found.append(message_from_bytes(chunk.strip()))
    return found


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def _task(description: str, days: int, assignee: NetworkMember) -> Task:
    return services.task_save(
        actor=None,
        data={"kind": "instruction", "description": description, "assignee": assignee,
              "due_date": local_today() + timedelta(days=days)},
    )  # fmt: skip


@pytest.mark.slow
def test_daily_reminder_is_sent_by_a_real_worker_in_each_municipality(
    world: World, django_db_blocker: object, tmp_path: Path
) -> None:
    host, port = BROKER.split("//", 1)[1].split("/", 1)[0].split(":")
    if not redis_answers(int(port), host):
        pytest.fail(f"this test needs Redis at {BROKER} (./dev test finds or starts one)")
    mail_dir = tmp_path / "mail"
    made: dict[str, list[int]] = {"alfa": [], "beta": []}
    people: dict[str, list[int]] = {"alfa": [], "beta": []}
    worker = None
    try:
        # Committed, as a web request would have left it: the worker is another process.
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            use_municipality(world.alfa)
            carlos = NetworkMember.objects.create(full_name="Carlos Worker", email="carlos.worker@alfa.test")
            people["alfa"].append(carlos.pk)
            silent = NetworkMember.objects.create(full_name="Sin Correo Worker", email="")
            people["alfa"].append(silent.pk)
            late = _task("Informe de gestión atrasado", -2, carlos)
            soon = _task("Firmar el convenio mañana", 1, carlos)
            later = _task("Presupuesto del próximo mes", 20, carlos)
            no_email = _task("Revisar el acueducto", -1, silent)
            made["alfa"] += [late.pk, soon.pk, later.pk, no_email.pk]
            use_municipality(world.beta)
            bea = NetworkMember.objects.create(full_name="Bea Worker", email="bea.worker@beta.test")
            people["beta"].append(bea.pk)
            beta_task = _task("Beta overdue errand", -1, bea)
            made["beta"].append(beta_task.pk)
            use_public_schema()

        # Messages a crashed earlier run left behind would run against this run's data.
        with KombuConnection(BROKER) as broker:
            broker.default_channel.queue_purge("celery")  # type: ignore[attr-defined]
        worker = start_worker(BROKER, mail_dir)
        # What beat does every hour, sent from another process in the public schema
        # (local_hour=None: whatever the clock says now).
        sender = (
            "import django; django.setup()\n"
            "from tenants.agenda.tasks import schedule_task_reminders\n"
            "schedule_task_reminders.delay(local_hour=None)\n"
        )
        subprocess.run(
            [sys.executable, "-c", sender],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=subprocess_env(CELERY_BROKER_URL=BROKER, TEST_CELERY_EAGER="0"),
        )
        expected = {"alfa": {late.pk, soon.pk}, "beta": {beta_task.pk}}
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            deadline = time.monotonic() + 90
            while True:
                reminded = {}
                for slug, municipality in (("alfa", world.alfa), ("beta", world.beta)):
                    use_municipality(municipality)
                    reminded[slug] = set(
                        Task.objects.filter(pk__in=made[slug], last_reminded_on__isnull=False).values_list(
                            "pk", flat=True
                        )
                    )
                if reminded == expected or time.monotonic() > deadline:
                    break
                assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
                time.sleep(0.25)
            if reminded != expected:
                worker.terminate()
                log = worker.communicate(timeout=30)[0]
                pytest.fail(f"the worker did not remind in each schema: {reminded}\n{log[-5000:]}")
            use_municipality(world.alfa)
            assert Task.objects.get(pk=late.pk).last_reminded_on == local_today()
            use_public_schema()

        # The mark and the email are one transaction, so once marked the file is written.
        messages = _messages(mail_dir)
        assert sorted(m["To"] for m in messages) == ["bea.worker@beta.test", "carlos.worker@alfa.test"]
        to_carlos = next(m for m in messages if m["To"] == "carlos.worker@alfa.test")
        text = _body(to_carlos)
        assert "Informe de gestión atrasado" in text and "Firmar el convenio mañana" in text
        assert "Presupuesto del próximo mes" not in text and "Revisar el acueducto" not in text
        assert f"/agenda/tareas/{late.pk}/" in text and "alfa." in text
        to_bea = next(m for m in messages if m["To"] == "bea.worker@beta.test")
        assert "Beta overdue errand" in _body(to_bea) and "Informe" not in _body(to_bea)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            for slug, municipality in (("alfa", world.alfa), ("beta", world.beta)):
                use_municipality(municipality)
                Task.objects.filter(assignee_id__in=people[slug]).delete()
                NetworkMember.objects.filter(pk__in=people[slug]).delete()
                AuditEvent.objects.filter(action__startswith="task.").delete()
            use_public_schema()
