"""Participation in the REST API: public ideas, comments and processes to read; ideas,
comments and supports to write with the same services, permissions and rate limits as the
pages.

Writing accepts a personal token (held by staff-side roles only, see
``accounts.rules.may_hold_api_token``) or, for citizens, the browser session of a signed-in
user together with the CSRF token (header ``X-CSRFToken``), as the pages' own scripts would
send it. Reading answers public content only, whoever asks: hidden ideas and comments and
unpublished processes never appear here.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from lotse.api.auth import PersonalToken
from lotse.core import api as api_errors
from lotse.core.api import MAX_ID, NO_NUL, Pagination, errors
from lotse.core.models import Body
from lotse.participation import selectors
from lotse.participation.limits import RateLimited
from lotse.participation.models import (
    COMMENT_TEXT_MAX,
    IDEA_TEXT_MAX,
    IDEA_TITLE_MAX,
    Comment,
    Idea,
    IdeaState,
    Phase,
    Process,
)
from lotse.strategy.models import ActionField

router = Router(tags=["Participation"])


class CitizenSession(SessionAuth):
    """The signed-in browser session, with Django's CSRF check. Without a session cookie it
    declines quietly, so a call with neither token nor session is answered 401."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        return super().authenticate(request, key)


WRITE_AUTH = [PersonalToken(), CitizenSession()]


# --- Schemas ---------------------------------------------------------------------------------


class PhaseOut(Schema):
    kind: str
    start: datetime.datetime
    end: datetime.datetime | None = Field(None, description="Empty: the phase does not end.")


class ProcessOut(Schema):
    id: int
    slug: str
    title: str
    description: str = Field(..., description="Markdown")
    rating_question: str
    action_field_ids: list[int]
    phases: list[PhaseOut]
    current_phase: str | None = Field(None, description="Kind of the phase running now.")
    allowed_actions: list[str] = Field(..., description="What the current phase allows.")

    @staticmethod
    def resolve_action_field_ids(obj) -> list[int]:
        return [field.pk for field in obj.action_fields.all()]

    @staticmethod
    def resolve_phases(obj) -> list[Phase]:
        return list(obj.phases.all())

    @staticmethod
    def resolve_current_phase(obj) -> str | None:
        phase = obj.current_phase()
        return phase.kind if phase else None

    @staticmethod
    def resolve_allowed_actions(obj) -> list[str]:
        phase = obj.current_phase()
        return phase.actions if phase else []


class OriginOut(Schema):
    workshop_id: int
    workshop_title: str
    topic: str


class IdeaOut(Schema):
    id: int
    title: str
    text: str = Field(..., description="Markdown")
    process: str = Field(..., description="Slug of the process.")
    action_field_id: int | None
    state: str
    state_reason: str
    author: str | None = Field(
        None, description="Public display name; empty for ideas from a workshop."
    )
    origin: OriginOut | None = Field(None, description="The workshop an idea came from.")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    support_count: int
    comment_count: int
    rating_count: int
    rating_mean: float | None = Field(None, description="Mean of the ratings 1–5; empty if none.")
    answer: str = Field(..., description="Official answer (Markdown).")
    answered_at: datetime.datetime | None
    merged_into_id: int | None
    measure_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_process(obj) -> str:
        return obj.process.slug

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.public_name if obj.author_id else None

    @staticmethod
    def resolve_rating_mean(obj) -> float | None:
        return obj.rating_mean if obj.rating_count else None

    @staticmethod
    def resolve_origin(obj) -> dict | None:
        result = obj.origin_result
        if result is None or not result.topic.workshop.is_published:
            return None
        workshop = result.topic.workshop
        return {
            "workshop_id": workshop.pk,
            "workshop_title": workshop.title,
            "topic": result.topic.title,
        }


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str | None = Field(None, description="Public display name; empty when withheld.")
    text: str | None = Field(None, description="Empty for deleted and hidden comments.")
    is_deleted: bool
    is_hidden: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None

    @staticmethod
    def resolve_text(obj) -> str | None:
        return None if obj.deleted_at or obj.is_hidden else obj.text

    @staticmethod
    def resolve_author(obj) -> str | None:
        if obj.deleted_at or obj.is_hidden or not obj.author_id:
            return None
        return obj.author.public_name

    @staticmethod
    def resolve_is_deleted(obj) -> bool:
        return obj.deleted_at is not None


class IdeaIn(Schema):
    process: str = Field(..., description="Slug of the process.")
    title: str = Field(..., min_length=1, max_length=IDEA_TITLE_MAX)
    text: str = Field(..., min_length=1, max_length=IDEA_TEXT_MAX, description="Markdown")
    action_field_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = Field("", max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class CommentIn(Schema):
    text: str = Field(..., min_length=1, max_length=COMMENT_TEXT_MAX)
    parent_id: int | None = Field(None, description="Answer to this comment (one level).")


class SupportOut(Schema):
    idea_id: int
    supported: bool
    support_count: int


# --- Helpers ---------------------------------------------------------------------------------

SORT_KEYS = Literal["neueste", "unterstuetzungen", "diskussion", "bewertung"]


def body_or_404(slug: str) -> Body:
    return get_object_or_404(Body, slug=slug)


def public_ideas(body: Body):
    return selectors.public_ideas(body).select_related(
        "process", "author", "origin_result__topic__workshop"
    )


def write(status: int, change):
    """Run a service call: 403 when rules refuse, 422 with the German messages per field when
    validation does, 429 when a rate limit is reached, else ``status`` with the result."""
    return api_errors.write(
        status,
        change,
        extra={RateLimited: lambda limited: Status(429, api_errors.body(limited.message))},
    )


WRITE_ERRORS = errors(400, 401, 403, 404, 422, 429)


# --- Reading ---------------------------------------------------------------------------------


@router.get(
    "/{slug}/processes",
    response={200: list[ProcessOut], **errors(404)},
    summary="Participation processes",
)
def list_processes(request, slug: str):
    """Published processes with their phases and what the current phase allows."""
    body = body_or_404(slug)
    return (
        Process.objects.for_body(body)
        .filter(is_published=True)
        .prefetch_related("phases", "action_fields")
        .order_by("-created_at", "pk")
    )


@router.get("/{slug}/ideas", response={200: list[IdeaOut], **errors(404, 422)}, summary="Ideas")
@paginate(Pagination, page_size=50)
def list_ideas(
    request,
    slug: str,
    process: str | None = Query(None, pattern=NO_NUL),
    action_field: int | None = Query(None, ge=1, le=MAX_ID),
    state: IdeaState | None = None,
    q: str | None = Query(None, pattern=NO_NUL),
    sort: SORT_KEYS | None = None,
):
    """Public ideas of the body. ``action_field`` includes its topics; ``q`` searches title and
    text (German word forms), best matches first unless ``sort`` is given."""
    from lotse.participation.forms import SORTS

    ideas = public_ideas(body_or_404(slug))
    if process:
        ideas = ideas.filter(process__slug=process)
    if action_field:
        ideas = ideas.filter(Q(action_field=action_field) | Q(action_field__parent=action_field))
    if state:
        ideas = ideas.filter(state=state)
    if q and q.strip():
        from lotse.participation.search import search_ideas

        ideas = search_ideas(ideas, q.strip())
        return ideas.order_by(*SORTS[sort][0]) if sort else ideas
    return ideas.order_by(*SORTS[sort or "neueste"][0])


@router.get(
    "/{slug}/ideas/{idea_id}", response={200: IdeaOut, **errors(404, 422)}, summary="One idea"
)
def get_idea(request, slug: str, idea_id: int):
    return get_object_or_404(public_ideas(body_or_404(slug)), pk=idea_id)


@router.get(
    "/{slug}/ideas/{idea_id}/comments",
    response={200: list[CommentOut], **errors(404, 422)},
    summary="Comments of an idea",
)
@paginate(Pagination, page_size=100)
def list_comments(request, slug: str, idea_id: int):
    """In thread order. Deleted and hidden comments keep their place without text or author,
    so answers to them stay understandable."""
    idea = get_object_or_404(selectors.public_ideas(body_or_404(slug)), pk=idea_id)
    return Comment.objects.filter(idea=idea).select_related("author").order_by("created_at", "pk")


# --- Writing (personal token or signed-in session) -------------------------------------------


def degrees(value: float | None) -> Decimal | None:
    """A coordinate as stored: six decimal places (about 10 cm)."""
    return None if value is None else Decimal(str(round(value, 6)))


def writable_idea(request, slug: str, idea_id: int) -> Idea:
    body = body_or_404(slug)
    ideas = selectors.listed_ideas(request.auth, body).select_related("process", "body")
    return get_object_or_404(ideas, pk=idea_id)


@router.post(
    "/{slug}/ideas",
    response={201: IdeaOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Submit an idea",
)
def post_idea(request, slug: str, payload: IdeaIn):
    """Allowed while the process's current phase collects ideas, for people with a verified
    e-mail address who are not blocked; limited per person and hour."""
    from lotse.participation.services.ideas import submit_idea

    body = body_or_404(slug)
    process = get_object_or_404(
        selectors.visible_processes(request.auth, body).prefetch_related("phases"),
        slug=payload.process,
    )
    field = None
    if payload.action_field_id is not None:
        field = ActionField.objects.filter(pk=payload.action_field_id, strategy__body=body).first()
        if field is None:
            return api_errors.unprocessable("action_field_id", _("Unknown action field."))

    def change():
        idea = submit_idea(
            request.auth,
            process,
            title=payload.title,
            text=payload.text,
            action_field=field,
            address=payload.address,
            latitude=degrees(payload.latitude),
            longitude=degrees(payload.longitude),
        )
        return public_ideas(body).get(pk=idea.pk)

    return write(201, change)


@router.post(
    "/{slug}/ideas/{idea_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Comment on an idea",
)
def post_comment(request, slug: str, idea_id: int, payload: CommentIn):
    from lotse.participation.services.ideas import add_comment

    idea = writable_idea(request, slug, idea_id)
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(idea=idea, pk=payload.parent_id).first()
        if parent is None:
            return api_errors.unprocessable("parent_id", _("Unknown comment."))
    return write(201, lambda: add_comment(request.auth, idea, payload.text, parent=parent))


def support_state(idea: Idea, supported: bool) -> dict:
    idea.refresh_from_db(fields=["support_count"])
    return {"idea_id": idea.pk, "supported": supported, "support_count": idea.support_count}


@router.post(
    "/{slug}/ideas/{idea_id}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Support an idea",
)
def post_support(request, slug: str, idea_id: int):
    """One support per person and idea; supporting again changes nothing."""
    from lotse.participation.services.ideas import support

    idea = writable_idea(request, slug, idea_id)

    def change():
        support(request.auth, idea)
        return support_state(idea, True)

    return write(200, change)


@router.delete(
    "/{slug}/ideas/{idea_id}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Withdraw the support of an idea",
)
def delete_support(request, slug: str, idea_id: int):
    from lotse.participation.services.ideas import withdraw_support

    idea = writable_idea(request, slug, idea_id)

    def change():
        withdraw_support(request.auth, idea)
        return support_state(idea, False)

    return write(200, change)
