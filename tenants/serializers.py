from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from tenants.links import workspace_url
from tenants.models import Country, Municipality
from tenants.roles import MunicipalRole


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = [
            "slug",
            "name",
            "country",
            "region",
            "population",
            "time_zone",
            "default_language",
            "is_active",
            "created_at",
            "url",
        ]

    def get_url(self, obj: Municipality) -> str:
        request = self.context.get("request")
        return workspace_url(obj, request=request._request if request is not None else None)


class MunicipalityCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=150)
    slug = serializers.CharField(max_length=40)
    country = serializers.ChoiceField(choices=Country.choices)
    region = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    population = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    time_zone = serializers.CharField(max_length=64)
    default_language = serializers.ChoiceField(choices=settings.LANGUAGES, default="es")
    admin_email = serializers.EmailField()
    admin_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class DeleteConfirmSerializer(serializers.Serializer[Any]):
    confirm_slug = serializers.CharField(max_length=40)


class MembershipSummarySerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    platform_roles = serializers.ListField(child=serializers.CharField())
    workspaces = MembershipSummarySerializer(many=True)


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class MemberSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True, help_text="Only for the system counterpart and the mayor.")
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=MunicipalRole.choices))


class InvitationCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=MunicipalRole.choices), allow_empty=False)


class InvitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField()


class WorkspaceSerializer(serializers.Serializer[Any]):
    municipality = MunicipalitySerializer()
    my_roles = serializers.ListField(child=serializers.CharField())
