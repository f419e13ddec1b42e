"""Django admin for platform staff. Municipalities are created, deactivated and deleted
through the platform pages (/plataforma/municipios/), which call the provisioning
services; here they are read-only so the admin can never half-create one."""

from django.contrib import admin

from tenants.models import Domain, Invitation, Membership, Municipality, PlatformAuditEvent


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    can_delete = False
    readonly_fields = ["domain", "is_primary"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "region", "is_active", "created_at"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "slug", "region"]
    readonly_fields = ["schema_name", "slug", "created_at", "deactivated_at", "is_active"]
    inlines = [DomainInline, MembershipInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PlatformAuditEvent)
class PlatformAuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "municipality_slug"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "actor_label", "action", "municipality_slug", "data"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


admin.site.register(
    Invitation,
    list_display=["email", "municipality", "created_at", "accepted_at", "revoked_at"],
    exclude=["token_hash"],
)
