"""The portfolio and the level pages answer in a fixed number of queries, whatever the size
of the portfolio (the timing of a big municipality is in bench/initiatives.py)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import AroKind, AroType, Status
from tenants.initiatives.services.reports import reportable_weeks
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

PAGES = ("/iniciativas/", "/iniciativas/nivel/1/", "/iniciativas/nivel/2/", "/iniciativas/nivel/3/")
# 6 to route the request (domain, schema, session, account, roles), then the page's own
# reads. Today the portfolio takes 17 for the mayor (a moderator also gets the count of
# pending opinions) and each level page 16, whatever the number of initiatives.
MAX_QUERIES = 18


def _add_initiatives(w: World, first: int, last: int) -> None:
    """Initiatives with milestones, two weekly reports, and open ARO at each level, through
    the services."""
    use_municipality(w.alfa)
    types = list(AroType.objects.all())
    for n in range(first, last):
        initiative, milestones = make_initiative(w, name=f"Iniciativa {n:02d}", milestones=3 + n % 3, close=True)
        initiative = services.initiative_set_status(actor=None, initiative=initiative, status=Status.IN_EXECUTION)
        for week in reversed(reportable_weeks(initiative, count=2)):
            services.report_submit(
                actor=None, initiative=initiative, week_start=week, narrative="Avance de la semana.",
                progress={m.pk: (10 + n, "") for m in milestones},
            )  # fmt: skip
        for level, kind in ((1, AroKind.ALERT), (2, AroKind.OPPORTUNITY), (3, AroKind.RESTRICTION)):
            aro = services.aro_raise(
                actor=None, initiative=initiative, milestone=milestones[level % len(milestones)], kind=kind,
                aro_type=types[n % len(types)], description=f"Problema de nivel {level} en la iniciativa {n}",
            )  # fmt: skip
            for _ in range(level - 1):
                aro = services.aro_escalate(actor=None, aro=aro, comment="Se eleva al nivel siguiente.")
        if n % 2:
            services.milestone_complete(
                actor=None, milestone=milestones[0], completed_on=initiative.start_date, evidence_text="Acta firmada."
            )
    use_public_schema()


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: the first request of a client fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_portfolio_and_level_pages_do_not_grow_with_the_portfolio(w: World) -> None:
    _add_initiatives(w, 0, 2)
    client = client_for(w.mayor_alfa, w.alfa)
    small = {url: _count(client, url) for url in PAGES}

    _add_initiatives(w, 2, 10)
    big = {url: _count(client, url) for url in PAGES}
    page = client.get("/iniciativas/nivel/3/").content.decode()
    assert page.count("Problema de nivel 3") == 10  # the ten restrictions wait for the mayor

    assert big == small, (small, big)
    assert all(n <= MAX_QUERIES for n in big.values()), big
