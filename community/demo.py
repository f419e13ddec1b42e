"""Demo data of the community layer: the regional team's theme vocabulary, the demo
municipalities' confirmed mappings, the index (relayed from their outboxes, as the worker
would) and one detection run, so the console and the search have something to show."""

from __future__ import annotations

from community.demo_themes import confirm_demo_mappings, seed_vocabulary
from community.relay import relay_municipality
from tenants.models import Municipality


def load_community(slugs: list[str]) -> None:
    from community.detection.runner import run_detection

    seed_vocabulary()
    municipalities = list(Municipality.objects.filter(slug__in=slugs))
    for municipality in municipalities:
        relay_municipality(municipality.schema_name)  # themes first reach the mapping page
    for municipality in municipalities:
        confirm_demo_mappings(municipality)
    # Published alignments reach the index before detection reads their SDG targets.
    from ods_alignment.demo import load_alignment_demo

    load_alignment_demo()
    run_detection()
