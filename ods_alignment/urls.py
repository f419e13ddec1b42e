"""SDG pages on the public domain (/ods/): the public catalogue pages, grid and method
(urls_pages), the specialists' workflow (urls_cases) and the workshop export (urls_workshop)."""

from __future__ import annotations

from ods_alignment import urls_cases, urls_pages, urls_workshop

app_name = "ods"
urlpatterns = [*urls_pages.urlpatterns, *urls_cases.urlpatterns, *urls_workshop.urlpatterns]
