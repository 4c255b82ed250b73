"""Reads of council data that need care: the one gate for who sees what (issue 5, point 7).

Non-public agenda items, their papers, decisions and files are for the members of the
meeting's organizations, the council office and the staff; everyone else sees such an item
as "N 1 – nicht öffentlich", its number only. Pages, feeds and the API start here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    File,
    Meeting,
    Paper,
    PaperState,
)
from lotse.council.rules import member_organization_ids


@dataclass(frozen=True)
class Viewer:
    """What one user may see in one body, worked out once per request (no query per row)."""

    sees_non_public: bool
    sees_drafts: bool
    organization_ids: frozenset[int]

    def sees_items_of(self, organization_ids) -> bool:
        """Whether non-public items of a meeting of these organizations are open to the user."""
        return self.sees_non_public or bool(self.organization_ids & set(organization_ids))

    def can_see_item(self, item: AgendaItem, meeting_organization_ids=None) -> bool:
        if item.is_public:
            return True
        if meeting_organization_ids is None:
            meeting_organization_ids = meeting_organization_ids_of(item.meeting)
        return self.sees_items_of(meeting_organization_ids)


def viewer(user, body: Body | Meeting) -> Viewer:
    """``body`` may also be a row of the body (a meeting): permissions only need its body id."""
    return Viewer(
        sees_non_public=user.has_perm("council.view_non_public", body),
        sees_drafts=user.has_perm("council.edit_papers", body),
        organization_ids=member_organization_ids(user),
    )


def meeting_organization_ids_of(meeting: Meeting) -> set[int]:
    """Uses prefetched organizations where there are some."""
    return {o.pk for o in meeting.organizations.all()}


def can_see_item(user, agenda_item: AgendaItem) -> bool:
    """Whether the user may see a (possibly non-public) agenda item's title, paper, decision
    and files."""
    if agenda_item.is_public:
        return True
    return viewer(user, agenda_item.meeting).can_see_item(agenda_item)


def masked_label(item: AgendaItem) -> str:
    """How an item the user may not see is shown: its number and "nicht öffentlich"."""
    return _("%(number)s – not public") % {"number": item.number or "N"}


def item_visibility(user, body: Body) -> Q:
    """A filter on agenda items for those whose content the user may see."""
    me = viewer(user, body)
    if me.sees_non_public:
        return Q()
    condition = Q(is_public=True)
    if me.organization_ids:
        condition |= Q(meeting__organizations__in=me.organization_ids)
    return condition


def papers_namespace(body_id: int) -> str:
    """The cache namespace of what is cached about a body's papers (their list's HTML),
    renewed by ``cache_signals`` when a paper changes."""
    return f"papers:{body_id}"


def paper_counts_namespace(body_id: int) -> str:
    """The cache namespace of the large counts of a body's paper lists (shown rounded, as
    "about"), renewed when a paper is added or deleted. Another change that moves a paper in
    or out of a list (released, made public, a new type, date or Beratungsfolge) reaches
    them within ``core.paging.COUNT_SECONDS``: an edit must not recount 100,000 papers."""
    return f"paper-counts:{body_id}"


def visible_papers(user, body: Body) -> QuerySet[Paper]:
    """Released public papers for everyone; released non-public ones for the members of an
    organization the paper is consulted in, the council office and staff; drafts only for
    those who edit papers."""
    me = viewer(user, body)
    papers = Paper.objects.for_body(body)
    if me.sees_drafts:
        return papers
    papers = papers.filter(state=PaperState.RELEASED)
    if me.sees_non_public:
        return papers
    condition = Q(is_public=True)
    if me.organization_ids:
        consulted = Consultation.objects.filter(
            paper=OuterRef("pk"), organization_id__in=me.organization_ids
        )
        condition |= Q(Exists(consulted))
    return papers.filter(condition)


def visible_decisions(user, body: Body) -> QuerySet[Decision]:
    """Decisions whose agenda item the user may see."""
    me = viewer(user, body)
    decisions = Decision.objects.for_body(body)
    if me.sees_non_public:
        return decisions
    condition = Q(agenda_item__is_public=True)
    if me.organization_ids:
        seated = Meeting.organizations.through.objects.filter(
            meeting_id=OuterRef("agenda_item__meeting_id"),
            organization_id__in=me.organization_ids,
        )
        condition |= Q(Exists(seated))
    return decisions.filter(condition)


def visible_files(user, body: Body) -> QuerySet[File]:
    """Files follow what they belong to: their paper, agenda item or (public) meeting."""
    me = viewer(user, body)
    files = File.objects.for_body(body)
    if me.sees_non_public:
        return files
    # Correlated EXISTS rather than IN: a filter on the files (one paper, one meeting) then
    # checks only its own rows instead of listing every visible paper first.
    papers = visible_papers(user, body).filter(pk=OuterRef("paper_id"))
    items = (
        AgendaItem.objects.filter(meeting__body=body)
        .filter(item_visibility(user, body))
        .filter(pk=OuterRef("agenda_item_id"))
    )
    return files.filter(
        Q(Exists(papers), paper__isnull=False)
        | Q(Exists(items), agenda_item__isnull=False)
        | Q(paper__isnull=True, agenda_item__isnull=True, meeting__isnull=False)
    )
