from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lotse.strategy.models import (
    ActionField,
    Goal,
    Measure,
    MeasureTransition,
    Milestone,
    OrgUnit,
    StatusUpdate,
    Strategy,
    Tag,
)


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class ActionFieldInline(admin.TabularInline):
    model = ActionField
    extra = 0
    fields = ["title", "parent", "order"]


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "version", "status", "adopted_on"]
    list_filter = ["body", "status"]
    inlines = [GoalInline, ActionFieldInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "body"]
    list_filter = ["body"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "body"]
    list_filter = ["body"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    readonly_fields = ["author", "created_at"]


class TransitionInline(admin.TabularInline):
    model = MeasureTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "reason", "actor", "at"]
    can_delete = False


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "status", "progress", "traffic_light", "is_public"]
    list_filter = ["body", "status", "traffic_light", "is_public"]
    search_fields = ["title", "summary"]
    # The lifecycle is changed through the workspace, which checks transitions and reasons.
    readonly_fields = ["status", "progress", "traffic_light", "last_update_on"]
    inlines = [MilestoneInline, StatusUpdateInline, TransitionInline]
