from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lotse.ozg.models import Assessment, LeikaService, Service


class LeikaInline(admin.TabularInline):
    model = LeikaService
    extra = 0
    fields = ["key", "name", "type", "legal_basis", "is_retired"]
    readonly_fields = fields
    can_delete = False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """The catalogue changes through ``lotse ozg_catalogue_import``; here it is only read."""

    list_display = ["ozg_id", "name", "themenfeld", "lebenslage", "is_municipal", "is_retired"]
    list_filter = ["themenfeld", "is_municipal", "is_retired"]
    search_fields = ["name", "ozg_id", "leika_services__name"]
    readonly_fields = [f.name for f in Service._meta.fields]
    inlines = [LeikaInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["service", "body", "maturity", "solution", "digital_end_to_end", "updated_at"]
    list_filter = ["body", "maturity", "solution"]
    search_fields = ["service__name"]
    raw_id_fields = ["service", "unit", "measures"]
