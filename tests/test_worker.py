"""Background work with a real Redis broker and a real Celery worker process: a task sent
from inside a municipality runs inside that municipality's schema."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from sigobito_platform.devstack import redis_answers

from tenants.models import Invitation
from tenants.workspace.models import AuditEvent
from tests.conftest import World, start_worker, subprocess_env

ROOT = Path(__file__).resolve().parent.parent
# A Redis database of its own, so a development worker never takes the test's messages.
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.slow
def test_invitation_email_is_sent_by_a_real_worker_in_the_tenant_schema(
    world: World, django_db_blocker: object, tmp_path: Path
) -> None:
    host, port = BROKER.split("//", 1)[1].split("/", 1)[0].split(":")
    if not redis_answers(int(port), host):
        pytest.fail(f"this test needs Redis at {BROKER} (./dev test finds or starts one)")
    mail_dir = tmp_path / "mail"
    worker = start_worker(BROKER, mail_dir)
    # The invitation is made by another process, as a web request would be, with the
    # broker configured: the task is enqueued on commit and carries Alfa's schema.
    sender = (
        "import django; django.setup()\n"
        "from tenants.db import use_municipality\n"
        "from tenants import services\n"
        "from tenants.models import Municipality\n"
        "from tenants.accounts.models import User\n"
        "alfa = Municipality.objects.get(slug='alfa')\n"
        "use_municipality(alfa)\n"
        "inv = services.invitation_create(actor=User.objects.get(email='admin@alfa.test'), municipality=alfa,\n"
        "    email='worker@alfa.test', roles=['agenda_manager'])\n"
        "print(inv.pk)\n"
    )
    invitation_id = None
    try:
        made = subprocess.run(
            [sys.executable, "-c", sender],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=subprocess_env(CELERY_BROKER_URL=BROKER, TEST_CELERY_EAGER="0"),
        )
        invitation_id = int(made.stdout.strip().splitlines()[-1])
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            connection.set_tenant(world.alfa)
            deadline = time.monotonic() + 60
            while (
                time.monotonic() < deadline and not AuditEvent.objects.filter(action="invitation.email_sent").exists()
            ):
                assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
                time.sleep(0.25)
            sent = AuditEvent.objects.filter(action="invitation.email_sent", object_id=str(invitation_id))
            assert sent.count() == 1, "the worker did not run the task in Alfa's schema"
            connection.set_tenant(world.beta)
            assert not AuditEvent.objects.filter(action="invitation.email_sent").exists()
        messages = list(mail_dir.glob("*.log"))
        assert len(messages) == 1
        text = messages[0].read_text()
        assert "worker@alfa.test" in text and "/cuenta/invitacion/" in text and "Municipio Alfa" in text
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            connection.set_tenant(world.alfa)
            AuditEvent.objects.filter(action__startswith="invitation.").delete()
            connection.set_schema_to_public()
            if invitation_id:
                Invitation.objects.filter(pk=invitation_id).delete()
