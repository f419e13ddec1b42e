"""Provisioning benchmark: create N municipalities and time each, then time `migrate`.

    ./dev bench provision.py            # N = 100
    ./dev bench provision.py --n 1000   # the figure the foundation issue asks for

Runs on a database of its own (sigobito_bench on the same server), created and dropped by
the script, so the development data is untouched. Prints the median and p95 time to create
one municipality (overall and for the last tenth, when the most schemas exist) and how
long `migrate` takes across all of them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402  (bench/ is on the path: the scripts run as files)
from benchlib import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    bench_db = "sigobito_bench"
    server = benchlib.create(bench_db)

    import django

    django.setup()
    from django.core.management import call_command

    from tenants import schemas, services

    # Time the schema clone on its own too (it is the part that could grow with the number
    # of schemas); the rest is a few row inserts.
    clone_times: list[float] = []
    original_clone = schemas.clone_template

    def timed_clone(target: str) -> None:
        t0 = time.perf_counter()
        original_clone(target)
        clone_times.append(time.perf_counter() - t0)

    schemas.clone_template = timed_clone  # type: ignore[assignment]

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"initial migrate (public + template): {time.perf_counter() - started:.1f} s")

    times: list[float] = []
    for i in range(args.n):
        t0 = time.perf_counter()
        services.municipality_create(
            actor=None,
            name=f"Municipio {i}",
            slug=f"bench-{i}",
            country="CO",
            time_zone="America/Bogota",
            admin_email=f"admin{i}@bench.test",  # no password: invited, as from the UI or API
        )
        times.append(time.perf_counter() - t0)
        if (i + 1) % max(1, args.n // 10) == 0:
            print(f"  {i + 1:5d} municipalities, last create {times[-1] * 1000:.1f} ms", flush=True)

    last = times[-max(1, len(times) // 10) :]
    print(
        f"create one municipality (N={args.n}): median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {percentile(times, 0.95) * 1000:.1f} ms"
    )
    print(
        f"  at {args.n - len(last)}..{args.n} existing: median {statistics.median(last) * 1000:.1f} ms, "
        f"p95 {percentile(last, 0.95) * 1000:.1f} ms"
    )
    last_clones = clone_times[-len(last) :]
    print(
        f"  of which the schema clone: median {statistics.median(clone_times) * 1000:.1f} ms overall, "
        f"{statistics.median(last_clones) * 1000:.1f} ms for the last tenth"
    )

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"migrate across public + template + {args.n} municipalities (nothing pending): "
        f"{time.perf_counter() - t0:.1f} s"
    )

    if not args.keep:
        benchlib.drop(server, bench_db)


if __name__ == "__main__":
    main()
