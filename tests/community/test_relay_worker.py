"""The relay with a real Redis broker and real Celery worker processes: a worker killed in
the middle of a batch loses nothing and applies nothing twice, and events written while the
broker was down are relayed by the sweep once it is back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection as KombuConnection
from sigobito_platform.devstack import redis_answers

from community.models import IndexItem, ItemKind, RelayFailure
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives.models import Initiative
from tenants.workspace.models import AuditEvent, OutboxEvent
from tests.conftest import World, start_worker, subprocess_env

ROOT = Path(__file__).resolve().parent.parent.parent
# A Redis database of its own (other worker tests use 12, 14 and 15).
BROKER = os.environ.get("TEST_COMMUNITY_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
BATCH = 300
ITEMS = 400  # three events each: 1,200 events, four batches
FIRST_ID = 7_000_000

SEND = """
import sys
import django
django.setup()
from community.tasks import relay, relay_sweep
if sys.argv[1] == "sweep":
    relay_sweep.delay()
else:
    relay.delay(sys.argv[1])
"""

# A web request that shares an initiative while the broker is unreachable.
WRITE = """
import django
django.setup()
from datetime import date
from tenants.accounts.models import User
from tenants.db import use_municipality
from tenants.initiatives import services
from tenants.models import Municipality

use_municipality(Municipality.objects.get(slug="alfa"))
manager = User.objects.get(email="gerente@alfa.test")
initiative = services.initiative_save(actor=None, data={
    "name": "Escrita con el broker caído", "objective": "Que nada se pierda.", "product_kind": "new_service",
    "manager_id": manager.pk, "start_date": date(2026, 1, 1), "target_date": date(2026, 12, 31),
})
print(initiative.pk)
"""


def _send(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SEND, *args], cwd=ROOT, capture_output=True, text=True,
        env=subprocess_env(CELERY_BROKER_URL=BROKER, TEST_CELERY_EAGER="0"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


class Worker:
    def __init__(self, tmp: Path) -> None:
        self.process = start_worker(BROKER, tmp, COMMUNITY_RELAY_BATCH=str(BATCH))
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait(timeout=30)
        self.reader.join(timeout=5)


def _wait(condition: Callable[[], bool], what: str, worker: Worker, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert worker.process.poll() is None, "".join(worker.log)[-4000:]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{''.join(worker.log)[-4000:]}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    host, port = BROKER.split("//", 1)[1].split("/", 1)[0].split(":")
    if not redis_answers(int(port), host):
        pytest.fail(f"this test needs Redis at {BROKER} (./dev test finds or starts one)")
    with KombuConnection(BROKER) as connection:
        connection.default_channel.queue_purge("celery")  # type: ignore[attr-defined]
    yield BROKER


class Db:
    """Committed reads and writes (the workers are other processes)."""

    def __init__(self, world: World, blocker: Any) -> None:
        self.world, self.blocker = world, blocker

    def __call__(self, fn: Callable[[], Any], *, tenant: bool = True) -> Any:
        with self.blocker.unblock():
            if tenant:
                use_municipality(self.world.alfa)
            try:
                return fn()
            finally:
                use_public_schema()


@pytest.fixture
def db_(world: World, django_db_blocker: Any) -> Iterator[Db]:
    db = Db(world, django_db_blocker)
    first_event = db(lambda: OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    first_audit = db(lambda: AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    yield db

    def clean() -> None:
        OutboxEvent.objects.filter(pk__gt=first_event).delete()
        AuditEvent.objects.filter(pk__gt=first_audit).delete()
        Initiative.objects.filter(name="Escrita con el broker caído").delete()
        IndexItem.objects.filter(municipality=world.alfa).delete()
        RelayFailure.objects.filter(municipality=world.alfa).delete()

    db(clean)


def _payload(k: int, version: int) -> dict[str, Any]:
    return {"id": FIRST_ID + k, "name": f"Iniciativa {k} v{version}", "objective": "Agua potable", "status": "active",
            "light": 1, "start_date": "2026-01-01", "target_date": "2026-12-31", "themes": [], "places": [],
            "is_public": True}  # fmt: skip


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    broker: str, db_: Db, tmp_path: Path
) -> None:
    def seed() -> list[int]:
        events = []
        for version in (1, 2, 3):
            for k in range(ITEMS):
                if version == 3 and k % 4 == 0:
                    events.append(OutboxEvent(topic="initiative.withdrawn", aggregate_type="initiative",
                                              aggregate_id=str(FIRST_ID + k), payload={}))  # fmt: skip
                else:
                    payload = _payload(k, version)
                    events.append(OutboxEvent(topic="initiative.upserted", aggregate_type="initiative",
                                              aggregate_id=str(FIRST_ID + k), payload=payload))  # fmt: skip
        return [e.pk for e in OutboxEvent.objects.bulk_create(events)]

    ids = db_(seed)
    pending = lambda: db_(lambda: OutboxEvent.objects.filter(pk__in=ids, processed_at__isnull=True).count())  # noqa: E731

    worker = Worker(tmp_path / "first")
    try:
        _send(db_.world.alfa.schema_name)
        # Kill it as soon as the first batch is in: the second is then under way.
        _wait(lambda: pending() < len(ids), "the first batch", worker)
        worker.stop(signal.SIGKILL)
    finally:
        worker.stop()

    left = pending()
    assert 0 < left < len(ids), "the kill should land while events were still pending"
    assert (len(ids) - left) % BATCH == 0, "a batch commits whole or not at all"

    def consistent() -> None:
        # Every item holds exactly the newest of its processed events, nothing newer.
        processed: dict[int, int] = {}
        for pk, agg in OutboxEvent.objects.filter(pk__in=ids, processed_at__isnull=False).values_list(
            "pk", "aggregate_id"
        ):
            processed[int(agg)] = max(pk, processed.get(int(agg), 0))
        rows = dict(
            IndexItem.objects.filter(municipality=db_.world.alfa, source_id__gte=FIRST_ID).values_list(
                "source_id", "last_event_id"
            )
        )
        assert rows == processed

    db_(consistent)

    worker = Worker(tmp_path / "second")
    try:
        _send(db_.world.alfa.schema_name)
        _wait(lambda: pending() == 0, "the rest of the events", worker)
    finally:
        worker.stop()

    def final() -> None:
        rows = IndexItem.objects.filter(municipality=db_.world.alfa, source_id__gte=FIRST_ID)
        assert rows.count() == ITEMS  # one row per item: nothing duplicated
        for row in rows:
            k = row.source_id - FIRST_ID
            if k % 4 == 0:
                assert row.withdrawn_at is not None and row.title == ""
            else:
                assert row.withdrawn_at is None and row.title == f"Iniciativa {k} v3"
        assert not RelayFailure.objects.filter(municipality=db_.world.alfa).exists()

    db_(final, tenant=False)
    db_(consistent)


@pytest.mark.slow
def test_writes_while_the_broker_is_down_are_relayed_by_the_sweep(broker: str, db_: Db, tmp_path: Path) -> None:
    # Nothing listens on port 9: the write commits, its wake-up message cannot be sent.
    done = subprocess.run(
        [sys.executable, "-c", WRITE], cwd=ROOT, capture_output=True, text=True,
        env=subprocess_env(CELERY_BROKER_URL="redis://127.0.0.1:9/0", TEST_CELERY_EAGER="0"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    initiative_id = int(done.stdout.split()[-1])
    assert "sweep will pick the events up" in done.stderr
    assert db_(lambda: OutboxEvent.objects.filter(aggregate_id=str(initiative_id), processed_at__isnull=True).count())

    worker = Worker(tmp_path / "sweep")
    try:
        _send("sweep")
        _wait(
            lambda: db_(
                lambda: IndexItem.objects.filter(
                    municipality=db_.world.alfa, kind=ItemKind.INITIATIVE, source_id=initiative_id
                ).exists(),
                tenant=False,
            ),
            "the sweep to relay the event",
            worker,
        )
    finally:
        worker.stop()
    row = db_(lambda: IndexItem.objects.get(kind=ItemKind.INITIATIVE, source_id=initiative_id), tenant=False)
    assert row.title == "Escrita con el broker caído" and not row.search_dirty
