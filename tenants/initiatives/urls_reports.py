"""Control reports, the mesa de metas (printable and PDF) and the calendar map. Included by
`tenants/initiatives/urls.py` under /iniciativas/, namespace `initiatives`."""

from django.urls import path

from tenants.initiatives import views_reports

urlpatterns = [
    path("informes/", views_reports.report, name="report"),
    path("informes/exportar.<str:fmt>", views_reports.report_export, name="report-export"),
    path("mesa-de-metas/", views_reports.goals_table, name="table"),
    path("mesa-de-metas.pdf", views_reports.goals_table_pdf, name="table-pdf"),
    path("calendario/", views_reports.calendar, name="calendar"),
    path("<int:pk>/calendario/", views_reports.initiative_calendar, name="initiative-calendar"),
]
