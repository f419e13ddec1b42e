from django.urls import include, path

app_name = "agenda"

urlpatterns = [
    path("", include("tenants.agenda.urls_activities")),
    path("solicitudes/", include("tenants.agenda.urls_requests")),
    path("tareas/", include("tenants.agenda.urls_tasks")),
    path("", include("tenants.agenda.urls_feeds")),
]
