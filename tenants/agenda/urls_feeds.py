"""Agenda pages: calendar feed addresses (included by tenants/agenda/urls.py in the `agenda`
namespace). The feeds themselves are on the public side (urls_public.py)."""

from django.urls import URLPattern, URLResolver, path

from tenants.agenda import views_feeds

urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/", views_feeds.feeds, name="feeds"),
    path("feeds/privado/", views_feeds.feed_issue, name="feed-issue"),
    path("feeds/privado/revocar/", views_feeds.feed_revoke, name="feed-revoke"),
]
