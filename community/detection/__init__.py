"""Detection of common themes (initiatives with common aims) and shared problems
(restrictions describing the same problem) across municipalities.

    text.py      tokenising, language, stemming (Spanish, English)
    features.py  index rows → weighted TF-IDF + SDG + theme vectors
    cluster.py   centroid-based grouping in sampled rounds (no O(n²) comparisons)
    describe.py  names, reasons, strength
    apply.py     stable group ids across runs, curated and dismissed groups
    runner.py    run_detection(): all of the above, timed and measured
    services.py  detection_request() for the console;  tasks.py  the Celery task"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from community.detection.runner import run_detection as run_detection
    from community.detection.services import detection_request as detection_request


def __getattr__(name: str) -> Any:
    # Lazy: importing the package (e.g. from tasks) must not pull numpy/scipy into every process.
    if name == "run_detection":
        from community.detection.runner import run_detection

        return run_detection
    if name == "detection_request":
        from community.detection.services import detection_request

        return detection_request
    raise AttributeError(name)
