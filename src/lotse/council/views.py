"""Public council pages (Ratsinformationssystem): organizations, meetings with their agenda,
papers with their Beratungsfolge, and decisions with their Beschlusskontrolle. Who sees what
is decided in ``selectors``; non-public items appear with their number only."""

import calendar
import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from lotse.core import paging, versioned
from lotse.core.views import BodyMixin
from lotse.council import search, selectors
from lotse.council.extensions import meeting_links, running_meetings
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    FollowUpState,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    OrganizationType,
    PaperType,
    current_memberships,
)
from lotse.search import index
from lotse.search.engine import person_grants
from lotse.strategy.selectors import visible_measures

PAGE_SIZE = 25
LIST_SECONDS = 60


def organization_choices(body):
    return Organization.objects.for_body(body).order_by("name")


def mark_items(items, me: selectors.Viewer, organization_ids) -> list[AgendaItem]:
    """Set ``visible`` and the masked label on each item of one meeting."""
    for item in items:
        item.visible = me.can_see_item(item, organization_ids)
        item.masked = "" if item.visible else selectors.masked_label(item)
    return items


class OrganizationListView(BodyMixin, TemplateView):
    """``/<body>/gremien/``: the organizations grouped by type, with their member counts."""

    template_name = "council/organization_list.html"

    def get_context_data(self, **kwargs):
        organizations = (
            Organization.objects.for_body(self.body)
            .annotate(
                member_count=Count("memberships", filter=current_memberships("memberships__"))
            )
            .order_by("name")
        )
        groups = []
        by_type = {}
        for organization in organizations:
            by_type.setdefault(organization.organization_type, []).append(organization)
        for value, label in OrganizationType.choices:
            if value in by_type:
                groups.append((label, by_type[value]))
        return super().get_context_data(groups=groups, **kwargs)


class OrganizationDetailView(BodyMixin, TemplateView):
    """``/<body>/gremien/<pk>/``: members with role, Fraktion and voting right, and the
    organization's upcoming and past meetings."""

    template_name = "council/organization_detail.html"
    meeting_count = 10

    def get_context_data(self, **kwargs):
        organization = get_object_or_404(
            Organization.objects.for_body(self.body).select_related("parent"), pk=self.kwargs["pk"]
        )
        memberships = list(
            Membership.objects.filter(organization=organization)
            .filter(current_memberships())
            .select_related("person", "on_behalf_of")
        )
        # Chair first, then deputy chair, members … as the roles are listed.
        order = {value: index for index, value in enumerate(MembershipRole.values)}
        memberships.sort(
            key=lambda m: (order.get(m.role, 99), m.person.family_name, m.person.given_name)
        )
        now = timezone.now()
        meetings = Meeting.objects.filter(organizations=organization).prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name"))
        )
        return super().get_context_data(
            organization=organization,
            memberships=memberships,
            upcoming=list(meetings.filter(start__gte=now).order_by("start")[: self.meeting_count]),
            past=list(meetings.filter(start__lt=now).order_by("-start")[: self.meeting_count]),
            **kwargs,
        )


class MeetingFilterForm(forms.Form):
    gremium = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gremium"].queryset = organization_choices(body)
        self.fields["gremium"].empty_label = _("all")


def parse_month(value: str | None) -> datetime.date:
    """``2026-11`` → 1 November 2026; the current month for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def today_or_running(meetings, now) -> Q:
    """The condition for meetings of today (local time) and those running now: started and
    not yet ended, or with a live session open (a later app's account), whatever their
    date."""
    start = datetime.datetime.combine(
        timezone.localdate(now), datetime.time.min, timezone.get_current_timezone()
    )
    candidates = meetings.filter(start__lte=now).exclude(
        state__in=[MeetingState.HELD, MeetingState.CANCELLED]
    )
    live = running_meetings(
        list(
            candidates.filter(start__gte=now - datetime.timedelta(days=2)).values_list(
                "pk", flat=True
            )
        )
    )
    over = [MeetingState.HELD, MeetingState.CANCELLED]
    return (
        Q(start__gte=start, start__lt=start + datetime.timedelta(days=1))
        | Q(pk__in=live)
        | (Q(start__lte=now, end__gte=now) & ~Q(state__in=over))
    )


def mark_running(meetings: list, now) -> None:
    """``meeting.running``: started and not ended (or a live session open), not held or
    cancelled; shown as "läuft"."""
    live = running_meetings([meeting.pk for meeting in meetings])
    for meeting in meetings:
        ended = meeting.end is not None and meeting.end < now
        meeting.running = meeting.state not in (MeetingState.HELD, MeetingState.CANCELLED) and (
            meeting.pk in live or (meeting.start <= now and not ended)
        )


class MeetingListView(BodyMixin, TemplateView):
    """``/<body>/sitzungen/``: upcoming and past meetings, or ``?ansicht=monat`` a month as a
    table; both filter by organization and link the iCalendar feeds."""

    template_name = "council/meeting_list.html"

    def get_context_data(self, **kwargs):
        form = MeetingFilterForm(self.request.GET or None, body=self.body)
        meetings = Meeting.objects.for_body(self.body)
        organization = None
        if form.is_valid() and form.cleaned_data.get("gremium"):
            organization = form.cleaned_data["gremium"]
            meetings = meetings.filter(organizations=organization)
        meetings = meetings.prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name"))
        )
        context = {"form": form, "organization": organization}
        if self.request.GET.get("ansicht") == "monat":
            context.update(self.month(meetings))
        else:
            now = timezone.now()
            today = today_or_running(meetings, now)
            context["today"] = list(meetings.filter(today).order_by("start", "pk"))
            mark_running(context["today"], now)
            context["upcoming"] = list(
                meetings.filter(start__gte=now).exclude(today).order_by("start")[:PAGE_SIZE]
            )
            context["page"] = Paginator(
                meetings.filter(start__lt=now).exclude(today).order_by("-start", "-pk"),
                PAGE_SIZE,
            ).get_page(self.request.GET.get("seite"))
        return super().get_context_data(**context, **kwargs)

    def month(self, meetings) -> dict:
        first = parse_month(self.request.GET.get("monat"))
        following = add_months(first, 1)
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, zone)
        end = datetime.datetime.combine(following, datetime.time.min, zone)
        by_day: dict[int, list[Meeting]] = {}
        for meeting in meetings.filter(start__gte=start, start__lt=end).order_by("start"):
            by_day.setdefault(timezone.localtime(meeting.start).day, []).append(meeting)
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month):
            weeks.append([(day, by_day.get(day, [])) for day in week])
        weekdays = [
            date_format(datetime.date(2024, 1, 1) + datetime.timedelta(days=i), "l")
            for i in range(7)
        ]
        return {
            "month_view": True,
            "month": first,
            "month_label": date_format(first, "F Y"),
            "weeks": weeks,
            "weekdays": weekdays,
            "previous_month": add_months(first, -1).strftime("%Y-%m"),
            "next_month": following.strftime("%Y-%m"),
            "month_count": sum(len(m) for m in by_day.values()),
        }


class MeetingDetailView(BodyMixin, TemplateView):
    """``/<body>/sitzungen/<pk>/``: a meeting with its agenda, papers and results."""

    template_name = "council/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = get_object_or_404(
            Meeting.objects.for_body(self.body).prefetch_related(
                Prefetch("organizations", queryset=Organization.objects.order_by("name"))
            ),
            pk=self.kwargs["pk"],
        )
        me = selectors.viewer(self.request.user, self.body)
        organization_ids = selectors.meeting_organization_ids_of(meeting)
        items = mark_items(
            list(
                AgendaItem.objects.filter(meeting=meeting)
                .select_related("consultation__paper", "decision")
                # The agenda names each paper; its long texts are on the paper's own page.
                .defer("consultation__paper__decision_proposal", "consultation__paper__reasoning")
                .order_by("order")
            ),
            me,
            organization_ids,
        )
        paper_ids = {
            item.consultation.paper_id for item in items if item.visible and item.consultation
        }
        visible_paper_ids = set(
            selectors.visible_papers(self.request.user, self.body)
            .filter(pk__in=paper_ids)
            # Unordered: ordered by date, SQLite would walk the body's 100,000 papers by
            # their date index instead of looking up these few by key.
            .order_by()
            .values_list("pk", flat=True)
            if paper_ids
            else []
        )
        for item in items:
            paper = item.consultation.paper if item.visible and item.consultation else None
            item.paper = paper if paper and paper.pk in visible_paper_ids else None
            item.shown_decision = getattr(item, "decision", None) if item.visible else None
        return super().get_context_data(
            meeting=meeting,
            items=items,
            shows_video=me.sees_items_of(organization_ids),
            files=list(
                selectors.visible_files(self.request.user, self.body)
                .filter(meeting=meeting)
                .defer("text")  # a file's extracted text is for the search only
                .order_by("role", "name")
            ),
            manages_meetings=self.request.user.has_perm("council.manage_meetings", self.body),
            extra_links=meeting_links(self.request, meeting),
            **kwargs,
        )


class PaperFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    typ = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    gremium = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )
    jahr = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, body, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Reference number, or words of the paper and its files")
        self.fields["typ"].choices = [("", _("all")), *PaperType.choices]
        self.fields["gremium"].queryset = organization_choices(body)
        self.fields["gremium"].empty_label = _("all")
        self.fields["jahr"].choices = [("", _("all"))] + [(str(y), str(y)) for y in years]


class PaperListView(BodyMixin, TemplateView):
    """``/<body>/vorlagen/``: papers the user may see, searchable and filtered, 25 a page.

    Visitors, the council office and staff each see the same list as everyone of their
    kind, so its HTML is cached per kind and query under the body's paper namespace (renewed
    when a paper changes, at the latest after ``LIST_SECONDS``). Members of an organization
    see non-public papers by their organizations' Beratungsfolge: their list is never
    cached, nor is a search (it reads the files' text, which changes without the paper)."""

    template_name = "council/paper_list.html"
    PARAMS = frozenset({"q", "typ", "gremium", "jahr", "seite", "nach", "vor"})

    def get_context_data(self, **kwargs):
        me = selectors.viewer(self.request.user, self.body)
        if me.sees_drafts:
            audience = "drafts"
        elif me.sees_non_public:
            audience = "non-public"
        elif not me.organization_ids:
            audience = "public"
        else:
            audience = None

        def render():
            return render_to_string(
                "council/_paper_list_main.html", self.list_context(), request=self.request
            )

        params = self.request.GET
        # A search reads the files' text too, which changes without the paper: not cached.
        if audience and set(params) <= self.PARAMS and not params.get("q"):
            parts = ("list", get_language(), audience, sorted(params.lists()))
            main = versioned.cached_html(
                selectors.papers_namespace(self.body.pk), parts, render, LIST_SECONDS
            )
        else:
            main = mark_safe(render())
        return super().get_context_data(main=main, **kwargs)

    def list_context(self) -> dict:
        papers = selectors.visible_papers(self.request.user, self.body)
        searching = None
        # The year choices span the first to the last paper: two index seeks, where the
        # distinct years would read every paper.
        dates = papers.order_by().values_list("date", flat=True)
        last, first = dates.order_by("-date").first(), dates.order_by("date").first()
        years = list(range(last.year, first.year - 1, -1)) if last else []
        form = PaperFilterForm(self.request.GET or None, body=self.body, years=years)
        capped = False
        if form.is_valid():
            data = form.cleaned_data
            tags = []
            if data.get("typ"):
                papers = papers.filter(paper_type=data["typ"])
                tags.append(index.tag("s", data["typ"]))
            if data.get("gremium"):
                consulted = Consultation.objects.filter(organization=data["gremium"])
                papers = papers.filter(pk__in=consulted.values("paper_id"))
                tags.append(index.tag("g", data["gremium"].pk))
            if data.get("jahr"):
                papers = papers.filter(date__year=data["jahr"])
                tags.append(index.tag("y", data["jahr"]))
            if data.get("q"):
                grants = person_grants(self.request.user, [self.body])
                found = search.find_papers(
                    papers, data["q"], body=self.body, grants=grants, tags=tags
                )
                papers, capped, searching = found.papers, found.capped, found
        papers = papers.select_related("originator_unit", "originator_organization")
        if searching and searching.ranked is not None:
            # Best matches first, then the newest: paged in the order the search gave.
            searching.papers = papers
            page = search.page_of(searching, self.request.GET.get("seite"), PAGE_SIZE)
        elif searching:
            # A reference number: a handful of papers.
            page = Paginator(papers, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        else:
            page = paging.seek_page(
                papers,
                ("-date", "-pk"),
                self.request.GET,
                namespace=selectors.paper_counts_namespace(self.body.pk),
                per_page=PAGE_SIZE,
            )
        return {
            "body": self.body,
            "form": form,
            "page": page,
            "papers": page.object_list,
            "capped": capped,
        }


class PaperDetailView(BodyMixin, TemplateView):
    """``/<body>/vorlagen/<pk>/``: a paper with its Beratungsfolge, decisions and measures."""

    template_name = "council/paper_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        paper = get_object_or_404(
            selectors.visible_papers(user, self.body).select_related(
                "originator_unit",
                "originator_organization",
                "reporter",
                "supplements",
                "impacts",
                "digital_check",
            ),
            pk=self.kwargs["pk"],
        )
        me = selectors.viewer(user, self.body)
        check_answers = (
            list(paper.digital_check.answers.select_related("question"))
            if paper.digital_check
            else []
        )
        files = list(
            selectors.visible_files(user, self.body).filter(paper=paper).order_by("role", "name")
        )
        consultations = list(
            Consultation.objects.filter(paper=paper)
            .select_related("organization", "meeting")
            .prefetch_related(
                Prefetch(
                    "agenda_items",
                    queryset=AgendaItem.objects.select_related("decision")
                    .prefetch_related("meeting__organizations")
                    .order_by("meeting__start", "order"),
                )
            )
            .order_by("order", "pk")
        )
        for consultation in consultations:
            items = list(consultation.agenda_items.all())
            for item in items:
                item.visible = me.can_see_item(
                    item, selectors.meeting_organization_ids_of(item.meeting)
                )
                item.masked = "" if item.visible else selectors.masked_label(item)
                item.shown_decision = getattr(item, "decision", None) if item.visible else None
            consultation.items = items
        measures = list(
            visible_measures(user, self.body).filter(papers=paper).order_by("title", "pk")
        )
        return super().get_context_data(
            paper=paper,
            consultations=consultations,
            measures=measures,
            check_answers=check_answers,
            files=files,
            **kwargs,
        )


class DecisionFilterForm(forms.Form):
    gremium = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )
    ueberfaellig = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gremium"].queryset = organization_choices(body)
        self.fields["gremium"].empty_label = _("all")


class DecisionListView(BodyMixin, TemplateView):
    """``/<body>/beschluesse/``: decisions, newest first, with their Beschlusskontrolle;
    decisions of items the user may not see appear with the item's number only."""

    template_name = "council/decision_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = DecisionFilterForm(self.request.GET or None, body=self.body)
        decisions = Decision.objects.for_body(self.body)
        overdue_only = False
        if form.is_valid():
            data = form.cleaned_data
            if data.get("gremium"):
                held = Meeting.objects.filter(organizations=data["gremium"])
                decisions = decisions.filter(agenda_item__meeting__in=held.values("pk"))
            if data.get("ueberfaellig"):
                overdue_only = True
                decisions = decisions.filter(
                    follow_up__due_date__lt=timezone.localdate(),
                ).exclude(follow_up__state=FollowUpState.DONE)
        decisions = (
            decisions.select_related(
                "agenda_item__meeting",
                "agenda_item__consultation__paper",
                "follow_up__unit",
                "referred_to",
            )
            .prefetch_related("agenda_item__meeting__organizations")
            .order_by("-date", "-pk")
        )
        page = Paginator(decisions, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        rows = list(page.object_list)
        me = selectors.viewer(user, self.body)
        paper_ids = set()
        for decision in rows:
            item = decision.agenda_item
            decision.visible = me.can_see_item(
                item, selectors.meeting_organization_ids_of(item.meeting)
            )
            decision.masked = "" if decision.visible else selectors.masked_label(item)
            decision.follow = getattr(decision, "follow_up", None) if decision.visible else None
            if decision.visible and item.consultation:
                paper_ids.add(item.consultation.paper_id)
        visible_paper_ids = set(
            selectors.visible_papers(user, self.body)
            .filter(pk__in=paper_ids)
            .values_list("pk", flat=True)
            if paper_ids
            else []
        )
        for decision in rows:
            consultation = decision.agenda_item.consultation
            decision.paper = (
                consultation.paper
                if decision.visible and consultation and consultation.paper_id in visible_paper_ids
                else None
            )
        return super().get_context_data(
            form=form, page=page, decisions=rows, overdue_only=overdue_only, **kwargs
        )
