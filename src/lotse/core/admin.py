from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from lotse.core.models import AccessibilityReport, Body


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "slug", "ags", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "ags", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "email", "resolved_at"]
    list_filter = ["resolved_at"]
    readonly_fields = ["created_at"]
