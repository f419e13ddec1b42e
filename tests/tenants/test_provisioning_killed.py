"""A provisioning process killed midway leaves nothing behind.

No fault-injection hook is needed: the test holds an uncommitted account with the same
email as the new administrator, so the provisioning transaction (which creates the schema,
the municipality and its domain before the administrator) blocks on the unique index right
after making the schema. The test then kills the process with SIGKILL and checks that the
database holds no trace of it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import World, database_url_for_subprocess, subprocess_env

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "kill-me@provisioning.test"


def _wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


@pytest.mark.slow
def test_killed_provisioning_leaves_no_half_made_schema(world: World) -> None:
    url = database_url_for_subprocess()
    observer = psycopg.connect(url, autocommit=True)
    blocker = psycopg.connect(url)  # a transaction that stays open
    blocker.execute(
        "INSERT INTO accounts_user (email, password, full_name, is_active, is_staff, is_superuser, date_joined) "
        "VALUES (%s, '', 'blocker', true, false, false, now())",
        [EMAIL],
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "create_municipality",
            "--name",
            "Killed",
            "--slug",
            "killed",
            "--country",
            "CO",
            "--time-zone",
            "America/Bogota",
            "--admin-email",
            EMAIL,
            "--admin-password",
            "x" * 12,
        ],
        cwd=ROOT,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        waiting: list[tuple[int, object]] = []

        def provisioning_is_blocked() -> bool:
            waiting[:] = observer.execute(
                "SELECT pid, backend_xid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'INSERT INTO \"accounts_user\"%%' AND datname = current_database()"
            ).fetchall()
            return bool(waiting) or proc.poll() is not None

        _wait_for(provisioning_is_blocked)
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        pid, xid = waiting[0]
        assert xid is not None  # its transaction has already written (schema, municipality, domain)
        locked_relations = observer.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND locktype = 'relation'", [pid]
        ).fetchone()[0]
        assert locked_relations > 2  # holds the tables it created in the new schema
        proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        blocker.rollback()
        blocker.close()
    # The server notices the dead client and rolls its transaction back.
    _wait_for(lambda: not observer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone())
    assert observer.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'm_killed'").fetchone()[0] == 0
    assert observer.execute("SELECT count(*) FROM tenants_municipality WHERE slug = 'killed'").fetchone()[0] == 0
    assert observer.execute("SELECT count(*) FROM tenants_domain WHERE domain LIKE 'killed.%%'").fetchone()[0] == 0
    assert observer.execute("SELECT count(*) FROM accounts_user WHERE email = %s", [EMAIL]).fetchone()[0] == 0
    observer.close()
