from django.urls import include, path

from tenants.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("nueva/", views.initiative_edit, name="create"),
    path("guia/", views.guide, name="guide"),
    path("configuracion/", views.settings_view, name="settings"),
    path("nivel/<int:level>/", views.level_page, name="level"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/editar/", views.initiative_edit, name="edit"),
    path("<int:pk>/estado/", views.initiative_status, name="status"),
    path("<int:pk>/cerrar-programacion/", views.close_programming, name="close-programming"),
    path("<int:pk>/metas/nueva/", views.milestone_edit, name="milestone-create"),
    path("<int:pk>/metas/<int:mid>/", views.milestone_edit, name="milestone-edit"),
    path("<int:pk>/metas/<int:mid>/reprogramar/", views.milestone_reprogram, name="milestone-reprogram"),
    path("<int:pk>/metas/<int:mid>/cumplir/", views.milestone_complete, name="milestone-complete"),
    path("<int:pk>/metas/<int:mid>/evidencia/", views.evidence_file, name="milestone-evidence"),
    path("<int:pk>/reporte/", views.report_edit, name="weekly-report"),
    path("<int:pk>/reporte/adjunto/<int:aid>/", views.report_attachment, name="report-attachment"),
    path("<int:pk>/aro/nueva/", views.aro_create, name="aro-create"),
    path("<int:pk>/aro/<int:aid>/", views.aro_detail, name="aro"),
    path("<int:pk>/aro/<int:aid>/compartir/", views.aro_share, name="aro-share"),
    path("<int:pk>/aro/<int:aid>/<str:action>/", views.aro_action, name="aro-action"),
    path("", include("tenants.initiatives.urls_reports")),
    path("", include("tenants.initiatives.urls_moderation")),
]
