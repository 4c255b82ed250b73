from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lotse.assessment.models import (
    CheckAnswer,
    CheckQuestion,
    CostBenefit,
    DigitalCheck,
    PriorityDecision,
    PriorityWeights,
)
from lotse.assessment.services import recompute_scores


@admin.register(CheckQuestion)
class CheckQuestionAdmin(admin.ModelAdmin):
    """The body's check questions: reworded, reordered or switched off here."""

    list_display = ["title", "body", "order", "is_active"]
    list_filter = ["body", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "text"]


class CheckAnswerInline(admin.TabularInline):
    model = CheckAnswer
    extra = 0


@admin.register(DigitalCheck)
class DigitalCheckAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "body", "result", "checked_at"]
    list_filter = ["body", "result"]
    inlines = [CheckAnswerInline]
    raw_id_fields = ["measure"]


class RecomputeScoresOnSave:
    """Scores are derived; an edit in the admin recomputes them like the pages do."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_scores(obj.body)


@admin.register(CostBenefit)
class CostBenefitAdmin(RecomputeScoresOnSave, SimpleHistoryAdmin):
    list_display = ["measure", "body", "score", "payback_years"]
    list_filter = ["body"]
    readonly_fields = ["score", "payback_years"]
    raw_id_fields = ["measure"]


@admin.register(PriorityWeights)
class PriorityWeightsAdmin(RecomputeScoresOnSave, SimpleHistoryAdmin):
    list_display = ["body", "citizen_benefit", "time_saving", "cost_saving", "climate", "goals"]


@admin.register(PriorityDecision)
class PriorityDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "body", "outcome", "rank", "decided_on"]
    list_filter = ["body", "outcome"]
    raw_id_fields = ["measure"]
