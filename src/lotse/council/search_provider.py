"""What the council gives the one search (lotse.search): papers with their files' text,
decisions and meetings with their agenda items, each with who may see it.

Grants (see lotse.search.registry): ``pub``; ``b<body>:council_nonpublic`` for those who see
non-public items (council office, staff); ``b<body>:council_drafts`` for those who edit papers
(they see every paper); ``o<organization>`` for the members of a Gremium a non-public paper is
consulted in or a non-public item's meeting belongs to.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    DecisionOutcome,
    File,
    Meeting,
    MeetingState,
    Organization,
    Paper,
    PaperState,
    PaperType,
)
from lotse.council.rules import member_organization_ids
from lotse.search.registry import (
    PUBLIC,
    Entry,
    Provider,
    body_grant,
    organization_grant,
    register,
    register_grants,
    register_labels,
)

NON_PUBLIC, DRAFTS = "council_nonpublic", "council_drafts"


def _slugs(using: str) -> dict[int, str]:
    return dict(Body.objects.using(using).values_list("pk", "slug"))


def _url(name: str, slug: str, pk: int) -> str:
    return reverse(name, kwargs={"body_slug": slug, "pk": pk})


def _ids(model, date_field):
    def ids(using, body_id):
        found = model._default_manager.using(using)
        if body_id is not None:
            found = found.filter(body_id=body_id)
        return found.order_by(date_field, "pk").values_list("pk", flat=True).iterator(5000)

    return ids


def paper_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = _slugs(using)
    papers = (
        Paper._default_manager.using(using)
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "consultations",
                queryset=Consultation.objects.using(using).only("paper_id", "organization_id"),
            )
        )
    )
    texts: dict[int, list[str]] = {}
    files = File._default_manager.using(using).filter(paper_id__in=ids).order_by("pk")
    for paper_id, text in files.values_list("paper_id", "text"):
        texts.setdefault(paper_id, []).append(text)
    entries = []
    for paper in papers:
        organizations = sorted({c.organization_id for c in paper.consultations.all()})
        if paper.state != PaperState.RELEASED:
            access = [body_grant(paper.body_id, DRAFTS)]
        elif paper.is_public:
            access = [PUBLIC]
        else:
            access = [body_grant(paper.body_id, NON_PUBLIC), body_grant(paper.body_id, DRAFTS)]
            access += [organization_grant(o) for o in organizations]
        text = "\n".join(
            t for t in [paper.decision_proposal, paper.reasoning, *texts.get(paper.pk, [])] if t
        )
        entries.append(
            Entry(
                kind="paper",
                object_id=paper.pk,
                body_id=paper.body_id,
                title=f"{paper.reference} {paper.name}".strip(),
                text=text,
                url=_url("council:paper", slugs[paper.body_id], paper.pk),
                access=access,
                date=paper.date,
                state=paper.paper_type,
                organizations=organizations,
                references=[paper.reference],
            )
        )
    return entries


def decision_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = _slugs(using)
    decisions = (
        Decision._default_manager.using(using)
        .filter(pk__in=ids)
        .select_related("agenda_item__meeting", "agenda_item__consultation__paper")
        .prefetch_related("agenda_item__meeting__organizations")
    )
    entries = []
    for decision in decisions:
        item = decision.agenda_item
        organizations = sorted(o.pk for o in item.meeting.organizations.all())
        if item.is_public:
            access = [PUBLIC]
        else:
            access = [body_grant(decision.body_id, NON_PUBLIC)]
            access += [organization_grant(o) for o in organizations]
        paper = item.consultation.paper if item.consultation else None
        title = f"{decision.number} {item.name}".strip()
        entries.append(
            Entry(
                kind="decision",
                object_id=decision.pk,
                body_id=decision.body_id,
                title=title,
                text=decision.resolution_text or item.resolution_text,
                url=_url("council:paper", slugs[decision.body_id], paper.pk)
                if paper
                else _url("council:meeting", slugs[decision.body_id], item.meeting_id),
                access=access,
                date=decision.date,
                state=decision.outcome,
                organizations=organizations,
                references=[decision.number, paper.reference if paper else ""],
            )
        )
    return entries


def meeting_entries(ids: list[int], using: str) -> list[Entry]:
    """A meeting with its agenda; a non-public item shows only its number, as on the page."""
    slugs = _slugs(using)
    meetings = (
        Meeting._default_manager.using(using)
        .filter(pk__in=ids)
        .prefetch_related(
            "organizations",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.using(using).order_by("order", "pk"),
            ),
        )
    )
    entries = []
    for meeting in meetings:
        organizations = sorted(o.pk for o in meeting.organizations.all())
        items = [
            f"{item.number} {item.name}" for item in meeting.agenda_items.all() if item.is_public
        ]
        entries.append(
            Entry(
                kind="meeting",
                object_id=meeting.pk,
                body_id=meeting.body_id,
                title=meeting.name,
                text="\n".join([meeting.location, *items]),
                url=_url("council:meeting", slugs[meeting.body_id], meeting.pk),
                access=[PUBLIC],
                date=meeting.start.date(),
                state=meeting.state,
                organizations=organizations,
            )
        )
    return entries


def _decision_of_item(item: AgendaItem):
    return list(Decision.objects.filter(agenda_item_id=item.pk).values_list("pk", flat=True))


def _meetings_of(instance) -> list[int]:
    """The meetings whose organizations changed (from either side of the relation)."""
    if isinstance(instance, Meeting):
        return [instance.pk]
    return list(Meeting.objects.filter(organizations=instance).values_list("pk", flat=True))


def _decisions_of_meeting(instance) -> list[int]:
    meetings = _meetings_of(instance)
    return list(
        Decision.objects.filter(agenda_item__meeting_id__in=meetings).values_list("pk", flat=True)
    )


def grants(user, body) -> set[str]:
    held = {organization_grant(o) for o in member_organization_ids(user)}
    if user.has_perm("council.view_non_public", body):
        held.add(body_grant(body.pk, NON_PUBLIC))
    if user.has_perm("council.edit_papers", body):
        held.add(body_grant(body.pk, DRAFTS))
    return held


def organization_labels(ids: set[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def register_all() -> None:
    register(
        Provider(
            kind="paper",
            label=_("Paper"),
            plural=_("Papers"),
            build=paper_entries,
            ids=_ids(Paper, "date"),
            watch={
                Paper: lambda paper: [paper.pk],
                Consultation: lambda consultation: [consultation.paper_id],
                File: lambda file: [file.paper_id],
            },
            fields={
                Paper: frozenset(
                    {"reference", "name", "decision_proposal", "reasoning", "state", "is_public"}
                    | {"date", "paper_type", "body", "body_id"}
                ),
                File: frozenset({"text", "paper", "paper_id"}),
            },
            background=frozenset({File}),
            state_labels=dict(PaperType.choices),
            order=10,
        )
    )
    register(
        Provider(
            kind="decision",
            label=_("Decision"),
            plural=_("Decisions"),
            build=decision_entries,
            ids=_ids(Decision, "date"),
            watch={
                Decision: lambda d: [d.pk],
                AgendaItem: _decision_of_item,
                Meeting.organizations.through: _decisions_of_meeting,
            },
            state_labels=dict(DecisionOutcome.choices),
            order=20,
        )
    )
    register(
        Provider(
            kind="meeting",
            label=_("Meeting"),
            plural=_("Meetings"),
            build=meeting_entries,
            ids=_ids(Meeting, "start"),
            watch={
                Meeting: lambda m: [m.pk],
                AgendaItem: lambda item: [item.meeting_id],
                Meeting.organizations.through: _meetings_of,
            },
            state_labels=dict(MeetingState.choices),
            order=30,
        )
    )
    register_grants(grants)
    register_labels("organization", organization_labels)
