"""The development runner finds PostgreSQL, or starts a cluster of its own, also as root."""

from __future__ import annotations

import shutil
import socket
import uuid
from pathlib import Path

import psycopg
import pytest
from sigobito_platform import devstack


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_starts_a_project_local_cluster_when_no_server_answers() -> None:
    if devstack._pg_bindir() is None:
        pytest.fail("PostgreSQL binaries are expected on this machine (Debian's postgresql package)")
    # /var/tmp rather than pytest's tmp_path: as root the cluster runs as another account,
    # which must be able to enter its directory.
    base = Path("/var/tmp") / f"sigobito-pg-test-{uuid.uuid4().hex[:8]}"  # noqa: S108
    port = _free_port()
    try:
        url = devstack.start_local_cluster(base=base, port=port)
        assert url == f"postgresql://postgres@127.0.0.1:{port}/{devstack.DB_NAME}"
        with psycopg.connect(url) as conn:
            user, superuser = conn.execute("SELECT current_user, current_setting('is_superuser')").fetchone()  # type: ignore[misc]
            owner = conn.execute(
                "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            ).fetchone()
        assert user == "postgres" and superuser == "on" and owner == ("postgres",)
        # Started twice is fine: the second call finds it running.
        assert devstack.start_local_cluster(base=base, port=port) == url
    finally:
        devstack.stop_local_cluster(base=base)
        shutil.rmtree(base, ignore_errors=True)


def test_says_what_to_do_without_any_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devstack, "_pg_bindir", lambda: None)
    with pytest.raises(SystemExit, match=r"DATABASE_URL.*apt-get install postgresql"):
        devstack.start_local_cluster(base=Path("/nonexistent"), port=_free_port())


def test_database_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.internal:5432/prod")
    assert devstack.resolve_database() == "postgresql://someone@db.internal:5432/prod"
