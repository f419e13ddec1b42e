"""The municipal dashboard's pages, under /tablero/ in the `dashboard` namespace."""

from django.urls import URLPattern, URLResolver, path

from tenants.dashboard import views, views_brief

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard_page, name="home"),
    path("resumen/", views_brief.brief_page, name="brief"),
    path("resumen.pdf", views_brief.brief_pdf_view, name="brief-pdf"),
]
