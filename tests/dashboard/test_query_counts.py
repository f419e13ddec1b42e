"""The dashboard answers in a fixed number of queries, whatever the size of the data (the
timing of a big municipality is in bench/dashboard.py)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.db import use_municipality, use_public_schema
from tests.conftest import World, client_for
from tests.dashboard.conftest import Made, fill

PAGES = ("/", "/tablero/")
# 6 to route the request (domain, schema, session, account, roles), then the page's own
# reads: the portfolio once (initiatives, milestones, dependencies, open ARO, latest
# reports, the cycle, managers' names), the ARO counts and the first level's queue, the
# agenda's counts and today's list, the tasks', requests' and communication's counts and
# first rows; the home adds the member count and the recent activity, the full page the
# charts and the map. Today the home takes 32 and the full page 42 for the mayor (29 and 39
# for the communications editor, who sits at no ARO level).
MAX_QUERIES = {"/": 34, "/tablero/": 46}


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: the first request of a client fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_dashboard_does_not_grow_with_the_data(w: World) -> None:
    clients = {who: client_for(getattr(w, who), w.alfa) for who in ("mayor_alfa", "manager_alfa", "editor_alfa")}
    use_municipality(w.alfa)
    made = fill(w, 0, 2)
    use_public_schema()
    small = {(who, url): _count(c, url) for who, c in clients.items() for url in PAGES}

    use_municipality(w.alfa)
    fill(w, 2, 12, made=Made(initiatives=list(made.initiatives)))
    use_public_schema()
    big = {(who, url): _count(c, url) for who, c in clients.items() for url in PAGES}
    page = clients["mayor_alfa"].get("/tablero/").content.decode()
    assert page.count("Asunto de nivel 3") == 5  # the first five of the twelve waiting for the mayor

    assert big == small, (small, big)
    assert all(n <= MAX_QUERIES[url] for (_who, url), n in big.items()), big
