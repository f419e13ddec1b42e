from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tenants.accounts.models import PlatformRoleAssignment, User, acting_user
from tenants.roles import PlatformRole
from tenants.services import platform_role_grant, platform_role_revoke


class PlatformRoleInline(admin.TabularInline):
    """Shown read-only: roles change through the actions below, which call the services
    (granting platform administration also gives admin access, and both are audited)."""

    model = PlatformRoleAssignment
    extra = 0
    fields = readonly_fields = ("role", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _role_action(role: PlatformRole, grant: bool) -> Any:
    def action(modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            if grant:
                platform_role_grant(actor=acting_user(request), user=user, role=role)
            else:
                platform_role_revoke(actor=acting_user(request), user=user, role=role)

    verb = _("Dar rol: {role}") if grant else _("Quitar rol: {role}")
    action.short_description = format_lazy(verb, role=role.label)  # type: ignore[attr-defined]
    action.__name__ = f"{'grant' if grant else 'revoke'}_{role.value}"
    return action


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_filter = ["is_active", "is_staff", "platform_roles__role"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    inlines = [PlatformRoleInline]
    actions = [_role_action(role, grant) for role in PlatformRole for grant in (True, False)]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("full_name",)}),
        (_("Permisos"), {"fields": ("is_active", "groups")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
