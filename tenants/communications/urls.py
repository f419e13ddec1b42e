"""Workspace pages of communication actions, under /comunicacion/ in the `communications`
namespace (the public news page is urls_public.py)."""

from django.urls import URLPattern, URLResolver, path

from tenants.communications import views, views_channels, views_pieces

app_name = "communications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.action_list, name="list"),
    path("sugerencias/", views.suggestion_inbox, name="suggestions"),
    path("sugerencias/aceptar/", views.suggestion_accept, name="suggestion-accept"),
    path("sugerencias/descartar/", views.suggestion_dismiss, name="suggestion-dismiss"),
    path("calendario/", views.editorial_calendar, name="calendar"),
    path("nueva/", views.action_edit, name="create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/editar/", views.action_edit, name="edit"),
    path("<int:pk>/estado/", views.action_status, name="status"),
    path("<int:pk>/piezas/nueva/", views_pieces.piece_edit, name="piece-create"),
    path("<int:pk>/piezas/<int:pid>/", views_pieces.piece_edit, name="piece-edit"),
    path("<int:pk>/piezas/<int:pid>/aprobar/", views_pieces.piece_approve, name="piece-approve"),
    path("<int:pk>/piezas/<int:pid>/archivos/", views_pieces.piece_file_add, name="piece-file-add"),
    path("<int:pk>/piezas/<int:pid>/archivos/<int:fid>/", views_pieces.piece_file, name="piece-file"),
    path(
        "<int:pk>/piezas/<int:pid>/archivos/<int:fid>/quitar/",
        views_pieces.piece_file_remove,
        name="piece-file-remove",
    ),
    path("<int:pk>/piezas/<int:pid>/canales/<int:cid>/", views_pieces.variant_save, name="piece-variant"),
    path("<int:pk>/piezas/<int:pid>/publicar/<int:cid>/", views_pieces.publish, name="publish"),
    path("<int:pk>/publicaciones/<int:pub_id>/alcance/", views_pieces.reach_save, name="reach"),
    path("canales/", views_channels.channel_list, name="channels"),
    path("canales/nuevo/", views_channels.channel_edit, name="channel-create"),
    path("canales/<int:cid>/", views_channels.channel_edit, name="channel-edit"),
    path("canales/aprobacion/", views_channels.settings_save, name="settings"),
]
