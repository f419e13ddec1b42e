"""Django admin for platform staff: a read-only window on the tenancy tables.

Municipalities are created, deactivated and deleted through the platform pages
(/plataforma/municipios/) and memberships through each workspace's members page; those call
the services, which validate, audit and keep the rules (such as "a municipality keeps one
system counterpart"). Here nothing can be half-created or edited around them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tenants.models import Domain, Invitation, Membership, Municipality, PlatformAuditEvent


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DomainInline(ReadOnlyMixin, admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(ReadOnlyMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = readonly_fields = ("user", "role", "created_at")


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "country", "region", "is_active", "created_at"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "slug", "region"]
    inlines = [DomainInline, MembershipInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)


@admin.register(PlatformAuditEvent)
class PlatformAuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "municipality_slug"]
    list_filter = ["action"]
    search_fields = ["actor_label", "municipality_slug"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["email", "municipality", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["municipality"]
    exclude = ["token_hash"]
