"""API routes, included under /api/v1/community/ on the public domain (no namespace; names start with api-)."""

from django.urls import URLPattern, URLResolver, path

from community import apis_console as apis

G = "groups/<int:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("groups/", apis.GroupListApi.as_view(), name="api-community-groups"),
    path(G, apis.GroupDetailApi.as_view(), name="api-community-group"),
    path(f"{G}rename/", apis.GroupRenameApi.as_view(), name="api-community-group-rename"),
    path(f"{G}pin/", apis.GroupPinApi.as_view(), name="api-community-group-pin"),
    path(f"{G}unpin/", apis.GroupUnpinApi.as_view(), name="api-community-group-unpin"),
    path(f"{G}merge/", apis.GroupMergeApi.as_view(), name="api-community-group-merge"),
    path(f"{G}split/", apis.GroupSplitApi.as_view(), name="api-community-group-split"),
    path(f"{G}dismiss/", apis.GroupDismissApi.as_view(), name="api-community-group-dismiss"),
    path(f"{G}restore/", apis.GroupRestoreApi.as_view(), name="api-community-group-restore"),
    path(f"{G}propose-lab/", apis.GroupProposeLabApi.as_view(), name="api-community-group-propose-lab"),
    path("labs/", apis.LabListApi.as_view(), name="api-community-labs"),
]
