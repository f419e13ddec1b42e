"""Moderation of citizens' opinions, inside the workspace. Included by
tenants/initiatives/urls.py in the `initiatives` namespace, under `/iniciativas/`."""

from django.urls import path

from tenants.initiatives import views_public

urlpatterns = [
    path("opiniones/", views_public.opinions, name="opinions"),
    path("opiniones/<int:pk>/", views_public.opinion_moderate, name="opinion-moderate"),
]
