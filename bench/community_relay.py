"""Relay benchmark: from a municipality's write to being searchable in the community, with a
real Celery worker on Redis.

    ./dev bench community_relay.py [--municipalities 20] [--writes 300] [--rate 10]
                                   [--background 1000] [--events 6000]

1. Provisions `--municipalities` real municipalities (schemas cloned from the template), and
   loads a background index of `--background` generated municipalities, 50 initiatives and
   10 restrictions each, straight into the public index (bench/community_data.py), so the relay and
   the search work at the issue's scale.
2. Starts a real worker (two processes, like production's smallest pod) on Redis.
3. Delay: `--writes` shared initiatives created through the initiatives service, round-robin
   over the municipalities at `--rate` per second; each carries a unique word, and a poller
   asks the search backend for it every 10 ms. Prints the p50/p95/max delay from the write's
   commit until the search finds it. Target: p95 under 2 s.
4. Throughput: `--events` outbox events written at once across the municipalities, one relay
   message per municipality; prints events per second until all are applied and searchable.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib
from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=20)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0, help="writes per second")
    parser.add_argument("--background", type=int, default=1000, help="generated municipalities already indexed")
    parser.add_argument("--events", type=int, default=6000)
    parser.add_argument("--db", default="sigobito_bench_relay")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with benchlib.django_database(args.db, keep=args.keep, CELERY_BROKER_URL=BROKER, CELERY_TASK_ALWAYS_EAGER="0"):
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from kombu import Connection

    call_command("migrate", verbosity=0)
    with Connection(BROKER) as connection:
        connection.default_channel.queue_purge("celery")  # type: ignore[attr-defined]
    municipalities, manager_ids = provision(args.municipalities)
    if args.background:
        import community_data

        t0 = time.perf_counter()
        community_data.generate(municipalities=args.background, initiatives=50, restrictions=10, seed=7)
        print(f"background index: {args.background} municipalities loaded in {time.perf_counter() - t0:.1f} s")
        from search.indexing import rebuild

        t0 = time.perf_counter()
        indexed = rebuild()  # the background is searchable too: the relay writes into a full index
        print(f"search index rebuilt over {indexed} items in {time.perf_counter() - t0:.1f} s")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sigobito_platform.celery:app", "worker", "--concurrency", "2",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "sigobito_platform.settings"},
    )  # fmt: skip
    try:
        time.sleep(4)  # the worker's start-up is not part of the figures
        delay(municipalities, manager_ids, args.writes, args.rate)
        throughput(municipalities, args.events)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def provision(n: int) -> tuple[list, dict[int, int]]:  # type: ignore[type-arg]
    from tenants import services
    from tenants.accounts.services import user_create_or_update
    from tenants.roles import MunicipalRole

    t0 = time.perf_counter()
    made, managers = [], {}
    for i in range(n):
        municipality = services.municipality_create(
            actor=None, name=f"Municipio {i}", slug=f"muni-{i}", country="CO", region=f"Región {i % 5}",
            population=15_000 + 1000 * i, time_zone="America/Bogota", admin_email=f"admin{i}@bench.test",
        ).municipality  # fmt: skip
        user = user_create_or_update(email=f"gerente{i}@bench.test", full_name=f"Gerente {i}")
        services.membership_grant(
            actor=None, municipality=municipality, user=user, role=MunicipalRole.INITIATIVE_MANAGER
        )
        made.append(municipality)
        managers[municipality.pk] = user.pk
    print(f"provisioned {n} municipalities in {time.perf_counter() - t0:.1f} s")
    return made, managers


def _searchable(word: str) -> bool:
    from search.backends import SearchRequest, get_backend

    return get_backend().search(SearchRequest(q=word, page_size=1)).total > 0


def delay(municipalities: list, manager_ids: dict[int, int], writes: int, rate: float) -> None:  # type: ignore[type-arg]
    from django.db import connections

    from tenants.db import use_municipality, use_public_schema
    from tenants.initiatives import services

    written: dict[str, float] = {}
    found: dict[str, float] = {}
    lock = threading.Lock()
    done = threading.Event()

    def poll() -> None:
        try:
            while not done.is_set() or len(found) < len(written):
                with lock:
                    waiting = [w for w in written if w not in found]
                for word in waiting:
                    if _searchable(word):
                        found[word] = time.perf_counter()
                if done.is_set() and waiting and time.perf_counter() - max(written.values()) > 30:
                    break  # give up on stragglers after 30 s; they count as missing
                time.sleep(0.01)
        finally:
            connections.close_all()

    poller = threading.Thread(target=poll)
    poller.start()
    start = date.today()
    t_begin = time.perf_counter()
    for i in range(writes):
        municipality = municipalities[i % len(municipalities)]
        word = f"benchword{i:05d}x"
        use_municipality(municipality)
        services.initiative_save(
            actor=None,
            data={"name": f"Iniciativa {word} de agua potable", "objective": "Agua potable para el barrio.",
                  "product_kind": "public_work", "manager_id": manager_ids[municipality.pk],
                  "start_date": start, "target_date": start + timedelta(days=180), "is_public": True},
        )  # fmt: skip
        committed = time.perf_counter()  # initiative_save is atomic: committed when it returns
        use_public_schema()
        with lock:
            written[word] = committed
        next_at = t_begin + (i + 1) / rate
        time.sleep(max(0.0, next_at - time.perf_counter()))
    done.set()
    poller.join()
    delays = [found[w] - written[w] for w in written if w in found]
    missing = len(written) - len(delays)
    print(
        f"delay write → searchable: {len(delays)} writes over {len(municipalities)} municipalities at {rate:g}/s: "
        f"p50 {percentile(delays, 0.5) * 1000:.0f} ms, p95 {percentile(delays, 0.95) * 1000:.0f} ms, "
        f"max {max(delays) * 1000:.0f} ms, missing {missing}"
        f"  ({'ok' if percentile(delays, 0.95) < 2 and not missing else 'OVER the 2 s target'})"
    )


def throughput(municipalities: list, events: int) -> None:  # type: ignore[type-arg]
    from django.db import transaction

    from community.tasks import relay
    from tenants.db import use_municipality, use_public_schema
    from tenants.workspace.models import OutboxEvent

    per = events // len(municipalities)
    start = date.today().isoformat()
    for m_index, municipality in enumerate(municipalities):
        use_municipality(municipality)
        with transaction.atomic():
            OutboxEvent.objects.bulk_create(
                OutboxEvent(
                    topic="initiative.upserted",
                    aggregate_type="initiative",
                    aggregate_id=str(500_000 + k),
                    payload={
                        "id": 500_000 + k,
                        "name": f"Carga {m_index}-{k} alumbrado público",
                        "objective": "Luminarias LED en el parque central",
                        "status": "active",
                        "light": 1,
                        "start_date": start,
                        "target_date": start,
                        "themes": [],
                        "places": [],
                        "is_public": True,
                    },
                )
                for k in range(per)
            )
    use_public_schema()
    t0 = time.perf_counter()
    for municipality in municipalities:
        relay.delay(municipality.schema_name)
    from community.models import IndexItem

    total = per * len(municipalities)
    while True:
        applied = IndexItem.objects.filter(
            source_id__gte=500_000, search_dirty=False, municipality__in=municipalities
        ).count()
        if applied >= total:
            break
        if time.perf_counter() - t0 > 600:
            print(f"throughput: gave up after 600 s with {applied}/{total}")
            return
        time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    print(
        f"relay throughput: {total} events over {len(municipalities)} municipalities in {elapsed:.1f} s = "
        f"{total / elapsed:.0f} events/s (applied and searchable, worker concurrency 2)"
    )


if __name__ == "__main__":
    main()
