"""The public rows of a body per OParl type, prefetched so that a list page costs a fixed
number of queries. Only what an anonymous visitor sees on the pages is served: released
public papers with their consultations, the files ``council.selectors.visible_files`` gives
anyone, all meetings, and agenda items (non-public ones masked by the serializer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from lotse.core.models import Body
from lotse.council import selectors
from lotse.council.models import (
    AgendaItem,
    Consultation,
    File,
    LegislativeTerm,
    Meeting,
    Membership,
    Organization,
    Paper,
    PaperState,
    Person,
)
from lotse.oparl import serializers as s

ANONYMOUS = AnonymousUser()


def public_papers(body: Body) -> QuerySet[Paper]:
    return Paper.objects.filter(body=body, state=PaperState.RELEASED, is_public=True)


def meetings_of(body: Body):
    """A subquery (``IN``), so lists page by the item's own id instead of sorting a join."""
    return Meeting.objects.filter(body=body).values("pk")


def items_of(body: Body) -> QuerySet[AgendaItem]:
    """A body's agenda items, by the ids of its meetings (one small query first). The unary
    ``+`` keeps SQLite from reading them through the meeting index and sorting them all for
    one page; it walks them in id order instead (PostgreSQL plans this well either way)."""
    ids = [int(pk) for pk in Meeting.objects.filter(body=body).values_list("pk", flat=True)]
    if not ids:
        return AgendaItem.objects.none()
    return AgendaItem.objects.extra(  # noqa: S610  (integers only)
        where=[f"+council_agendaitem.meeting_id IN ({','.join(map(str, ids))})"]
    )


def consultations_of(body: Body) -> QuerySet[Consultation]:
    """Consultations of the body's public papers, walked in id order (see ``items_of``)."""
    return Consultation.objects.extra(
        where=[
            # Correlated: a lookup by primary key per row walked, not a set of every
            # public paper built for each page.
            "EXISTS (SELECT 1 FROM council_paper p WHERE p.id = council_consultation.paper_id "
            "AND p.body_id = %s AND p.state = %s AND p.is_public)"
        ],
        params=[body.pk, PaperState.RELEASED.value],
    )


def public_files(body: Body) -> QuerySet[File]:
    return selectors.visible_files(ANONYMOUS, body)


def listed_files(body: Body) -> QuerySet[File]:
    """``public_files`` for the File list, as joins on each file's paper and agenda item:
    PostgreSQL turns ``visible_files``' EXISTS inside an OR into hashes of every public
    paper and item for each page (0.4 s at 100,000 papers); joined, it looks each page's
    files' owners up by key. The same rows (tested)."""
    return File.objects.filter(body=body).filter(
        Q(paper__body=body, paper__state=PaperState.RELEASED, paper__is_public=True)
        | Q(agenda_item__meeting__body=body, agenda_item__is_public=True)
        | Q(paper__isnull=True, agenda_item__isnull=True, meeting__isnull=False)
    )


def public_paper_ids(body: Body, ids) -> set[int]:
    ids = {i for i in ids if i}
    if not ids:
        return set()
    # By id only: a body filter would lead SQLite's planner to scan the body's papers.
    return set(
        Paper.objects.filter(pk__in=ids, state=PaperState.RELEASED, is_public=True).values_list(
            "pk", flat=True
        )
    )


def _embedded_files():
    """Files as they are embedded: without their text (spec: only the File list and the
    File object carry ``text``, which can be a whole paper's worth)."""
    return File.objects.defer("text").order_by("role", "name", "pk")


def _files(body: Body) -> Prefetch:
    """Files of rows already known to be public: a public paper's files are public, and the
    serializer shows an agenda item's files only if the item is public (the page's rule,
    without ``visible_files``' EXISTS per file)."""
    return Prefetch("files", queryset=_embedded_files())


def item_files(item_ids) -> dict[int, list[File]]:
    """The files of many agenda items in one query, by item: cheaper than a prefetch, which
    builds a manager and a queryset for each of thousands of items on a meeting page."""
    ids = sorted({i for i in item_ids if i})
    found: dict[int, list[File]] = {}
    if ids:
        for f in _embedded_files().filter(agenda_item_id__in=ids):
            found.setdefault(f.agenda_item_id, []).append(f)
    return found


@dataclass(frozen=True)
class Kind:
    """One OParl type: its rows, how to make a page of them ready, how to write one."""

    name: str
    rows: Callable[[Body], QuerySet]
    prepare: Callable[[Body, list], dict]
    write: Callable  # (urls, row, body, context, omit_internal) -> dict


def _nothing(body, rows) -> dict:
    return {}


def _agenda_items(body: Body) -> Prefetch:
    return Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.select_related(
            "decision__referred_to", "consultation"
        ).order_by("order"),
    )


def _meeting_context(body, rows) -> dict:
    items = [item for row in rows for item in row.agenda_items.all()]
    return {
        "public_papers": public_paper_ids(
            body, (item.consultation.paper_id for item in items if item.consultation_id)
        ),
        "item_files": item_files(item.pk for item in items if item.is_public),
    }


def _item_context(body, rows) -> dict:
    return {
        "public_papers": public_paper_ids(
            body, (item.consultation.paper_id for item in rows if item.consultation_id)
        ),
        "item_files": item_files(item.pk for item in rows if item.is_public),
    }


def _paper_context(body, rows) -> dict:
    return {"public_papers": public_paper_ids(body, (row.supplements_id for row in rows))}


def _paper_prefetch(body: Body) -> list:
    public = Paper.objects.only("pk", "state", "is_public").order_by("pk")
    return [
        Prefetch("related_papers", queryset=public),
        Prefetch("supplementary_papers", queryset=public),
        Prefetch(
            "consultations",
            queryset=Consultation.objects.prefetch_related(
                Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("pk"))
            ).order_by("order", "pk"),
        ),
        _files(body),
    ]


def _paper_write(urls, row, body, context, omit_internal):
    public = set(context["public_papers"])
    for other in [*row.related_papers.all(), *row.supplementary_papers.all()]:
        if other.state == PaperState.RELEASED and other.is_public:
            public.add(other.pk)
    return s.paper(urls, row, body, public_papers=public, omit_internal=omit_internal)


KINDS: dict[str, Kind] = {
    "legislativeterm": Kind(
        "legislativeterm",
        lambda body: LegislativeTerm.objects.filter(body=body),
        _nothing,
        lambda urls, row, body, ctx, omit: s.legislative_term(urls, row, body),
    ),
    "organization": Kind(
        "organization",
        lambda body: Organization.objects.filter(body=body).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.only("pk", "organization_id").order_by("pk"),
            )
        ),
        _nothing,
        lambda urls, row, body, ctx, omit: s.organization(urls, row, body),
    ),
    "person": Kind(
        "person",
        lambda body: Person.objects.filter(body=body).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.order_by("pk"))
        ),
        _nothing,
        lambda urls, row, body, ctx, omit: s.person(urls, row, body, omit_internal=omit),
    ),
    "membership": Kind(
        "membership",
        lambda body: Membership.objects.filter(
            organization__in=Organization.objects.filter(body=body).values("pk")
        ),
        _nothing,
        lambda urls, row, body, ctx, omit: s.membership(urls, row),
    ),
    "meeting": Kind(
        "meeting",
        lambda body: Meeting.objects.filter(body=body).prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.only("pk").order_by("pk")),
            _files(body),
            _agenda_items(body),
        ),
        _meeting_context,
        lambda urls, row, body, ctx, omit: s.meeting(
            urls,
            row,
            body,
            public_papers=ctx["public_papers"],
            item_files=ctx["item_files"],
            omit_internal=omit,
        ),
    ),
    "agendaitem": Kind(
        "agendaitem",
        lambda body: items_of(body).select_related("decision__referred_to", "consultation"),
        _item_context,
        lambda urls, row, body, ctx, omit: s.agenda_item(
            urls,
            row,
            body,
            paper_public=bool(row.consultation_id)
            and row.consultation.paper_id in ctx["public_papers"],
            files=ctx["item_files"].get(row.pk, []),
            omit_internal=omit,
        ),
    ),
    "paper": Kind(
        "paper",
        lambda body: public_papers(body).prefetch_related(*_paper_prefetch(body)),
        _paper_context,
        _paper_write,
    ),
    "consultation": Kind(
        "consultation",
        lambda body: consultations_of(body).prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("pk"))
        ),
        _nothing,
        lambda urls, row, body, ctx, omit: s.consultation(urls, row),
    ),
    "file": Kind(
        "file",
        listed_files,
        _nothing,
        lambda urls, row, body, ctx, omit: s.file(urls, row),
    ),
    "location": Kind(
        "location",
        lambda body: Meeting.objects.filter(body=body).exclude(location=""),
        _nothing,
        lambda urls, row, body, ctx, omit: s.location(urls, row),
    ),
}

# The timestamp columns each type is filtered on (created, modified).
STAMPS = {name: ("created_at", "updated_at") for name in KINDS}


def body_of(kind: str, pk: int) -> Body | None:
    """The body an object id belongs to (for a GET on the object's id)."""
    path = {
        "membership": "organization__body",
        "agendaitem": "meeting__body",
        "consultation": "paper__body",
    }.get(kind, "body")
    model = {
        "legislativeterm": LegislativeTerm,
        "organization": Organization,
        "person": Person,
        "membership": Membership,
        "meeting": Meeting,
        "agendaitem": AgendaItem,
        "paper": Paper,
        "consultation": Consultation,
        "file": File,
        "location": Meeting,
    }[kind]
    body_id = (
        model.objects.filter(pk=pk)
        .values_list(f"{path}_id" if path == "body" else f"{path}", flat=True)
        .first()
    )
    if body_id is None:
        return None
    return Body.objects.filter(pk=body_id).first()


def date_filter(field: str, since, until) -> Q:
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if until is not None:
        q &= Q(**{f"{field}__lt": until})
    return q
