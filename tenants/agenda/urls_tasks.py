"""Agenda pages: tasks (included by tenants/agenda/urls.py in the `agenda` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
