"""The agenda's public side on a municipality's domain (no login): the request form and the
calendar feeds. Mounted under /publico/ in the `agenda_public` namespace."""

from django.urls import URLPattern, URLResolver, path

from tenants.agenda import views_feeds, views_requests

app_name = "agenda_public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("solicitud/", views_requests.public_request_form, name="request-form"),
    path("solicitud/enviada/", views_requests.public_request_sent, name="request-sent"),
    path("agenda.ics", views_feeds.public_feed, name="feed-public"),
    path("agenda/privado/<str:token>.ics", views_feeds.private_feed, name="feed-private"),
]
