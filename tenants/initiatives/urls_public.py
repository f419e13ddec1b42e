"""The public accountability pages of a municipality (no login), mounted at `publico/`.

Everything under that prefix is open to anyone (tenants.middleware.PUBLIC_PREFIXES): only
views that show public data belong here.
"""

from django.urls import path

from tenants.initiatives import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.public_list, name="list"),
    path("iniciativas/<int:pk>/", views_public.public_detail, name="detail"),
]
