from __future__ import annotations

from tenants.db import use_municipality, use_public_schema
from tenants.demo import DEMO_PASSWORD, MUNICIPALITIES, load_demo
from tenants.models import Membership, Municipality
from tenants.structure.models import Actor, NetworkMember, Place, Theme
from tests.conftest import World, client_for


def test_demo_data_is_complete_and_idempotent(w: World) -> None:
    load_demo()
    load_demo()  # running it again changes nothing
    for demo in MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=demo.slug)
        assert Membership.objects.filter(municipality=municipality).count() == 6
        use_municipality(municipality)
        assert Theme.objects.count() == 13
        assert Place.objects.filter(parent__isnull=False).exists() and Place.objects.exclude(geometry=None).exists()
        assert Actor.objects.count() == 8
        linked = NetworkMember.objects.exclude(user_id=None)
        assert linked.count() == 6 and NetworkMember.objects.count() == 7
        use_public_schema()
    mayor = client_for(None, Municipality.objects.get(slug="villa-esperanza"))
    response = mayor.post(
        "/cuenta/entrar/", {"username": "titular@villa-esperanza.example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "Vereda Alto del Águila" in mayor.get("/estructura/places/").content.decode()
