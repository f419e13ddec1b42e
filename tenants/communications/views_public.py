"""The municipality's public news page (no login, under /publico/noticias/): the pieces
published to the built-in web channel, each on its own page, and RSS 2.0 and Atom feeds of
them. Nothing else of the communications module is public."""

from __future__ import annotations

import mimetypes

from django.contrib.syndication.views import Feed
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tenants.communications import selectors
from tenants.communications.models import Piece, PieceFile
from tenants.db import current_municipality

FEED_SIZE = 30


@require_safe
def news_list(request: HttpRequest) -> HttpResponse:
    return render(request, "communications/public/news_list.html", {"items": selectors.news()})


@require_safe
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    piece = selectors.news_item(pk)
    files = list(piece.files.all())
    return render(
        request,
        "communications/public/news_detail.html",
        {
            "piece": piece,
            "images": [f for f in files if f.is_image],
            "attachments": [f for f in files if not f.is_image],
        },
    )


def file_response(found: PieceFile) -> FileResponse:
    """A piece's file, here and in the workspace. Django writes the header (quoting, and
    RFC 5987 for names beyond ASCII): images show in the page, anything else downloads."""
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    response = FileResponse(
        found.file.open("rb"), content_type=content_type, as_attachment=not found.is_image, filename=found.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def news_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    return file_response(selectors.news_file(pk, file_id))


class RssFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def title(self) -> str:
        return _("Noticias · %(name)s") % {"name": current_municipality().name}

    def link(self) -> str:
        return reverse("news:list")

    def description(self) -> str:
        return _("Noticias publicadas por %(name)s.") % {"name": current_municipality().name}

    def items(self) -> list[Piece]:
        return selectors.news(limit=FEED_SIZE)

    def item_title(self, item: Piece) -> str:
        return item.title

    def item_description(self, item: Piece) -> str:
        return item.summary or item.body[:600]

    def item_link(self, item: Piece) -> str:
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item: Piece) -> object:
        return item.published_at  # type: ignore[attr-defined]

    def item_updateddate(self, item: Piece) -> object:
        return item.published_at  # type: ignore[attr-defined]


class AtomFeed(RssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
