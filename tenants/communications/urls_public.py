"""The municipality's public news page and its feeds (no login), under /publico/noticias/
in the `news` namespace."""

from django.urls import URLPattern, URLResolver, path

from tenants.communications import views_public

app_name = "news"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.news_list, name="list"),
    path("rss.xml", views_public.RssFeed(), name="rss"),
    path("atom.xml", views_public.AtomFeed(), name="atom"),
    path("<int:pk>/", views_public.news_detail, name="detail"),
    path("<int:pk>/archivos/<int:file_id>/", views_public.news_file, name="file"),
]
