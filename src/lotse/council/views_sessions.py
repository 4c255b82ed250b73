"""The council office's meeting work (Sitzungsdienst): meetings and their agendas, decisions
with what followed from them, the Beschlusskontrolle, and the public Beschlusskontrolle
report (HTML and CSV). Writes go through ``services`` and ``services_sessions``."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.spreadsheets import defuse
from lotse.core.views import BodyMixin
from lotse.council import selectors, services, services_sessions
from lotse.council.forms_sessions import (
    DecisionForm,
    FollowUpFilterForm,
    FollowUpNoteForm,
    FollowUpStateForm,
    MeetingForm,
    PaperItemForm,
    PlainItemForm,
    ReportFilterForm,
)
from lotse.council.models import (
    AgendaItem,
    Decision,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    Organization,
)

PAGE_SIZE = 25
REPORT_PAGE_SIZE = 50


def ordered_organizations() -> Prefetch:
    return Prefetch("organizations", queryset=Organization.objects.order_by("name"))


class SessionsMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "council.manage_meetings"

    def get_meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.for_body(self.body).prefetch_related(ordered_organizations()),
            pk=self.kwargs["pk"],
        )

    def back_to_meeting(self, meeting: Meeting):
        return redirect("council:office_meeting", body_slug=self.body.slug, pk=meeting.pk)


def left_to_do(meeting: Meeting, now) -> list[str]:
    """What the council office still has to do for a meeting (from annotated counts)."""
    todo = []
    if meeting.state == MeetingState.CANCELLED:
        return todo
    if meeting.start >= now:
        if not meeting.item_count:
            todo.append(_("The agenda is empty."))
        if meeting.state == MeetingState.PLANNED:
            todo.append(_("Send the invitation."))
    elif meeting.state != MeetingState.HELD:
        todo.append(_("Record that the meeting was held, or cancel it."))
    elif meeting.undecided_count:
        todo.append(
            _("%(count)s items with a paper have no decision yet.")
            % {"count": meeting.undecided_count}
        )
    return todo


class MeetingListView(SessionsMixin, TemplateView):
    """``/<body>/verwaltung/sitzungen/``: upcoming and past meetings with what is left to do."""

    template_name = "council/sessions/meeting_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        meetings = (
            Meeting.objects.for_body(self.body)
            .annotate(
                item_count=Count("agenda_items", distinct=True),
                undecided_count=Count(
                    "agenda_items",
                    filter=Q(
                        agenda_items__consultation__isnull=False,
                        agenda_items__decision__isnull=True,
                    ),
                    distinct=True,
                ),
            )
            .prefetch_related(ordered_organizations())
        )
        upcoming = list(meetings.filter(start__gte=now).order_by("start", "pk")[:PAGE_SIZE])
        page = Paginator(
            meetings.filter(start__lt=now).order_by("-start", "-pk"), PAGE_SIZE
        ).get_page(self.request.GET.get("seite"))
        past = list(page.object_list)
        for meeting in (*upcoming, *past):
            meeting.todo = left_to_do(meeting, now)
        return super().get_context_data(upcoming=upcoming, past=past, page=page, **kwargs)


class MeetingEditView(SessionsMixin, FormView):
    """``…/sitzungen/neu/`` and ``…/sitzungen/<pk>/bearbeiten/``."""

    template_name = "council/sessions/meeting_form.html"
    form_class = MeetingForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.instance = self.get_meeting() if "pk" in kwargs else Meeting(body=self.body)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance, "body": self.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.instance, **kwargs)

    def form_valid(self, form):
        meeting = form.save(commit=False)
        organization_ids = [o.pk for o in form.cleaned_data["organizations"]]
        try:
            services_sessions.save_meeting(self.request.user, meeting, organization_ids)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting has been saved."))
        return self.back_to_meeting(meeting)


class MeetingView(SessionsMixin, TemplateView):
    """``…/sitzungen/<pk>/``: build the agenda: put released papers on it, add plain items,
    move, remove, make public or not; the state buttons and the decisions per item."""

    template_name = "council/sessions/meeting.html"
    actions = ("paper", "item", "up", "down", "remove", "public", "non_public")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.paper_form = self.item_form = None

    def get_context_data(self, **kwargs):
        meeting = kwargs.pop("meeting", None) or self.get_meeting()
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .select_related("consultation__paper", "consultation__organization", "decision")
            .order_by("order")
        )
        return super().get_context_data(
            meeting=meeting,
            items=items,
            paper_form=self.paper_form or PaperItemForm(meeting=meeting),
            item_form=self.item_form or PlainItemForm(),
            states=[
                (state, MeetingState(state).label)
                for state in MeetingState.values
                if state in services_sessions.STATE_CHANGES[meeting.state]
            ],
            editable=meeting.state != MeetingState.CANCELLED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action not in self.actions:
            return self.back_to_meeting(meeting)
        user = request.user
        try:
            if action == "paper":
                self.paper_form = PaperItemForm(request.POST, meeting=meeting)
                if not self.paper_form.is_valid():
                    return self.render_to_response(self.get_context_data(meeting=meeting))
                item = services_sessions.put_paper_on_agenda(
                    user,
                    self.paper_form.cleaned_data["paper"],
                    meeting,
                    self.paper_form.is_public(),
                )
            elif action == "item":
                self.item_form = PlainItemForm(request.POST)
                if not self.item_form.is_valid():
                    return self.render_to_response(self.get_context_data(meeting=meeting))
                item = services_sessions.add_agenda_item(
                    user,
                    meeting,
                    self.item_form.cleaned_data["name"],
                    self.item_form.cleaned_data["is_public"],
                )
            else:
                item = get_object_or_404(
                    AgendaItem.objects.filter(meeting=meeting), pk=request.POST.get("item") or 0
                )
                if action in ("up", "down"):
                    services_sessions.move_agenda_item(user, item, up=action == "up")
                elif action == "remove":
                    services_sessions.remove_agenda_item(user, item)
                else:
                    services_sessions.set_agenda_item_public(user, item, action == "public")
        except ValidationError as error:
            form = self.paper_form or self.item_form
            if form is not None:
                form.add_error(None, error)
                return self.render_to_response(self.get_context_data(meeting=meeting))
            for message in error.messages:
                messages.error(request, message)
            return self.back_to_meeting(meeting)
        if action == "remove":
            messages.success(request, _("The item has been removed from the agenda."))
        elif action in ("paper", "item"):
            messages.success(
                request, _("%(number)s has been added to the agenda.") % {"number": item.number}
            )
        else:
            messages.success(request, _("The agenda has been changed."))
        return self.back_to_meeting(meeting)


class MeetingStateView(SessionsMixin, View):
    """``…/sitzungen/<pk>/status/`` (POST): invite, held, cancel."""

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        try:
            meeting = services_sessions.set_meeting_state(
                request.user, meeting, request.POST.get("state", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The meeting’s state is now “%(state)s”.")
                % {"state": meeting.get_state_display()},
            )
        return self.back_to_meeting(meeting)


class DecisionView(SessionsMixin, FormView):
    """``…/sitzungen/<pk>/top/<item_pk>/beschluss/``: record the decision on an item, then
    show what followed: measures moved or left, the follow-up created."""

    template_name = "council/sessions/decision.html"
    form_class = DecisionForm
    permission_required = "council.record_decisions"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.recorded = None

    def get_item(self) -> AgendaItem:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(
                AgendaItem.objects.filter(
                    meeting__body=self.body, meeting_id=self.kwargs["pk"]
                ).select_related(
                    "meeting",
                    "consultation__paper",
                    "consultation__organization",
                    "decision__referred_to",
                    "decision__follow_up__unit",
                ),
                pk=self.kwargs["item_pk"],
            )
        return self._item

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.body}

    def get_initial(self):
        item = self.get_item()
        paper = item.consultation.paper if item.consultation else None
        return {
            "date": timezone.localdate(item.meeting.start),
            "resolution_text": paper.decision_proposal if paper else "",
        }

    def get_context_data(self, **kwargs):
        item = self.get_item()
        decision = getattr(item, "decision", None)
        return super().get_context_data(
            meeting=item.meeting,
            item=item,
            decision=decision,
            follow_up=getattr(decision, "follow_up", None) if decision else None,
            recorded=self.recorded,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if hasattr(self.get_item(), "decision"):
            messages.error(request, _("A decision on this item is already recorded."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.recorded = services.record_decision(
                self.request.user,
                self.get_item(),
                data["outcome"],
                resolution_text=data["resolution_text"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                abstentions=data["abstentions"],
                unanimous=data["unanimous"],
                referred_to=data["referred_to"],
                date=data["date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Decision %(number)s has been recorded.") % {"number": self.recorded.decision.number},
        )
        del self._item
        return self.render_to_response(self.get_context_data(form=None))


class FollowUpMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "council.manage_follow_ups"


class FollowUpListView(FollowUpMixin, TemplateView):
    """``/<body>/verwaltung/beschlusskontrolle/``: open or overdue follow-ups, filtered by
    responsible unit and organization."""

    template_name = "council/sessions/follow_up_list.html"

    def get_context_data(self, **kwargs):
        form = FollowUpFilterForm(self.request.GET or None, body=self.body)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "show": data.get("anzeigen") or "open",
                "unit": data.get("einheit"),
                "organization": data.get("gremium"),
            }
        rows = services_sessions.follow_ups(self.body, **filters)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("seite"))
        return super().get_context_data(
            form=form, page=page, follow_ups=list(page.object_list), **kwargs
        )


class FollowUpView(FollowUpMixin, TemplateView):
    """``…/beschlusskontrolle/<pk>/``: a follow-up with its notes; add a note, change the
    state."""

    template_name = "council/sessions/follow_up.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.note_form = self.state_form = None

    def get_follow_up(self) -> FollowUp:
        return get_object_or_404(
            FollowUp.objects.for_body(self.body).select_related(
                "unit",
                "decision__referred_to",
                "decision__agenda_item__meeting",
                "decision__agenda_item__consultation__paper",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        follow_up = kwargs.pop("follow_up", None) or self.get_follow_up()
        return super().get_context_data(
            follow_up=follow_up,
            decision=follow_up.decision,
            notes=list(follow_up.notes.select_related("author").order_by("-created_at", "-pk")),
            note_form=self.note_form or FollowUpNoteForm(),
            state_form=self.state_form or FollowUpStateForm(initial={"state": follow_up.state}),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        follow_up = self.get_follow_up()
        if request.POST.get("action") == "state":
            self.state_form = form = FollowUpStateForm(request.POST)
        else:
            self.note_form = form = FollowUpNoteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(follow_up=follow_up))
        try:
            if form is self.state_form:
                services.set_follow_up_state(request.user, follow_up, form.cleaned_data["state"])
                messages.success(request, _("The state has been changed."))
            else:
                services.add_follow_up_note(request.user, follow_up, form.cleaned_data["text"])
                messages.success(request, _("The progress note has been saved."))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(follow_up=follow_up))
        return redirect("council:office_follow_up", body_slug=self.body.slug, pk=follow_up.pk)


def attach_papers(user, body, follow_ups: list[FollowUp]) -> list[FollowUp]:
    """Set ``paper`` on each follow-up only where the user may see the paper."""
    paper_ids = {
        f.decision.agenda_item.consultation.paper_id
        for f in follow_ups
        if f.decision.agenda_item.consultation_id
    }
    visible = set(
        selectors.visible_papers(user, body).filter(pk__in=paper_ids).values_list("pk", flat=True)
        if paper_ids
        else []
    )
    for follow_up in follow_ups:
        consultation = follow_up.decision.agenda_item.consultation
        follow_up.paper = (
            consultation.paper if consultation and consultation.paper_id in visible else None
        )
    return follow_ups


class ReportMixin(BodyMixin):
    def filtered(self):
        form = ReportFilterForm(self.request.GET or None, body=self.body)
        organization = form.cleaned_data.get("gremium") if form.is_valid() else None
        return form, organization


class FollowUpReportView(ReportMixin, TemplateView):
    """``/<body>/beschluesse/kontrolle/``: the Beschlusskontrolle of the decisions the user
    may see, per organization with ``?gremium=``."""

    template_name = "council/sessions/report.html"

    def get_context_data(self, **kwargs):
        form, organization = self.filtered()
        rows = services_sessions.report_follow_ups(self.request.user, self.body, organization)
        today = timezone.localdate()
        overdue = Q(due_date__lt=today) & ~Q(state=FollowUpState.DONE)
        totals = rows.order_by().aggregate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state=FollowUpState.OPEN)),
            in_progress=Count("pk", filter=Q(state=FollowUpState.IN_PROGRESS)),
            done=Count("pk", filter=Q(state=FollowUpState.DONE)),
            overdue=Count("pk", filter=overdue),
        )
        paginator = Paginator(rows, REPORT_PAGE_SIZE)
        paginator.count = totals["total"]  # known already; saves the count query
        page = paginator.get_page(self.request.GET.get("seite"))
        follow_ups = attach_papers(self.request.user, self.body, list(page.object_list))
        return super().get_context_data(
            form=form,
            organization=organization,
            totals=totals,
            page=page,
            follow_ups=follow_ups,
            **kwargs,
        )


class _Echo:
    def write(self, value):
        return value


class FollowUpReportCsvView(ReportMixin, View):
    """``/<body>/beschluesse/kontrolle.csv``: the same report as CSV, streamed."""

    def get(self, request, *args, **kwargs):
        organization = self.filtered()[1]
        rows = services_sessions.report_follow_ups(request.user, self.body, organization)
        response = StreamingHttpResponse(
            self.lines(request.user, rows), content_type="text/csv; charset=utf-8"
        )
        filename = f"beschlusskontrolle-{self.body.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def lines(self, user, rows):
        writer = csv.writer(_Echo())
        today = timezone.localdate()
        yield "\ufeff"  # so that spreadsheet programs read UTF-8
        yield writer.writerow(
            [
                _("Decision no."),
                _("Date"),
                _("Meeting"),
                _("Agenda item"),
                _("Title"),
                _("Paper"),
                _("Outcome"),
                _("Responsible unit"),
                _("Due"),
                _("State"),
                _("Overdue"),
                _("Done on"),
            ]
        )
        batch = []
        for follow_up in rows.iterator(chunk_size=500):
            batch.append(follow_up)
            if len(batch) == 500:
                yield from self.write_batch(writer, user, batch, today)
                batch = []
        yield from self.write_batch(writer, user, batch, today)

    def write_batch(self, writer, user, batch, today):
        for follow_up in attach_papers(user, self.body, batch):
            decision: Decision = follow_up.decision
            item = decision.agenda_item
            outcome = decision.get_outcome_display()
            if decision.referred_to_id:
                outcome = f"{outcome} {decision.referred_to.name}"
            row = [
                decision.number,
                decision.date.isoformat(),
                item.meeting.name,
                item.number,
                item.name,
                follow_up.paper.reference if follow_up.paper else "",
                outcome,
                str(follow_up.unit) if follow_up.unit_id else "",
                follow_up.due_date.isoformat() if follow_up.due_date else "",
                follow_up.get_state_display(),
                _("yes") if follow_up.is_overdue(today) else _("no"),
                follow_up.done_on.isoformat() if follow_up.done_on else "",
            ]
            yield writer.writerow([defuse(str(cell)) for cell in row])
