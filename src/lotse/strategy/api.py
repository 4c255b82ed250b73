"""Strategy data in the REST API: everything public to read; status updates and milestones
to write with a personal token, checked by the same rules as the pages."""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from lotse.accounts.services import user_for_token
from lotse.api.auth import PersonalToken
from lotse.core import api as api_errors
from lotse.core.api import MAX_ID, IsoDate, Pagination, errors
from lotse.core.models import Body
from lotse.strategy import selectors, services
from lotse.strategy.models import (
    ActionField,
    Measure,
    MeasureGoal,
    MeasureStatus,
    Milestone,
    OrgUnit,
    StatusUpdate,
    TrafficLight,
)

router = Router(tags=["Strategy"])


# --- Schemas ---------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str
    description: str
    order: int


class TopicOut(Schema):
    id: int
    title: str
    description: str


class ActionFieldOut(Schema):
    id: int
    title: str
    description: str
    topics: list[TopicOut]

    @staticmethod
    def resolve_topics(obj):
        return list(obj.topics.all())


class StrategyOut(Schema):
    id: int
    title: str
    vision: str
    version: int
    status: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    adopted_on: datetime.date | None
    goals: list[GoalOut]
    action_fields: list[ActionFieldOut]


class UnitOut(Schema):
    id: int
    code: str
    name: str


class MeasureOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    progress: int
    traffic_light: str
    last_update_on: datetime.date | None
    action_field_id: int = Field(..., alias="primary_field_id")
    unit: str | None
    parent_id: int | None
    is_public: bool
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None


class GoalContributionOut(Schema):
    goal_id: int
    title: str
    weight: int

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.goal.title


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


class StatusUpdateOut(Schema):
    id: int
    reported_on: datetime.date
    progress: int
    traffic_light: str
    text: str
    explanation: str


class MeasureDetailOut(MeasureOut):
    description: str
    partners: str
    origin: str
    goals: list[GoalContributionOut]
    milestones: list[MilestoneOut]
    updates: list[StatusUpdateOut]

    @staticmethod
    def resolve_goals(obj):
        return list(obj.goal_links.all())

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_updates(obj):
        return list(obj.updates.all())


class StatusUpdateIn(Schema):
    reported_on: IsoDate | None = None
    progress: int = Field(..., ge=0, le=100)
    traffic_light: TrafficLight
    text: str = ""
    explanation: str = ""


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: IsoDate
    done_on: IsoDate | None = None


class MilestonePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    due_on: IsoDate | None = None
    done_on: IsoDate | None = None


# --- Helpers ---------------------------------------------------------------------------------


def reader(request):
    """Who reads: the owner of a Bearer token if one is sent (a wrong one is refused),
    else the session user (anonymous for most callers)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header.split(" ", 1)[1].strip())
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


def body_or_404(slug: str) -> Body:
    return get_object_or_404(Body, slug=slug)


def visible_measure(request, body: Body, measure_id: int) -> Measure:
    return get_object_or_404(selectors.visible_measures(reader(request), body), pk=measure_id)


write = api_errors.write


# --- Reading ---------------------------------------------------------------------------------


@router.get("/{slug}/strategy", response={200: StrategyOut, **errors(404)}, summary="Strategy")
def get_strategy(request, slug: str):
    """The body's current strategy: goals and action fields with their topics."""
    body = body_or_404(slug)
    strategy = selectors.current_strategy(body)
    if strategy is None:
        raise HttpError(404, _("This body has no published strategy."))
    goals, fields = selectors.strategy_tree(strategy)
    plain = set(StrategyOut.model_fields) - {"goals", "action_fields"}
    return {
        **{f: getattr(strategy, f) for f in plain},
        "goals": goals,
        "action_fields": fields,
    }


@router.get(
    "/{slug}/units", response={200: list[UnitOut], **errors(404)}, summary="Administrative units"
)
def list_units(request, slug: str):
    return OrgUnit.objects.for_body(body_or_404(slug))


@router.get(
    "/{slug}/measures",
    response={200: list[MeasureOut], **errors(401, 404, 422)},
    summary="Measures",
)
@paginate(Pagination, page_size=50)
def list_measures(
    request,
    slug: str,
    status: MeasureStatus | None = None,
    traffic_light: TrafficLight | None = None,
    action_field: int | None = Query(None, ge=1, le=MAX_ID),
):
    """Measures the caller may see (public ones without a token), filterable."""
    measures = selectors.visible_measures(reader(request), body_or_404(slug))
    if status:
        measures = measures.filter(status=status)
    if traffic_light:
        measures = measures.filter(traffic_light=traffic_light)
    if action_field:
        field = ActionField.objects.filter(pk=action_field, strategy__body__slug=slug).first()
        if field is None:
            return measures.none()
        topics = list(field.topics.values_list("pk", flat=True))
        measures = measures.filter(primary_field__in=[action_field, *topics])
    return measures.select_related("unit").order_by("title", "pk")


@router.get(
    "/{slug}/measures/{measure_id}",
    response={200: MeasureDetailOut, **errors(401, 404, 422)},
    summary="One measure",
)
def get_measure(request, slug: str, measure_id: int):
    body = body_or_404(slug)
    measures = selectors.visible_measures(reader(request), body).select_related("unit")
    return get_object_or_404(
        measures.prefetch_related(
            Prefetch("goal_links", queryset=MeasureGoal.objects.select_related("goal")),
            "milestones",
            Prefetch("updates", queryset=StatusUpdate.objects.order_by("-reported_on", "-pk")),
        ),
        pk=measure_id,
    )


# --- Writing (personal token) ----------------------------------------------------------------


@router.post(
    "/{slug}/measures/{measure_id}/updates",
    response={201: StatusUpdateOut, **errors(400, 401, 403, 404, 422)},
    auth=PersonalToken(),
    summary="Post a status update",
)
def post_update(request, slug: str, measure_id: int, payload: StatusUpdateIn):
    """A Sachstandsmeldung; gelb and rot need an explanation. Becomes the measure's
    current state."""
    measure = visible_measure(request, body_or_404(slug), measure_id)
    fields = payload.dict(exclude_none=True)
    return write(201, lambda: services.post_status_update(request.auth, measure, **fields))


@router.post(
    "/{slug}/measures/{measure_id}/milestones",
    response={201: MilestoneOut, **errors(400, 401, 403, 404, 422)},
    auth=PersonalToken(),
    summary="Add a milestone",
)
def post_milestone(request, slug: str, measure_id: int, payload: MilestoneIn):
    measure = visible_measure(request, body_or_404(slug), measure_id)
    milestone = Milestone(measure=measure, **payload.dict())
    return write(201, lambda: services.save_milestone(request.auth, milestone))


@router.patch(
    "/{slug}/measures/{measure_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **errors(400, 401, 403, 404, 422)},
    auth=PersonalToken(),
    summary="Change a milestone (e.g. mark it done)",
)
def patch_milestone(
    request, slug: str, measure_id: int, milestone_id: int, payload: MilestonePatch
):
    measure = visible_measure(request, body_or_404(slug), measure_id)
    milestone = get_object_or_404(Milestone, measure=measure, pk=milestone_id)
    for name, value in payload.dict(exclude_unset=True).items():
        setattr(milestone, name, value)
    return write(200, lambda: services.save_milestone(request.auth, milestone))
