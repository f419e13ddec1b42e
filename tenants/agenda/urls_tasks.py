"""Agenda pages: tasks (included by tenants/agenda/urls.py in the `agenda` namespace)."""

from django.urls import URLPattern, URLResolver, path

from tenants.agenda import views_tasks

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_tasks.task_list, name="tasks"),
    path("nueva/", views_tasks.task_edit, name="task-create"),
    path("<int:pk>/", views_tasks.task_detail, name="task"),
    path("<int:pk>/editar/", views_tasks.task_edit, name="task-edit"),
    path("<int:pk>/estado/", views_tasks.task_status, name="task-status"),
    path("<int:pk>/nota/", views_tasks.task_note, name="task-note"),
]
