"""The demo agenda: this week's activities with an overlap, requests in every state with one
waiting too long, and an overdue commitment, in every demo municipality."""

from __future__ import annotations

from tenants.agenda import selectors
from tenants.agenda.demo import load_agenda
from tenants.agenda.models import Activity, ActivityStatus, Request
from tenants.agenda.services.activities import overlapping
from tenants.db import use_municipality, use_public_schema
from tenants.demo import MUNICIPALITIES, load_demo
from tenants.models import Municipality
from tests.conftest import World


def test_demo_agenda_shows_what_needs_attention(w: World) -> None:
    load_demo()
    for demo in MUNICIPALITIES:
        use_municipality(Municipality.objects.get(slug=demo.slug))
        count = Activity.objects.count()
        assert count >= 6
        load_agenda(slug=demo.slug, people={})  # already loaded: changes nothing
        assert Activity.objects.count() == count
        assert Activity.objects.filter(is_public=True).exists() and Activity.objects.filter(is_public=False).exists()
        confirmed = Activity.objects.filter(status=ActivityStatus.CONFIRMED)
        assert any(overlapping(a.starts_at, a.ends_at, exclude=a.pk) for a in confirmed), demo.slug
        assert len(set(Request.objects.values_list("status", flat=True))) >= 4
        assert any(selectors.request_is_late(r) for r in Request.objects.all()), demo.slug
        assert any(selectors.task_is_overdue(t) for t in selectors.tasks()), demo.slug
        use_public_schema()
