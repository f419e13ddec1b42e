"""The agenda's public side on a municipality's domain (no login): the request form and the
calendar feeds. Mounted under /publico/ in the `agenda_public` namespace."""

from django.urls import URLPattern, URLResolver

app_name = "agenda_public"

urlpatterns: list[URLPattern | URLResolver] = []
