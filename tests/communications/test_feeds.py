"""The public news page's RSS and Atom feeds, read back as XML by an anonymous visitor: only
pieces published to the web channel, newest first, with absolute links on the
municipality's own host; the detail page and the files of a piece only once it is there;
and each municipality's feed holds only its own news."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tenants.communications import services
from tenants.communications.models import ActionStatus, Piece, Publication
from tenants.communications.services.publishing import publication_attempt
from tenants.db import local_today, use_municipality
from tests.communications.conftest import ready_piece
from tests.communications.fake_channel import FakeChannel
from tests.conftest import World, client_for, host

ATOM = "{http://www.w3.org/2005/Atom}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 48
RSS_URL, ATOM_URL = "/publico/noticias/rss.xml", "/publico/noticias/atom.xml"


@pytest.fixture
def fake() -> Iterator[FakeChannel]:
    with FakeChannel() as server:
        yield server


def _publish(w: World, piece: Piece, channel: Any = None, actor: Any = None) -> Publication:
    publication = services.publication_request(
        actor=actor or w.editor_alfa, piece=piece, channel=channel or services.web_channel()
    )
    assert publication_attempt(publication_id=publication.pk).status == "published"
    return Publication.objects.get(pk=publication.pk)


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.fixture
def news(w: World, fake: FakeChannel) -> dict[str, Piece]:
    """In Alfa: two pieces on the news page (the older published an hour earlier), one only
    on a webhook, one queued for the web but not yet published. In Beta: one piece on its
    own news page."""
    use_municipality(w.alfa)
    older = ready_piece(w, title="Se inauguró el acueducto", summary="Agua para 300 familias.")
    newer = ready_piece(w, title="Comienza la vacunación", summary="Jornada el sábado.")
    hook_only = ready_piece(w, title="Solo en el webhook")
    queued = ready_piece(w, title="Todavía en cola")
    _publish(w, older)
    _publish(w, newer)
    # An hour apart, so their dates (to the second in RSS) tell the order too.
    Publication.objects.filter(piece=older).update(published_at=timezone.now() - timedelta(hours=1))
    hook = services.channel_save(
        actor=w.editor_alfa, data={"kind": "webhook", "name": "Hook", "endpoint_url": fake.url},
        credentials={"secret": "s"},
    )  # fmt: skip
    _publish(w, hook_only, hook)
    services.publication_request(actor=w.editor_alfa, piece=queued, channel=services.web_channel())

    use_municipality(w.beta)
    action = services.action_save(actor=w.admin_beta, data={
        "title": "Beta action", "message": "M", "audience": "A", "planned_date": local_today()})  # fmt: skip
    beta_piece = services.piece_save(actor=w.admin_beta, action=action, data={
        "kind": "web_news", "title": "Beta opens a library", "body": "Body."})  # fmt: skip
    beta_piece = services.piece_approve(actor=w.admin_beta, piece=beta_piece, version=beta_piece.version)
    services.action_set_status(actor=w.admin_beta, action=action, status=ActionStatus.READY)
    _publish(w, beta_piece, actor=w.admin_beta)
    use_municipality(w.alfa)
    return {"older": older, "newer": newer, "hook_only": hook_only, "queued": queued, "beta": beta_piece}


def test_the_rss_feed_lists_the_web_news_newest_first_with_absolute_links(w: World, news: dict[str, Piece]) -> None:
    response = _get(client_for(None, w.alfa), RSS_URL)
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert "Municipio Alfa" in (channel.findtext("title") or "")
    assert channel.findtext("link") == f"http://{host(w.alfa)}/publico/noticias/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Comienza la vacunación", "Se inauguró el acueducto"]
    for item, piece in zip(items, (news["newer"], news["older"]), strict=True):
        assert item.findtext("link") == f"http://{host(w.alfa)}/publico/noticias/{piece.pk}/"
        assert item.findtext("description") == piece.summary
    dates = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in items]
    assert all(d.tzinfo is not None for d in dates)
    assert dates[0] - dates[1] >= timedelta(minutes=59)
    text = response.content.decode()
    for absent in ("Solo en el webhook", "Todavía en cola", "Beta opens a library"):
        assert absent not in text


def test_the_atom_feed_has_entries_with_id_title_link_and_updated(w: World, news: dict[str, Piece]) -> None:
    response = _get(client_for(None, w.alfa), ATOM_URL)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == f"{ATOM}feed"
    assert "Municipio Alfa" in (root.findtext(f"{ATOM}title") or "")
    assert root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Comienza la vacunación", "Se inauguró el acueducto"]
    ids = set()
    for entry, piece in zip(entries, (news["newer"], news["older"]), strict=True):
        link = entry.find(f"{ATOM}link")
        assert link is not None
        assert link.get("href") == f"http://{host(w.alfa)}/publico/noticias/{piece.pk}/"
        ids.add(entry.findtext(f"{ATOM}id"))
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert datetime.fromisoformat(updated).tzinfo is not None
    assert len(ids) == 2 and None not in ids
    text = response.content.decode()
    assert "Solo en el webhook" not in text and "Todavía en cola" not in text


def test_each_municipality_feeds_only_its_own_news(w: World, news: dict[str, Piece]) -> None:
    for url in (RSS_URL, ATOM_URL):
        beta = _get(client_for(None, w.beta), url).content.decode()
        assert "Beta opens a library" in beta
        assert "Comienza la vacunación" not in beta and "Se inauguró el acueducto" not in beta
        assert f"{host(w.alfa)}" not in beta
        alfa = _get(client_for(None, w.alfa), url).content.decode()
        assert "Beta opens a library" not in alfa and host(w.beta) not in alfa


def test_the_detail_page_shows_only_pieces_on_the_web_channel(w: World, news: dict[str, Piece]) -> None:
    client = client_for(None, w.alfa)
    page = _get(client, f"/publico/noticias/{news['newer'].pk}/")
    assert "Comienza la vacunación" in page.content.decode()
    for absent in ("hook_only", "queued"):
        assert client.get(f"/publico/noticias/{news[absent].pk}/").status_code == 404
    # The page of an Alfa piece is not on Beta's host.
    beta = client_for(None, w.beta).get(f"/publico/noticias/{news['older'].pk}/")
    assert "Se inauguró el acueducto" not in beta.content.decode()


def _piece_with_files(w: World, title: str) -> tuple[Piece, Any, Any]:
    use_municipality(w.alfa)
    action = services.action_save(actor=w.editor_alfa, data={
        "title": title, "message": "M", "audience": "A", "planned_date": local_today()})  # fmt: skip
    piece = services.piece_save(actor=w.editor_alfa, action=action, data={
        "kind": "web_news", "title": title, "body": "Cuerpo."})  # fmt: skip
    image = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("foto.png", PNG), alt_text="La obra"
    )
    document = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta")
    )
    fresh = Piece.objects.get(pk=piece.pk)
    piece = services.piece_approve(actor=w.mayor_alfa, piece=fresh, version=fresh.version)
    services.action_set_status(actor=w.editor_alfa, action=action, status=ActionStatus.READY)
    return piece, image, document


def test_files_are_served_only_for_pieces_on_the_news_page(w: World) -> None:
    published, image, document = _piece_with_files(w, "Con fotos publicada")
    unpublished, hidden_image, _hidden_doc = _piece_with_files(w, "Con fotos sin publicar")
    _publish(w, published)
    client = client_for(None, w.alfa)

    served = _get(client, f"/publico/noticias/{published.pk}/archivos/{image.pk}/")
    assert b"".join(served.streaming_content) == PNG
    assert served["Content-Type"] == "image/png" and served["Content-Disposition"].startswith("inline")
    assert served["X-Content-Type-Options"] == "nosniff"
    attachment = _get(client, f"/publico/noticias/{published.pk}/archivos/{document.pk}/")
    assert b"".join(attachment.streaming_content) == b"%PDF-1.4 acta"
    assert attachment["Content-Disposition"] == 'attachment; filename="acta.pdf"'

    assert client.get(f"/publico/noticias/{unpublished.pk}/archivos/{hidden_image.pk}/").status_code == 404
    # Nor through a published piece's address.
    assert client.get(f"/publico/noticias/{published.pk}/archivos/{hidden_image.pk}/").status_code == 404
    # Nor on another municipality's host.
    assert client_for(None, w.beta).get(f"/publico/noticias/{published.pk}/archivos/{image.pk}/").status_code == 404
    # The published page shows the image with its text alternative.
    page = _get(client, f"/publico/noticias/{published.pk}/").content.decode()
    assert 'alt="La obra"' in page
