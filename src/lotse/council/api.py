"""Council data in the REST API, read only: organizations with their memberships and persons,
meetings with their agenda, papers with their Beratungsfolge and files, and decisions with
their Beschlusskontrolle.

Objects and fields carry OParl 1.1's names, written in snake case like the rest of this API
(``agenda_item``, ``main_file``, ``sha512_checksum``). Who sees what is decided in
``selectors``, as on the pages: without a token only public content; a non-public agenda item
appears with its number and "nicht öffentlich", without title, paper, decision or files. A
caller with a personal token (``Authorization: Bearer lotse_…``) or a signed-in session sees
what that person may see: members their organizations' non-public items, the council office
and staff all of the body's. A wrong token is refused, never read as anonymous.
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from lotse.accounts.services import user_for_token
from lotse.core.api import MAX_ID, NO_NUL, IsoDate, Pagination, errors
from lotse.core.models import Body
from lotse.council import search, selectors
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    DecisionOutcome,
    File,
    FollowUpState,
    Meeting,
    MeetingState,
    Membership,
    Organization,
    Paper,
    PaperState,
    PaperType,
)
from lotse.search import index
from lotse.search.engine import person_grants

router = Router(tags=["Council"])

PAGE_SIZE = 50
NOT_PUBLIC = "nicht öffentlich"


def file_path(body_slug: str, file: File) -> str:
    """Where the download view of a file answers (``council:file``)."""
    return f"/{body_slug}/dateien/{file.pk}/{file.file_name}"


# --- Schemas ---------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    family_name: str
    given_name: str
    form_of_address: str
    title: str
    affix: str


class MembershipOut(Schema):
    id: int
    person: PersonOut
    role: str
    voting_right: bool
    on_behalf_of: int | None = Field(None, description="Id of the Fraktion the seat belongs to.")
    start_date: datetime.date | None
    end_date: datetime.date | None

    @staticmethod
    def resolve_on_behalf_of(obj) -> int | None:
        return obj.on_behalf_of_id


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    organization_type: str
    classification: str = Field(..., description="The type as a German word.")
    sub_organization_of: int | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    website: str
    member_count: int | None = Field(None, description="Statutory members.")
    membership: list[MembershipOut]

    @staticmethod
    def resolve_classification(obj) -> str:
        return obj.get_organization_type_display()

    @staticmethod
    def resolve_sub_organization_of(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_member_count(obj) -> int | None:
        return obj.statutory_members

    @staticmethod
    def resolve_membership(obj) -> list[Membership]:
        return list(obj.memberships.all())


class FileOut(Schema):
    id: int
    name: str
    file_name: str
    mime_type: str
    date: datetime.date
    size: int
    sha512_checksum: str
    role: str
    access_url: str
    download_url: str

    @staticmethod
    def resolve_sha512_checksum(obj) -> str:
        return obj.sha512

    @staticmethod
    def resolve_access_url(obj, context) -> str:
        request = context["request"]
        return request.build_absolute_uri(file_path(request.council_body.slug, obj))

    @staticmethod
    def resolve_download_url(obj, context) -> str:
        request = context["request"]
        return request.build_absolute_uri(file_path(request.council_body.slug, obj))


class DecisionBrief(Schema):
    id: int
    number: str
    outcome: str
    date: datetime.date


class AgendaItemOut(Schema):
    id: int
    number: str
    order: int
    public: bool
    name: str = Field(..., description='"nicht öffentlich" for an item the caller may not see.')
    visible: bool = Field(..., description="Whether the caller may see the item's content.")
    paper: int | None = None
    consultation: int | None = None
    result: str | None = None
    resolution_text: str | None = None
    decision: DecisionBrief | None = None
    auxiliary_file: list[FileOut] = []

    @staticmethod
    def resolve_public(obj) -> bool:
        return obj.is_public

    @staticmethod
    def resolve_visible(obj) -> bool:
        return obj.visible

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.name if obj.visible else NOT_PUBLIC

    @staticmethod
    def resolve_paper(obj) -> int | None:
        if obj.visible and obj.consultation_id and obj.paper_visible:
            return obj.consultation.paper_id
        return None

    @staticmethod
    def resolve_consultation(obj) -> int | None:
        return obj.consultation_id if obj.visible else None

    @staticmethod
    def resolve_result(obj) -> str | None:
        return obj.result if obj.visible else None

    @staticmethod
    def resolve_resolution_text(obj) -> str | None:
        return obj.resolution_text if obj.visible else None

    @staticmethod
    def resolve_decision(obj) -> Decision | None:
        return getattr(obj, "decision", None) if obj.visible else None

    @staticmethod
    def resolve_auxiliary_file(obj) -> list[File]:
        return list(obj.files.all()) if obj.visible else []


class MeetingOut(Schema):
    id: int
    name: str
    meeting_state: str
    cancelled: bool
    start: datetime.datetime
    end: datetime.datetime | None
    location: str
    is_hybrid: bool
    organization: list[int]
    agenda_item: list[AgendaItemOut]
    auxiliary_file: list[FileOut]

    @staticmethod
    def resolve_meeting_state(obj) -> str:
        return obj.state

    @staticmethod
    def resolve_cancelled(obj) -> bool:
        return obj.state == MeetingState.CANCELLED

    @staticmethod
    def resolve_organization(obj) -> list[int]:
        return [o.pk for o in obj.organizations.all()]

    @staticmethod
    def resolve_agenda_item(obj, context) -> list[AgendaItem]:
        me = context["request"].council_viewer
        organization_ids = selectors.meeting_organization_ids_of(obj)
        items = list(obj.agenda_items.all())
        for item in items:
            item.visible = me.can_see_item(item, organization_ids)
        return items

    @staticmethod
    def resolve_auxiliary_file(obj) -> list[File]:
        # Files of the meeting itself (invitation, minutes); item files are listed per item.
        return [f for f in obj.files.all() if f.agenda_item_id is None]


class ConsultationOut(Schema):
    id: int
    organization: int
    meeting: int | None
    agenda_item: list[str] = Field(
        ..., description="Numbers of the agenda items that treated the paper."
    )
    role: str
    authoritative: bool
    planned_date: datetime.date | None

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_agenda_item(obj) -> list[str]:
        return [item.number for item in obj.agenda_items.all()]


class PaperOut(Schema):
    id: int
    reference: str
    name: str
    paper_type: str
    paper_type_label: str
    date: datetime.date
    state: str
    public: bool
    decision_proposal: str = Field(..., description="Markdown")
    reasoning: str = Field(..., description="Markdown")
    originator_organization: int | None
    superordinated_paper: int | None = Field(None, description="The paper this one supplements.")
    related_paper: list[int]
    main_file: FileOut | None
    auxiliary_file: list[FileOut]
    consultation: list[ConsultationOut]
    web: str

    @staticmethod
    def resolve_paper_type_label(obj) -> str:
        return str(PaperType(obj.paper_type).label)

    @staticmethod
    def resolve_public(obj) -> bool:
        return obj.is_public

    @staticmethod
    def resolve_originator_organization(obj) -> int | None:
        return obj.originator_organization_id

    @staticmethod
    def resolve_superordinated_paper(obj) -> int | None:
        return obj.supplements_id

    @staticmethod
    def resolve_related_paper(obj, context) -> list[int]:
        # Decided without a query per row: what edits papers sees drafts, released public
        # papers are for all, non-public ones for the council office and staff. (Members do
        # not get their organizations' non-public related papers listed here; never more.)
        me = context["request"].council_viewer
        return [
            p.pk
            for p in obj.related_papers.all()
            if p.body_id == obj.body_id
            and (
                me.sees_drafts
                or (p.state == PaperState.RELEASED and (p.is_public or me.sees_non_public))
            )
        ]

    @staticmethod
    def resolve_main_file(obj) -> File | None:
        return next((f for f in obj.files.all() if f.role == File.Role.MAIN), None)

    @staticmethod
    def resolve_auxiliary_file(obj) -> list[File]:
        return [f for f in obj.files.all() if f.role != File.Role.MAIN]

    @staticmethod
    def resolve_consultation(obj) -> list[Consultation]:
        return list(obj.consultations.all())

    @staticmethod
    def resolve_web(obj, context) -> str:
        request = context["request"]
        return request.build_absolute_uri(f"/{request.council_body.slug}/vorlagen/{obj.pk}/")


class FollowUpOut(Schema):
    state: str
    due_date: datetime.date | None
    done_on: datetime.date | None
    overdue: bool
    unit: str | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class DecisionOut(Schema):
    id: int
    number: str
    date: datetime.date
    outcome: str
    outcome_label: str
    resolution_text: str = Field(..., description="Markdown")
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    unanimous: bool
    referred_to: int | None
    meeting: int
    agenda_item: int
    agenda_item_number: str
    paper: int | None
    follow_up: FollowUpOut | None

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return str(DecisionOutcome(obj.outcome).label)

    @staticmethod
    def resolve_referred_to(obj) -> int | None:
        return obj.referred_to_id

    @staticmethod
    def resolve_meeting(obj) -> int:
        return obj.agenda_item.meeting_id

    @staticmethod
    def resolve_agenda_item(obj) -> int:
        return obj.agenda_item_id

    @staticmethod
    def resolve_agenda_item_number(obj) -> str:
        return obj.agenda_item.number

    @staticmethod
    def resolve_paper(obj) -> int | None:
        consultation = obj.agenda_item.consultation
        return consultation.paper_id if consultation and obj.paper_visible else None

    @staticmethod
    def resolve_follow_up(obj):
        return getattr(obj, "follow_up", None)


# --- Helpers ---------------------------------------------------------------------------------


def reader(request):
    """Who reads: the owner of a Bearer token if one is sent (a wrong one is refused), else
    the session user (anonymous for most callers)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header.split(" ", 1)[1].strip())
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


def council_context(request, slug: str):
    """The body and the reader's ``Viewer``, kept on the request for the schemas."""
    body = get_object_or_404(Body, slug=slug)
    user = reader(request)
    request.council_body = body
    request.council_viewer = selectors.viewer(user, body)
    return body, user


def paper_visible(user, body: Body, paper_ref: str) -> Exists:
    """Whether the paper at ``paper_ref`` (an OuterRef path) is one the user may see."""
    return Exists(selectors.visible_papers(user, body).filter(pk=OuterRef(paper_ref)))


def file_rows() -> QuerySet[File]:
    """Files' metadata; their text (up to megabytes each) is not part of the answer.

    Prefetched for rows the caller may see, these follow ``selectors.visible_files``: a
    visible paper's files, a visible item's files (the schema drops an invisible item's), a
    meeting's own files. Filtering them again through the selector would scan the body's
    files on every page."""
    return File.objects.defer("text").order_by("role", "name", "pk")


def organizations(body: Body) -> QuerySet[Organization]:
    return Organization.objects.for_body(body).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("person").order_by(
                "role", "person__family_name", "person__given_name", "pk"
            ),
        )
    )


def meetings(user, body: Body) -> QuerySet[Meeting]:
    items = (
        AgendaItem.objects.select_related("consultation", "decision")
        .annotate(paper_visible=paper_visible(user, body, "consultation__paper_id"))
        .prefetch_related(Prefetch("files", queryset=file_rows()))
        .order_by("order")
    )
    own_files = file_rows().filter(agenda_item__isnull=True, paper__isnull=True)
    return Meeting.objects.for_body(body).prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.order_by("name")),
        Prefetch("agenda_items", queryset=items),
        Prefetch("files", queryset=own_files),
    )


def papers(user, body: Body) -> QuerySet[Paper]:
    consultations = Consultation.objects.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("meeting__start", "order"))
    ).order_by("order", "pk")
    return (
        selectors.visible_papers(user, body)
        .prefetch_related(
            Prefetch("files", queryset=file_rows()),
            Prefetch("consultations", queryset=consultations),
            Prefetch(
                "related_papers",
                # Without the model's ordering, which would join and sort by the body.
                queryset=Paper.objects.only("pk", "body_id", "state", "is_public").order_by("pk"),
            ),
        )
        .order_by("-date", "-pk")
    )


def decisions(user, body: Body) -> QuerySet[Decision]:
    return (
        selectors.visible_decisions(user, body)
        .select_related("agenda_item__consultation", "follow_up__unit")
        .annotate(paper_visible=paper_visible(user, body, "agenda_item__consultation__paper_id"))
        .order_by("-date", "-pk")
    )


# --- Endpoints -------------------------------------------------------------------------------


@router.get(
    "/{slug}/council/organizations",
    response={200: list[OrganizationOut], **errors(401, 404, 422)},
    summary="Organizations (Gremien)",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_organizations(
    request, slug: str, organization_type: str | None = Query(None, pattern=NO_NUL)
):
    """The council, committees, factions and other organizations with their memberships."""
    body, _user = council_context(request, slug)
    found = organizations(body)
    if organization_type:
        found = found.filter(organization_type=organization_type)
    return found.order_by("name", "pk")


@router.get(
    "/{slug}/council/organizations/{organization_id}",
    response={200: OrganizationOut, **errors(401, 404, 422)},
    summary="One organization",
)
def get_organization(request, slug: str, organization_id: int):
    body, _user = council_context(request, slug)
    return get_object_or_404(organizations(body), pk=organization_id)


@router.get(
    "/{slug}/council/meetings",
    response={200: list[MeetingOut], **errors(401, 404, 422)},
    summary="Meetings",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_meetings(
    request,
    slug: str,
    organization: int | None = Query(None, ge=1, le=MAX_ID),
    start_from: IsoDate | None = None,
    start_until: IsoDate | None = None,
):
    """Meetings with their agenda, newest first; filter by organization and by the days the
    meetings start between (inclusive)."""
    body, user = council_context(request, slug)
    found = meetings(user, body)
    if organization:
        found = found.filter(organizations=organization)
    zone = timezone.get_current_timezone()
    if start_from:
        found = found.filter(
            start__gte=datetime.datetime.combine(start_from, datetime.time(), zone)
        )
    if start_until:
        after = start_until + datetime.timedelta(days=1)
        found = found.filter(start__lt=datetime.datetime.combine(after, datetime.time(), zone))
    return found.order_by("-start", "-pk")


@router.get(
    "/{slug}/council/meetings/{meeting_id}",
    response={200: MeetingOut, **errors(401, 404, 422)},
    summary="One meeting",
)
def get_meeting(request, slug: str, meeting_id: int):
    body, user = council_context(request, slug)
    return get_object_or_404(meetings(user, body), pk=meeting_id)


@router.get(
    "/{slug}/council/papers",
    response={200: list[PaperOut], **errors(401, 404, 422)},
    summary="Papers (Vorlagen)",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_papers(
    request,
    slug: str,
    q: str | None = Query(None, pattern=NO_NUL),
    paper_type: PaperType | None = None,
    organization: int | None = Query(None, ge=1, le=MAX_ID),
):
    """Papers the caller may see, newest first. ``q`` finds a reference number exactly, or
    words (any German form) in the subject, proposal, reasoning and files: of the newest
    1,000 matching papers (as on the search page), the best first."""
    body, user = council_context(request, slug)
    found = papers(user, body)
    tags = []
    if paper_type:
        found = found.filter(paper_type=paper_type)
        tags.append(index.tag("s", paper_type))
    if organization:
        found = found.filter(
            pk__in=Consultation.objects.filter(organization_id=organization).values("paper_id")
        )
        tags.append(index.tag("g", organization))
    if q and q.strip():
        grants = person_grants(user, [body])
        found = search.find_papers(found, q[:200], body=body, grants=grants, tags=tags).papers
    return found


@router.get(
    "/{slug}/council/papers/{paper_id}",
    response={200: PaperOut, **errors(401, 404, 422)},
    summary="One paper",
)
def get_paper(request, slug: str, paper_id: int):
    body, user = council_context(request, slug)
    return get_object_or_404(papers(user, body), pk=paper_id)


@router.get(
    "/{slug}/council/decisions",
    response={200: list[DecisionOut], **errors(401, 404, 422)},
    summary="Decisions (Beschlüsse) with their Beschlusskontrolle",
)
@paginate(Pagination, page_size=PAGE_SIZE)
def list_decisions(
    request,
    slug: str,
    organization: int | None = Query(None, ge=1, le=MAX_ID),
    follow_up_state: FollowUpState | None = None,
    overdue: bool = False,
):
    """Decisions of agenda items the caller may see, newest first."""
    body, user = council_context(request, slug)
    found = decisions(user, body)
    if organization:
        held = Meeting.objects.filter(organizations=organization).values("pk")
        found = found.filter(agenda_item__meeting__in=held)
    if follow_up_state:
        found = found.filter(follow_up__state=follow_up_state)
    if overdue:
        found = found.filter(follow_up__due_date__lt=timezone.localdate()).exclude(
            follow_up__state=FollowUpState.DONE
        )
    return found


@router.get(
    "/{slug}/council/decisions/{decision_id}",
    response={200: DecisionOut, **errors(401, 404, 422)},
    summary="One decision",
)
def get_decision(request, slug: str, decision_id: int):
    body, user = council_context(request, slug)
    return get_object_or_404(decisions(user, body), pk=decision_id)
