"""Calendar feeds, read back with a real iCalendar parser: the public feed has public
activities only; a private feed has what its owner may see; secret addresses that are wrong,
replaced or revoked, or whose owner left, answer the ordinary 404; nothing crosses
municipalities."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tenants.accounts.models import User
from tenants.agenda import services
from tenants.agenda.models import Activity
from tenants.db import use_municipality, use_public_schema
from tenants.models import Membership
from tenants.structure.models import NetworkMember
from tests.agenda.conftest import in_days
from tests.conftest import World, client_for

FEED_URL = re.compile(r"https?://[^/\"]+(/publico/agenda/privado/([A-Za-z0-9_-]+)\.ics)")


def make_activity(title: str, *, public: bool, days: int = 2, status: str = "confirmed", **extra: Any) -> Activity:
    activity, _overlaps = services.activity_save(
        actor=None,
        data={"title": title, "kind": "meeting", "is_public": public, "starts_at": in_days(days),
              "ends_at": in_days(days, 11), "status": status, **extra},
    )  # fmt: skip
    return activity


def events(response: Any) -> dict[str, Any]:
    """The feed parsed back: SUMMARY → VEVENT."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def issue(client: Client) -> str:
    """Create (or replace) the private feed address on the page; returns its path."""
    page = client.post("/agenda/feeds/privado/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    match = FEED_URL.search(page.content.decode())
    assert match, page.content.decode()
    return match.group(1)


def normalised_404(response: Any) -> str:
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    # The language form's `next` (the path) and the CSRF token differ per request.
    return re.sub(r"<input[^>]*>", "", response.content.decode())


def test_public_feed_has_public_activities_only(in_alfa: World) -> None:
    w = in_alfa
    public = make_activity("Inauguración del parque", public=True, address="Calle 5 # 3-20")
    make_activity("Reunión reservada con el concejal", public=False)
    cancelled = make_activity("Feria de emprendimiento", public=True, days=4, status="cancelled")
    tentative = make_activity("Visita a la vereda", public=True, days=6, status="tentative")
    make_activity("Cabildo abierto del año pasado", public=True, days=-60)
    use_public_schema()

    response = client_for(None, w.alfa).get("/publico/agenda.ics")
    found = events(response)
    assert set(found) == {"Inauguración del parque", "Feria de emprendimiento", "Visita a la vereda"}
    calendar = Calendar.from_ical(response.content)
    assert "Municipio Alfa" in str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert client_for(None, w.alfa).head("/publico/agenda.ics").status_code == 200
    event = found["Inauguración del parque"]
    assert str(event["UID"]) == f"{public.pk}@alfa.localhost"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == timedelta(0) and start == public.starts_at and end == public.ends_at
    assert "Z" in event["DTSTART"].to_ical().decode()
    assert str(event["LOCATION"]) == "Calle 5 # 3-20"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["DESCRIPTION"]) == "Reunión"
    assert str(found["Feria de emprendimiento"]["STATUS"]) == "CANCELLED"
    assert str(found["Feria de emprendimiento"]["UID"]) == f"{cancelled.pk}@alfa.localhost"
    assert str(found["Visita a la vereda"]["STATUS"]) == "TENTATIVE"
    assert str(found["Visita a la vereda"]["UID"]) == f"{tentative.pk}@alfa.localhost"
    # Members and other municipalities' accounts get the same public feed.
    assert set(events(client_for(w.mayor_alfa, w.alfa).get("/publico/agenda.ics"))) == set(found)
    assert set(events(client_for(w.admin_beta, w.alfa).get("/publico/agenda.ics"))) == set(found)


def test_private_feed_shows_what_its_owner_may_see(in_alfa: World) -> None:
    w = in_alfa
    make_activity("Evento público", public=True)
    private = make_activity("Reunión privada del titular", public=False)
    joined = make_activity("Reunión privada con el equipo de prensa", public=False, days=3)
    use_public_schema()

    mayor_feed = issue(client_for(w.mayor_alfa, w.alfa))
    anonymous = client_for(None, w.alfa)
    response = anonymous.get(mayor_feed)
    assert response["Cache-Control"] == "private, no-store"
    mayor_sees = events(response)
    assert set(mayor_sees) == {
        "Evento público",
        "Reunión privada del titular",
        "Reunión privada con el equipo de prensa",
    }
    assert str(mayor_sees["Reunión privada del titular"]["CLASS"]) == "PRIVATE"
    assert str(mayor_sees["Reunión privada del titular"]["URL"]).endswith(f"/agenda/actividades/{private.pk}/")
    assert "Municipio Alfa" in str(Calendar.from_ical(response.content)["X-WR-CALNAME"])

    # The communications editor may not see the mayor's private activities...
    editor_feed = issue(client_for(w.editor_alfa, w.alfa))
    assert set(events(anonymous.get(editor_feed))) == {"Evento público"}
    # ...except those they take part in.
    use_municipality(w.alfa)
    elena = NetworkMember.objects.create(full_name="Elena Editora", user_id=w.editor_alfa.pk)
    services.activity_save(actor=None, activity=joined, data={"participants": [elena]})
    use_public_schema()
    assert set(events(anonymous.get(editor_feed))) == {"Evento público", "Reunión privada con el equipo de prensa"}


def test_wrong_replaced_and_revoked_secrets_answer_the_ordinary_404(in_alfa: World) -> None:
    w = in_alfa
    make_activity("Reunión privada", public=False)
    use_public_schema()
    mayor = client_for(w.mayor_alfa, w.alfa)
    anonymous = client_for(None, w.alfa)
    missing = normalised_404(anonymous.get("/publico/no-existe/"))

    first = issue(mayor)
    assert "Reunión privada" in events(anonymous.get(first))
    assert normalised_404(anonymous.get("/publico/agenda/privado/not-a-real-secret.ics")) == missing
    assert normalised_404(anonymous.get(first[:-8] + "AAAA.ics")) == missing

    second = issue(mayor)  # replacing the address retires the first one
    assert second != first
    assert normalised_404(anonymous.get(first)) == missing
    assert "Reunión privada" in events(anonymous.get(second))
    # The page no longer shows the secret after it was issued.
    page = mayor.get("/agenda/feeds/").content.decode()
    assert not FEED_URL.search(page) and "Tiene una dirección privada activa" in page

    revoked = mayor.post("/agenda/feeds/privado/revocar/")
    assert revoked.status_code == 302 and revoked["Location"] == "/agenda/feeds/"
    assert normalised_404(anonymous.get(second)) == missing
    assert "No tiene una dirección privada activa" in mayor.get("/agenda/feeds/").content.decode()
    assert mayor.get("/agenda/feeds/privado/revocar/").status_code == 405
    assert client_for(w.admin_beta, w.alfa).get("/agenda/feeds/").status_code == 404


def test_a_member_who_left_loses_the_private_feed(in_alfa: World) -> None:
    w = in_alfa
    make_activity("Evento público", public=True)
    use_public_schema()
    path = issue(client_for(w.editor_alfa, w.alfa))
    anonymous = client_for(None, w.alfa)
    assert set(events(anonymous.get(path))) == {"Evento público"}
    Membership.objects.filter(user=w.editor_alfa, municipality=w.alfa).delete()
    assert anonymous.get(path).status_code == 404
    # A deactivated account too.
    path = issue(client_for(w.mayor_alfa, w.alfa))
    User.objects.filter(pk=w.mayor_alfa.pk).update(is_active=False)
    assert anonymous.get(path).status_code == 404


def test_feeds_page_shows_the_public_address(in_alfa: World) -> None:
    w = in_alfa
    use_public_schema()
    page = client_for(w.editor_alfa, w.alfa).get("/agenda/feeds/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="http://alfa.localhost/publico/agenda.ics"' in html
    assert "Crear mi dirección privada" in html
    assert client_for(None, w.alfa).get("/agenda/feeds/").status_code == 302  # to log in


def test_feeds_do_not_cross_municipalities(in_alfa: World) -> None:
    w = in_alfa
    make_activity("Evento público de Alfa", public=True)
    make_activity("Reunión privada de Alfa", public=False)
    use_municipality(w.beta)
    beta_event = make_activity("Public event in Beta", public=True)
    use_public_schema()

    beta_public = events(client_for(None, w.beta).get("/publico/agenda.ics"))
    assert set(beta_public) == {"Public event in Beta"}
    assert str(beta_public["Public event in Beta"]["UID"]) == f"{beta_event.pk}@beta.localhost"
    assert set(events(client_for(None, w.alfa).get("/publico/agenda.ics"))) == {"Evento público de Alfa"}

    # A secret issued in Alfa means nothing on Beta's host, even for a Beta member's session.
    alfa_path = issue(client_for(w.mayor_alfa, w.alfa))
    assert client_for(None, w.beta).get(alfa_path).status_code == 404
    assert client_for(w.admin_beta, w.beta).get(alfa_path).status_code == 404
    # Beta's own secret shows Beta only, and not on Alfa's host.
    beta_path = issue(client_for(w.admin_beta, w.beta))
    assert set(events(client_for(None, w.beta).get(beta_path))) == {"Public event in Beta"}
    assert client_for(None, w.alfa).get(beta_path).status_code == 404


def test_feed_window_keeps_recent_past_and_the_coming_year(in_alfa: World) -> None:
    from tenants.agenda.feeds import feed_window

    make_activity("Hace 10 días", public=True, days=-10)
    make_activity("Hace 40 días", public=True, days=-40)
    make_activity("En 300 días", public=True, days=300)
    make_activity("En 400 días", public=True, days=400)
    titles = {a.title for a in feed_window(Activity.objects.all(), now=timezone.now())}
    assert titles == {"Hace 10 días", "En 300 días"}
