"""Django admin for participation: for site admins who repair data. Day-to-day moderation
happens in the moderation queue, which keeps the log and tells people why."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lotse.participation.models import (
    Block,
    Comment,
    GuidingQuestion,
    Idea,
    ModerationAction,
    ParticipationSettings,
    Phase,
    Process,
    Report,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "is_published", "created_at"]
    list_filter = ["body", "is_published"]
    inlines = [PhaseInline]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "state", "is_hidden", "support_count", "created_at"]
    list_filter = ["body", "state", "is_hidden"]
    search_fields = ["title"]
    raw_id_fields = ["author", "merged_into", "measure", "answered_by", "origin_result"]
    readonly_fields = [
        "support_count",
        "comment_count",
        "rating_count",
        "rating_sum",
        "rating_mean",
        "report_count",
    ]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "idea", "created_at", "is_hidden", "deleted_at"]
    list_filter = ["is_hidden"]
    raw_id_fields = ["idea", "parent", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["reason", "body", "created_at", "resolved_at"]
    list_filter = ["body", "reason"]
    raw_id_fields = ["idea", "comment", "reporter", "resolved_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["kind", "body", "moderator", "created_at"]
    list_filter = ["body", "kind"]
    raw_id_fields = ["idea", "comment", "user", "moderator"]

    def has_change_permission(self, request, obj=None):
        return False  # the log is written by the services only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Block)
class BlockAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body", "created_at", "until", "lifted_at"]
    raw_id_fields = ["user", "blocked_by"]


admin.site.register(ParticipationSettings, SimpleHistoryAdmin)


class QuestionInline(admin.TabularInline):
    model = GuidingQuestion
    extra = 0


class ResultInline(admin.TabularInline):
    model = WorkshopResult
    extra = 0


@admin.register(WorkshopTopic)
class WorkshopTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "order"]
    inlines = [QuestionInline, ResultInline]


@admin.register(Workshop)
class WorkshopAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "body", "starts_at", "is_published"]
    list_filter = ["body", "kind", "is_published"]
