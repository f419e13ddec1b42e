"""The community search API (public domain, anonymous): same parameters and results as
the /buscar/ page, as JSON."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search.backends import FACETS, get_backend
from search.forms import to_request
from search.presentation import present
from search.serializers import SearchParamsSerializer, SearchResultsSerializer


class CommunitySearchApi(APIView):
    """Search the initiatives and restrictions that municipalities share publicly."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # anonymous: no session, so no CSRF either

    @extend_schema(
        operation_id="community_search",
        summary="Community search",
        description=(
            "Full-text search (Spanish; accents, plurals and typos tolerated) over the initiatives and "
            "restrictions that municipalities share publicly, with facet counts. Repeat a filter parameter "
            "to accept several values (OR within a facet, AND across facets). Facet counts apply every "
            "filter except the facet's own. `sdg_goal` filters by goal (1-17) and `sdg_target` by target code "
            "(`6.1`, `6.a`, or a local target such as `11.2.1`); an unknown code is a 400 naming `sdg_target`. "
            "Goal labels carry the goal's short name, target labels the start of the target's text. "
            "`q` longer than 200 characters is a 400 naming `q`."
        ),
        parameters=[SearchParamsSerializer],
        responses={200: SearchResultsSerializer},
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = get_backend().search(to_request(params.validated_data))
        data = {
            "total": results.total,
            "page": results.page,
            "page_size": results.page_size,
            "pages": results.pages,
            "relaxed": results.relaxed,
            "total_is_lower_bound": results.total_is_lower_bound,
            "facets_partial": results.facets_partial,
            "results": [row.as_dict() for row in present(results.hits)],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in results.facets.get(name, [])]
                for name in FACETS
            },
        }
        return Response(SearchResultsSerializer(data).data)
