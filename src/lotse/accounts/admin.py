from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lotse.accounts.models import ApiToken, BodyRole, User


class BodyRoleInline(admin.TabularInline):
    model = BodyRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_superuser", "erased_at"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_active", "is_superuser"]
    inlines = [BodyRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(BodyRole)
class BodyRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body", "role", "granted_at"]
    list_filter = ["role", "body"]
    search_fields = ["user__email"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint", "created_at", "last_used_at"]
