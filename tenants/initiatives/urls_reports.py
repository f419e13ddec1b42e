"""Control reports, the mesa de metas (printable and PDF) and the calendar map."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
