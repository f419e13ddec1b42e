"""One detection run: read the live index, group each kind, describe, apply, measure.

Time and peak memory are stored on the DetectionRun. Peak memory is the process's peak
resident set size *during the run*: on Linux the kernel's high-water mark is reset at the
start (/proc/self/clear_refs) and read at the end (VmHWM); elsewhere it falls back to
`ru_maxrss`, the peak over the process's life (an upper bound)."""

from __future__ import annotations

import logging
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from community.detection.apply import apply_run
from community.detection.cluster import Params, WeakSignal, cluster
from community.detection.describe import Found, describe
from community.detection.features import Items, build, codes
from community.models import DetectionRun, GroupKind
from community.selectors import live_items

if TYPE_CHECKING:
    from tenants.accounts.models import User

logger = logging.getLogger(__name__)

# Weak signals: share of the group's members with the item's value (cluster.py).
INITIATIVE_WEAK = {"region": 0.04, "country": 0.03, "bracket": 0.03}
RESTRICTION_WEAK = {"restriction_type": 0.08}

_FIELDS = (
    "id", "municipality_id", "kind", "source_id", "title", "text", "restriction_type", "country", "region",
    "population_bracket", "platform_themes", "sdg_goals", "sdg_targets", "initiative_id",
)  # fmt: skip


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_kb(reset_worked: bool) -> int:
    if reset_worked:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024 if sys.platform == "darwin" else peak)


def load_items() -> Items:
    items = Items()
    rows = live_items().order_by("id").values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=20_000):
        items.add(row)
    return items


def find_groups(items: Items, params: Params | None = None) -> tuple[list[Found], dict[str, object]]:
    """The pure part (no writes): clusters of both kinds, described."""
    stats: dict[str, object] = {}
    matrices, terms = build(items)
    found: list[Found] = []
    for kind, group_kind, weights in (
        ("initiative", GroupKind.THEME, INITIATIVE_WEAK),
        ("restriction", GroupKind.PROBLEM, RESTRICTION_WEAK),
    ):
        km = matrices[kind]
        if len(km.rows) == 0:
            continue
        muni = items_array(items.municipality, km.rows)
        weak = []
        for name, weight in weights.items():
            values = getattr(items, name)
            weak.append(WeakSignal(codes(values, km.rows)[0], weight))
        t0 = time.perf_counter()
        result = cluster(km.X, muni, weak=weak, params=params)
        stats[f"{kind}_cluster_s"] = round(time.perf_counter() - t0, 2)
        stats[f"{kind}_stats"] = result.stats
        found += describe(
            kind=kind, group_kind=group_kind, km=km, items=items, clustering=result, terms=terms,
        )  # fmt: skip
    return found, stats


def items_array(values: list[int], rows: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)[rows]


def run_detection(*, triggered_by: User | None = None, params: Params | None = None) -> DetectionRun:
    """A full run over the live index. Returns the finished DetectionRun."""
    reset = _reset_peak()
    started = time.perf_counter()
    run = DetectionRun.objects.create(triggered_by=triggered_by)
    phases: dict[str, float] = {}

    t0 = time.perf_counter()
    items = load_items()
    phases["load_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    found, stats = find_groups(items, params)
    phases["group_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    summary = apply_run(run=run, found=found)
    phases["apply_s"] = round(time.perf_counter() - t0, 2)

    run.finished_at = timezone.now()
    run.item_count = len(items)
    run.group_count = len(found)
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.peak_memory_kb = _peak_kb(reset)
    run.summary = {
        **{k: summary.get(k, 0) for k in ("new", "changed", "unchanged", "gone", "returned")},
        **{k: v for k, v in summary.items() if k not in ("new", "changed", "unchanged", "gone", "returned")},
        "themes": sum(1 for f in found if f.kind == GroupKind.THEME),
        "problems": sum(1 for f in found if f.kind == GroupKind.PROBLEM),
        "phases": phases,
        "stats": stats,
    }
    run.save()
    logger.info(
        "detection run %s: %s items, %s groups, %.1f s, %s MiB peak, %s",
        run.pk, run.item_count, run.group_count, run.duration_ms / 1000, run.peak_memory_kb // 1024, summary,
    )  # fmt: skip
    return run
