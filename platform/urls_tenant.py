"""A municipality's domain: its workspace pages and API."""

from django.urls import include, path
from sigobito_platform.urls_common import common_urlpatterns

from tenants.agenda.apis_activities import api_urlpatterns as agenda_activities_api
from tenants.agenda.apis_requests import api_urlpatterns as agenda_requests_api
from tenants.agenda.apis_tasks import api_urlpatterns as agenda_tasks_api
from tenants.communications.apis import api_urlpatterns as communications_api
from tenants.initiatives import apis as ini_apis
from tenants.permissions import IsWorkspaceMember
from tenants.structure.apis import PlaceLevelSetDetailApi, PlaceLevelSetListApi, kind_views
from tenants.structure.kinds import KINDS
from tenants.workspace import apis, views

workspace_patterns = (
    [
        path("miembros/", views.members, name="members"),
        path("miembros/<int:user_id>/roles/", views.member_roles, name="member-roles"),
    ],
    "workspace",
)

structure_api = [
    path("structure/place-levels/", PlaceLevelSetListApi.as_view(), name="api-structure-place-levels"),
    path("structure/place-levels/<int:pk>/", PlaceLevelSetDetailApi.as_view(), name="api-structure-place-level"),
]
for _key in KINDS:
    _views = kind_views(_key)
    structure_api += [
        path(f"structure/{_key}/", _views["list"], name=f"api-structure-{_key}"),
        path(f"structure/{_key}/<int:pk>/", _views["detail"], name=f"api-structure-{_key}-detail"),
        path(f"structure/{_key}/<int:pk>/archive/", _views["archive"], name=f"api-structure-{_key}-archive"),
        path(f"structure/{_key}/<int:pk>/restore/", _views["restore"], name=f"api-structure-{_key}-restore"),
    ]

initiatives_api = [
    path("initiatives/", ini_apis.InitiativeListApi.as_view(), name="api-initiatives"),
    path("initiatives/levels/<int:level>/", ini_apis.LevelApi.as_view(), name="api-initiatives-level"),
    path("initiatives/<int:pk>/", ini_apis.InitiativeDetailApi.as_view(), name="api-initiative"),
    path(
        "initiatives/<int:pk>/close-programming/", ini_apis.CloseProgrammingApi.as_view(), name="api-initiative-close"
    ),
    path("initiatives/<int:pk>/milestones/", ini_apis.MilestoneListApi.as_view(), name="api-milestones"),
    path("initiatives/<int:pk>/milestones/<int:mid>/", ini_apis.MilestoneDetailApi.as_view(), name="api-milestone"),
    path(
        "initiatives/<int:pk>/milestones/<int:mid>/reprogram/",
        ini_apis.MilestoneReprogramApi.as_view(),
        name="api-milestone-reprogram",
    ),
    path("initiatives/<int:pk>/reports/", ini_apis.ReportApi.as_view(), name="api-reports"),
    path("initiatives/<int:pk>/aro/", ini_apis.AroListApi.as_view(), name="api-aros"),
    path("initiatives/<int:pk>/aro/<int:aid>/<str:action>/", ini_apis.AroActionApi.as_view(), name="api-aro-action"),
]

api_patterns = [
    path("workspace/", apis.WorkspaceApi.as_view(), name="api-workspace"),
    path("members/", apis.MemberListApi.as_view(), name="api-members"),
    path("invitations/", apis.InvitationApi.as_view(), name="api-invitations"),
    *structure_api,
    *initiatives_api,
    *agenda_requests_api,
    *agenda_activities_api,
    *agenda_tasks_api,
    *communications_api,
]

urlpatterns = [
    *common_urlpatterns(__name__, docs_permission=IsWorkspaceMember),
    path("", views.home, name="home"),
    path("", include(workspace_patterns)),
    path("estructura/", include("tenants.structure.urls")),
    path("iniciativas/", include("tenants.initiatives.urls")),
    path("publico/", include("tenants.initiatives.urls_public")),
    path("publico/", include("tenants.agenda.urls_public")),
    path("publico/noticias/", include("tenants.communications.urls_public")),
    path("agenda/", include("tenants.agenda.urls")),
    path("tablero/", include("tenants.dashboard.urls")),
    path("comunicacion/", include("tenants.communications.urls")),
    path("comunidad/temas/", include("community.urls_mapping")),
    path("comunidad/", include("community.urls_workspace")),
    path("ods/", include("ods_alignment.urls_workspace")),
    path("api/v1/", include(api_patterns)),
]
