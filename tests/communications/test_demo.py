"""The demo communications: every status and origin, the states of channels and publications
worth seeing, an inbox with suggestions left, and a public news page with the published
pieces, in every demo municipality. Loading twice changes nothing."""

from __future__ import annotations

from tenants.communications import selectors
from tenants.communications.demo import load_communications
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Origin,
    Piece,
    PieceKind,
    Publication,
    PublicationStatus,
    SuggestionDecision,
)
from tenants.communications.services import missing_credentials
from tenants.db import use_municipality, use_public_schema
from tenants.demo import MUNICIPALITIES, load_demo
from tenants.models import Municipality
from tests.conftest import client_for


def test_demo_communications_show_every_state_and_reach_the_news_page(w: object) -> None:
    load_demo()
    load_demo()  # running it again changes nothing
    for demo in MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=demo.slug)
        use_municipality(municipality)
        counts = (CommunicationAction.objects.count(), Piece.objects.count(), Publication.objects.count())
        load_communications(slug=demo.slug, people={})  # already loaded: changes nothing
        assert (CommunicationAction.objects.count(), Piece.objects.count(), Publication.objects.count()) == counts

        assert set(CommunicationAction.objects.values_list("status", flat=True)) == set(ActionStatus.values)
        assert set(CommunicationAction.objects.values_list("origin", flat=True)) == set(Origin.values), demo.slug
        assert set(Piece.objects.values_list("kind", flat=True)) == set(PieceKind.values)
        assert Piece.objects.filter(approved_version__isnull=False).exists()
        assert any(not p.is_approved for p in Piece.objects.all())  # one waits for the mayor
        assert SuggestionDecision.objects.filter(accepted=True).count() == 2
        assert selectors.suggestions(), "the inbox keeps suggestions to decide"

        channels = {c.kind: c for c in Channel.objects.all()}
        assert set(channels) == {ChannelKind.WEB, ChannelKind.X, ChannelKind.WEBHOOK}
        assert not channels[ChannelKind.X].is_active
        assert any(missing_credentials(c) for c in Channel.objects.filter(kind=ChannelKind.WEBHOOK))
        on_web = Publication.objects.filter(channel__kind=ChannelKind.WEB, status=PublicationStatus.PUBLISHED)
        assert on_web.count() == 3 and on_web.filter(reach__isnull=False).count() == 1
        failed = Publication.objects.get(channel__kind=ChannelKind.WEBHOOK)
        assert failed.status in (PublicationStatus.FAILED, PublicationStatus.RETRYING) and failed.error
        assert CommunicationAction.objects.get(status=ActionStatus.CLOSED).results
        titles = [p.piece.title for p in on_web.select_related("piece")]
        use_public_schema()

        page = client_for(None, municipality).get("/publico/noticias/")
        assert page.status_code == 200
        html = page.content.decode()
        for title in titles:
            assert title in html, (demo.slug, title)
