"""Publishing with a real Redis broker and a real Celery worker process, against a real local
HTTP server standing in for the channel (fake_channel.py).

The publication is requested from another process, as a web request would (the task is
enqueued on commit and carries Alfa's schema); the worker retries temporary failures with
Celery's countdown (COMMUNICATIONS_RETRY_SECONDS is shortened for the test), honours a 429's
Retry-After, gives up after COMMUNICATIONS_MAX_ATTEMPTS, and never publishes twice, however
many times the task's message arrives. Nothing of the channel's credentials reaches the
worker's log."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection as KombuConnection
from sigobito_platform.devstack import redis_answers

from tenants.communications import services
from tenants.communications.models import (
    ActionStatus,
    Channel,
    CommunicationAction,
    Piece,
    Publication,
    PublicationStatus,
)
from tenants.db import use_municipality, use_public_schema
from tenants.workspace.models import AuditEvent
from tests.communications.conftest import ready_piece
from tests.communications.fake_channel import FakeChannel, reply
from tests.conftest import World, start_worker, subprocess_env

ROOT = Path(__file__).resolve().parent.parent.parent
# A Redis database of its own (tests/test_worker.py uses 15, the agenda's reminders 14).
BROKER = os.environ.get("TEST_COMMUNICATIONS_CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
MAX_ATTEMPTS = 3
WORKER_ENV = {"COMMUNICATIONS_RETRY_SECONDS": "0.2", "COMMUNICATIONS_MAX_ATTEMPTS": str(MAX_ATTEMPTS)}
SECRET = "hook-secret-que-no-debe-aparecer-8d1f"
TOKEN = "x-token-que-no-debe-aparecer-5c2e"
FINAL = (PublicationStatus.PUBLISHED, PublicationStatus.FAILED)

# What a web request does, in another process with the broker configured: each operation
# is ["request", piece_id, channel_id] (publication_request, enqueued on commit) or
# ["deliver", publication_id or "last"] (the task's message sent once more, for that row or
# the one just requested). Prints one line each: the row's id, or the message's task id.
SENDER = """
import json, sys
import django
django.setup()
from tenants.accounts.models import User
from tenants.communications import services
from tenants.communications.models import Channel, Piece
from tenants.communications.tasks import publish
from tenants.db import use_municipality
from tenants.models import Municipality

use_municipality(Municipality.objects.get(slug="alfa"))
editor = User.objects.get(email="editor@alfa.test")
last = None
for op, *ids in json.loads(sys.argv[1]):
    if op == "request":
        piece, channel = Piece.objects.get(pk=ids[0]), Channel.objects.get(pk=ids[1])
        last = services.publication_request(actor=editor, piece=piece, channel=channel).pk
        print(last, flush=True)
    else:
        print(publish.delay(last if ids[0] == "last" else ids[0]).id, flush=True)
"""


@dataclass
class Stack:
    world: World
    blocker: Any
    worker: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    channels: list[int] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.log)

    def send(self, *ops: list[Any]) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", SENDER, json.dumps(ops)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=subprocess_env(CELERY_BROKER_URL=BROKER, TEST_CELERY_EAGER="0"),
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.split()

    def prepare(self, endpoint: str, *, kind: str = "webhook") -> tuple[Piece, Channel]:
        """A ready piece and a channel to `endpoint`, committed (the worker is another process)."""
        w = self.world
        with self.blocker.unblock():
            use_municipality(w.alfa)
            piece = ready_piece(w, kind="social_post", summary="Agua potable para 300 familias.")
            self.actions.append(piece.action_id)
            data = {"kind": kind, "name": f"Canal {len(self.channels) + 1}", "endpoint_url": endpoint}
            credentials = {"secret": SECRET}
            if kind == "x":
                data["account"] = "alcaldia_alfa"
                credentials = {"access_token": TOKEN}
            channel = services.channel_save(actor=w.editor_alfa, data=data, credentials=credentials)
            self.channels.append(channel.pk)
            use_public_schema()
        return piece, channel

    def read(self, publication_id: int) -> Publication:
        with self.blocker.unblock():
            use_municipality(self.world.alfa)
            try:
                return Publication.objects.select_related("piece__action").get(pk=publication_id)
            finally:
                use_public_schema()

    def wait_final(self, publication_id: int, timeout: float = 20) -> Publication:
        """Wait until the worker published the row or gave up on it."""
        deadline = time.monotonic() + timeout
        while True:
            row = self.read(publication_id)
            if row.status in FINAL:
                return row
            assert self.worker.poll() is None, self.text()[-5000:]
            if time.monotonic() > deadline:
                pytest.fail(f"publication {publication_id} still {row.status}: {row.error}\n{self.text()[-5000:]}")
            time.sleep(0.1)

    def wait_tasks(self, task_ids: list[str], timeout: float = 20) -> None:
        """Wait until the worker logged each of these task messages as done."""
        deadline = time.monotonic() + timeout
        while not all(re.search(rf"\[{re.escape(t)}\] succeeded", self.text()) for t in task_ids):
            assert self.worker.poll() is None, self.text()[-5000:]
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not finish {task_ids}\n{self.text()[-5000:]}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def stack(world: World, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    host, port = BROKER.split("//", 1)[1].split("/", 1)[0].split(":")
    if not redis_answers(int(port), host):
        pytest.fail(f"this test needs Redis at {BROKER} (./dev test finds or starts one)")
    with django_db_blocker.unblock():
        use_municipality(world.alfa)
        last_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        use_public_schema()
    # Messages a crashed earlier run left behind would run against this run's data.
    with KombuConnection(BROKER) as broker:
        broker.default_channel.queue_purge("celery")  # type: ignore[attr-defined]
    worker = start_worker(BROKER, tmp_path_factory.mktemp("mail"), **WORKER_ENV)
    made = Stack(world=world, blocker=django_db_blocker, worker=worker)

    def drain() -> None:
        # Read the worker's output as it comes: a full pipe would stall the worker.
        assert worker.stdout is not None
        for line in worker.stdout:
            made.log.append(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        yield made
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        reader.join(timeout=5)
        with django_db_blocker.unblock():
            use_municipality(world.alfa)
            Publication.objects.filter(channel_id__in=made.channels).delete()
            CommunicationAction.objects.filter(pk__in=made.actions).delete()
            Channel.objects.filter(pk__in=made.channels).delete()
            AuditEvent.objects.filter(pk__gt=last_audit).delete()
            use_public_schema()


@pytest.fixture
def fake() -> Iterator[FakeChannel]:
    with FakeChannel() as server:
        yield server


def _no_credentials_in(stack: Stack) -> None:
    log = stack.text()
    assert "communications.publish" in log  # the worker did log its work…
    assert SECRET not in log and TOKEN not in log  # …and nothing of the credentials


@pytest.mark.slow
def test_two_server_errors_then_success_publish_exactly_once(stack: Stack, fake: FakeChannel) -> None:
    piece, channel = stack.prepare(f"{fake.url}/hooks/alfa")
    fake.script(reply(500), reply(500), reply(200, id="hook-1", url="https://receptor.example.org/1"))

    (publication_id,) = stack.send(["request", piece.pk, channel.pk])
    row = stack.wait_final(int(publication_id))

    assert row.status == PublicationStatus.PUBLISHED, row.error
    assert row.attempts == 3 and row.error == "" and row.external_id == "hook-1"
    assert row.url == "https://receptor.example.org/1" and row.published_at is not None
    assert row.piece.action.status == ActionStatus.PUBLISHED
    assert [r.answered for r in fake.requests] == [500, 500, 200]
    assert len(fake.successes()) == 1
    assert {r.headers["idempotency-key"] for r in fake.requests} == {str(row.key)}
    assert {r.path for r in fake.requests} == {"/hooks/alfa"}
    _no_credentials_in(stack)


@pytest.mark.slow
def test_a_message_delivered_again_publishes_nothing_more(stack: Stack, fake: FakeChannel) -> None:
    piece, channel = stack.prepare(fake.url)
    # The request's own message, then the same task twice more (a redelivery, a resend).
    publication_id, *task_ids = stack.send(["request", piece.pk, channel.pk], ["deliver", "last"], ["deliver", "last"])
    assert len(task_ids) == 2
    stack.wait_tasks(task_ids)
    row = stack.wait_final(int(publication_id))
    assert row.status == PublicationStatus.PUBLISHED and row.attempts == 1
    # Once more, well after it was published.
    stack.wait_tasks(stack.send(["deliver", int(publication_id)]))
    assert len(fake.requests) == 1 and len(fake.successes()) == 1
    assert stack.read(int(publication_id)).attempts == 1
    _no_credentials_in(stack)


@pytest.mark.slow
def test_too_many_requests_waits_for_retry_after_then_publishes(stack: Stack, fake: FakeChannel) -> None:
    piece, channel = stack.prepare(fake.url, kind="x")
    fake.script(reply(429, retry_after=1), reply(201, data={"id": "1801"}))

    (publication_id,) = stack.send(["request", piece.pk, channel.pk])
    row = stack.wait_final(int(publication_id))

    assert row.status == PublicationStatus.PUBLISHED and row.attempts == 2
    assert row.url == "https://x.com/alcaldia_alfa/status/1801"
    first, second = fake.requests
    assert (first.answered, second.answered) == (429, 201)
    assert first.path == second.path == "/2/tweets"
    assert second.headers["authorization"] == f"Bearer {TOKEN}"
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == str(row.key)
    # The channel asked for a second; the backoff alone would have been 0.2.
    assert second.at - first.at >= 0.9
    _no_credentials_in(stack)


@pytest.mark.slow
def test_an_endpoint_that_keeps_failing_fails_and_a_retry_publishes_once_fixed(stack: Stack, fake: FakeChannel) -> None:
    piece, channel = stack.prepare(fake.url)
    fake.script(default=reply(500))

    (publication_id,) = stack.send(["request", piece.pk, channel.pk])
    row = stack.wait_final(int(publication_id))

    assert row.status == PublicationStatus.FAILED and row.attempts == MAX_ATTEMPTS
    assert "500" in row.error and f"{MAX_ATTEMPTS} veces" in row.error
    assert [r.answered for r in fake.requests] == [500] * MAX_ATTEMPTS
    assert row.piece.action.status == ActionStatus.READY

    # The channel is fixed and a person retries: the same row and key, published once.
    fake.script(default=reply(200, id="por-fin"))
    assert stack.send(["request", piece.pk, channel.pk]) == [publication_id]
    row = stack.wait_final(int(publication_id))
    assert row.status == PublicationStatus.PUBLISHED and row.attempts == 1 and row.external_id == "por-fin"
    assert [r.answered for r in fake.requests] == [500] * MAX_ATTEMPTS + [200]
    assert {r.headers["idempotency-key"] for r in fake.requests} == {str(row.key)}
    assert row.piece.action.status == ActionStatus.PUBLISHED
    _no_credentials_in(stack)
