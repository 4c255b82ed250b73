"""The live meeting pages: the chair console (Sitzungsleitung), the member page for checking
in and voting, the public display for the projector and the livestream, and the event
stream that tells all of them when to reload their live parts.

Live parts are small fragments that htmx reloads on the event ``live-update``; the script
``voting/live.js`` raises it when the server's event stream (or, without one, a stamp polled
every two seconds) says something changed. Everything is read from the database, so any number
of app processes serve the same meeting.
"""

import threading
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from lotse.core.views import BodyMixin
from lotse.council.models import Meeting
from lotse.voting import selectors, services
from lotse.voting.forms import (
    HandsForm,
    ItemForm,
    PollForm,
    PresenceForm,
    QuorumExceptionForm,
    VoteForm,
)
from lotse.voting.models import (
    Attendance,
    Conflict,
    Poll,
    PollState,
    Presence,
    Voter,
)
from lotse.voting.services import VoteRefused


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class MeetingMixin(BodyMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.meeting = get_object_or_404(Meeting.objects.for_body(self.body), pk=kwargs["pk"])
        self.session = selectors.session_of(self.meeting)

    def live_context(self) -> dict:
        visible, label = selectors.item_for(
            self.request.user, self.body, self.session.current_item if self.session else None
        )
        return {
            "body": self.body,
            "meeting": self.meeting,
            "session": self.session,
            # The stamp as the page is drawn: live.js compares the first it hears with it,
            # so a change between drawing the page and its stream's start is not missed.
            # (Live parts, reloaded on every change, need none.)
            "live_stamp": selectors.stamp(self.session.pk)
            if self.session and not getattr(self, "template_name", "").startswith("voting/_")
            else "",
            "item_label": label,
            "item_visible": visible,
        }


# The chair console


class ConsoleMixin(MeetingMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        target = services.run_target(self.meeting, self.session)
        if not request.user.has_perm("voting.run_meeting", target):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("voting:console", body_slug=self.body.slug, pk=self.meeting.pk)


class ConsoleView(ConsoleMixin, TemplateView):
    """``/<body>/sitzungen/<pk>/sitzungsleitung/``."""

    template_name = "voting/console.html"

    def get_context_data(self, **kwargs):
        context = self.live_context()
        session = self.session
        if session is not None:
            context.update(self.status_context())
            context.update(self.attendance_context())
            context["quorum_form"] = QuorumExceptionForm(
                initial={
                    "case": session.quorum_exception,
                    "reason": session.quorum_exception_reason,
                }
            )
            context["item_form"] = ItemForm(
                session=session, initial={"agenda_item": session.current_item_id}
            )
            context["poll_form"] = kwargs.pop("poll_form", None) or PollForm(session=session)
            context["hands_form"] = HandsForm()
            context["polls"] = [
                (poll, selectors.result(poll) if poll.is_finished else None)
                for poll in session.polls.select_related("agenda_item").order_by("-pk")
            ]
        return super().get_context_data(**context, **kwargs)

    def status_context(self) -> dict:
        return {
            "quorum": selectors.presence_summary(self.session),
            "running": selectors.running_poll(self.session),
        }

    def attendance_context(self) -> dict:
        board = selectors.attendance_board(self.session)
        args = (self.body.slug, self.meeting.pk)
        return {
            "board": board,
            "rows_html": board.html(lambda pk: reverse("voting:deputy", args=(*args, pk))),
            "since": timezone.now().isoformat(),
            "inline_candidates": selectors.INLINE_CANDIDATES,
        }


class DeputyView(ConsoleMixin, TemplateView):
    """``…/sitzungsleitung/vertretung/<person>/``: whom a deputy stands in for, when the
    choice is too long for a select in the console's attendance row."""

    template_name = "voting/deputy.html"

    def row(self):
        if self.session is None:
            raise Http404
        board = selectors.attendance_board(self.session)
        for row in board.rows:
            if row.person_id == self.kwargs["person_pk"] and row.candidates is not None:
                return row
        raise Http404

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.live_context(), row=self.row(), **kwargs)

    def post(self, request, *args, **kwargs):
        row = self.row()
        value = request.POST.get("deputy_for", "")
        allowed = {pk for pk, _name in row.candidates}
        try:
            deputy_for = int(value) if value else None
        except ValueError:
            deputy_for = -1
        try:
            if deputy_for is not None and deputy_for not in allowed:
                raise ValidationError(_("Choose a member this deputy may stand in for."))
            services.set_attendance(
                request.user, self.session, {row.person_id: (row.presence, deputy_for)}
            )
            messages.success(request, _("%(person)s: saved.") % {"person": row.name})
        except ValidationError as error:
            messages.error(request, _errors(error))
        return self.back()


class ConsoleStatusView(ConsoleView):
    """The console's live part: quorum and the running poll's count of votes cast."""

    template_name = "voting/_console_status.html"

    def get_context_data(self, **kwargs):
        if self.session is None:
            raise Http404
        return {**self.live_context(), **self.status_context()}


class ConsoleActionView(ConsoleMixin, View):
    """``POST /<body>/sitzungen/<pk>/sitzungsleitung/<action>/``."""

    ACTIONS = {
        "vorbereiten": "start",
        "eroeffnen": "open",
        "schliessen": "close",
        "anwesenheit": "presence",
        "beschlussfaehigkeit": "quorum",
        "beschlussunfaehigkeit": "no_quorum",
        "ausnahme": "exception",
        "top": "item",
        "abstimmung": "poll",
    }

    def post(self, request, *args, action: str, **kwargs):
        name = self.ACTIONS.get(action)
        if name is None or (self.session is None) != (name == "start"):
            raise Http404
        handler = getattr(self, "do_" + name)
        try:
            response = handler(request)
        except ValidationError as error:
            if request.htmx and name == "presence":
                return self.attendance_part(request, _errors(error), error=True)
            messages.error(request, _errors(error))
            return self.back()
        return response or self.back()

    def do_start(self, request):
        services.start_session(request.user, self.meeting)
        messages.success(request, _("The live meeting is prepared; everyone is listed absent."))

    def do_open(self, request):
        services.open_session(request.user, self.session)
        messages.success(request, _("The meeting is open."))

    def do_close(self, request):
        services.close_session(request.user, self.session)
        messages.success(request, _("The meeting is closed."))

    def do_presence(self, request):
        if "person" not in request.POST:
            return self.save_attendance(request)
        form = PresenceForm(request.POST, session=self.session)
        if not form.is_valid():
            raise ValidationError(_("Choose a member and whether they are present."))
        data = form.cleaned_data
        services.set_presence(
            request.user, self.session, data["person"], data["presence"], data["deputy_for"]
        )
        messages.success(
            request,
            _("%(person)s: %(presence)s.")
            % {"person": data["person"].name, "presence": Presence(data["presence"]).label},
        )

    def save_attendance(self, request):
        """The attendance table's one form: ``p<person>`` (a presence code) for every row,
        ``d<person>`` where a deputy's choice is in the row."""
        changes = {}
        for key, code in request.POST.items():
            if not (key.startswith("p") and key[1:].isdigit()):
                continue
            value = selectors.PRESENCE_CODES.get(code, code)
            try:
                person_id = int(key[1:])
                deputy = request.POST.get(f"d{person_id}")
                deputy_for = services.KEEP if deputy is None else int(deputy) if deputy else None
            except ValueError:
                raise ValidationError(_("Choose a member and whether they are present.")) from None
            changes[person_id] = (value, deputy_for)
        since = parse_datetime(request.POST.get("since", "")) if request.POST.get("since") else None
        saved = services.set_attendance(request.user, self.session, changes, since=since)
        notes = [
            ngettext(
                "Attendance saved: %(count)s change.",
                "Attendance saved: %(count)s changes.",
                len(saved),
            )
            % {"count": len(saved)}
        ]
        if saved.skipped:
            notes.append(
                _("Changed meanwhile by someone else and left as it is: %(names)s.")
                % {"names": ", ".join(saved.skipped)}
            )
        if request.htmx:
            return self.attendance_part(request, " ".join(notes), error=bool(saved.skipped))
        (messages.warning if saved.skipped else messages.success)(request, " ".join(notes))
        return None

    def attendance_part(self, request, note: str, error: bool = False):
        """The answer to htmx: the attendance section, and the status out of band."""
        view = ConsoleView()
        view.setup(request, **self.kwargs)
        context = {
            **view.live_context(),
            **view.status_context(),
            **view.attendance_context(),
            "note": note,
            "note_error": error,
            "oob": True,
        }
        return TemplateResponse(request, "voting/_attendance_saved.html", context)

    def do_no_quorum(self, request):
        state = services.find_no_quorum(request.user, self.session)
        messages.warning(
            request,
            _(
                "Recorded: the meeting is not beschlussfähig (%(present)s of %(statutory)s "
                "members present). No poll can start."
            )
            % {"present": state.present, "statutory": state.statutory},
        )

    def do_exception(self, request):
        form = QuorumExceptionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose the case and give the reason."))
        session = services.record_quorum_exception(
            request.user, self.session, form.cleaned_data["case"], form.cleaned_data["reason"]
        )
        if session.quorum_exception:
            messages.success(
                request,
                _("Recorded: the meeting decides regardless of the number present (%(case)s).")
                % {"case": session.get_quorum_exception_display()},
            )
        else:
            messages.success(request, _("The exception is withdrawn."))

    def do_quorum(self, request):
        state = services.establish_quorum(request.user, self.session)
        messages.success(
            request,
            _("Quorum established: %(present)s of %(statutory)s members present.")
            % {"present": state.present, "statutory": state.statutory},
        )

    def do_item(self, request):
        form = ItemForm(request.POST, session=self.session)
        if not form.is_valid():
            raise ValidationError(_("Choose an item of this meeting."))
        services.set_current_item(request.user, self.session, form.cleaned_data["agenda_item"])

    def do_poll(self, request):
        form = PollForm(request.POST, session=self.session)
        if not form.is_valid():
            view = ConsoleView()
            view.setup(request, **self.kwargs)
            context = view.get_context_data(poll_form=form)
            return TemplateResponse(request, ConsoleView.template_name, context, status=400)
        data = form.cleaned_data
        services.create_poll(
            request.user,
            self.session,
            data["agenda_item"],
            data["kind"],
            data["motion"],
            data["majority"],
        )
        messages.success(request, _("The poll is created. Start it when the members are ready."))


class PollActionView(ConsoleMixin, View):
    """``POST …/sitzungsleitung/abstimmungen/<poll>/<action>/``: start, close (count and
    write the decision), publish, cancel, or enter the counts of a show of hands."""

    def post(self, request, *args, poll_pk: int, action: str, **kwargs):
        if self.session is None:
            raise Http404
        poll = get_object_or_404(Poll.objects.filter(session=self.session), pk=poll_pk)
        try:
            if action == "starten":
                services.open_poll(request.user, poll)
                messages.success(request, _("The poll is running."))
            elif action == "schliessen":
                poll = services.close_poll(request.user, poll)
                messages.success(request, self.outcome(poll))
            elif action == "handzeichen":
                form = HandsForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Enter the numbers of yes, no and abstentions."))
                poll = services.enter_show_of_hands(request.user, poll, **form.cleaned_data)
                messages.success(request, self.outcome(poll))
            elif action == "veroeffentlichen":
                services.publish_poll(request.user, poll)
                messages.success(request, _("The result is shown on the public display."))
            elif action == "abbrechen":
                services.cancel_poll(request.user, poll)
                messages.success(request, _("The poll is cancelled; its votes are discarded."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("voting:console", body_slug=self.body.slug, pk=self.meeting.pk)

    @staticmethod
    def outcome(poll: Poll) -> str:
        text = _("Adopted") if poll.adopted else _("Rejected")
        return _("%(outcome)s: %(yes)s yes, %(no)s no, %(abstain)s.") % {
            "outcome": text,
            "yes": poll.yes,
            "no": poll.no,
            "abstain": ngettext("%(count)s abstention", "%(count)s abstentions", poll.abstain or 0)
            % {"count": poll.abstain or 0},
        }


# The member page


class MemberMixin(MeetingMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.member_checks(request)
        return super().dispatch(request, *args, **kwargs)

    def member_checks(self, request) -> None:
        if self.session is None:
            raise Http404
        self.person = services.person_of(request.user, self.body.pk)
        self.attendance = (
            Attendance.objects.filter(session=self.session, person=self.person).first()
            if self.person
            else None
        )
        if self.attendance is None:
            raise PermissionDenied(_("You are not a member of this organization."))

    def member_context(self) -> dict:
        running = selectors.running_poll(self.session)
        voter = (
            Voter.objects.filter(poll=running, cast_by=self.person).select_related("person").first()
            if running
            else None
        )
        item = self.session.current_item
        poll_visible, poll_item = (
            selectors.item_for(self.request.user, self.body, running.agenda_item)
            if running
            else (False, "")
        )
        return {
            **self.live_context(),
            "poll_item": poll_item,
            "poll_item_visible": poll_visible,
            "person": self.person,
            "attendance": self.attendance,
            "running": running,
            "voter": voter,
            "conflicted": bool(
                item and Conflict.objects.filter(agenda_item=item, person=self.person).exists()
            ),
            "vote_form": VoteForm(),
        }


class MemberView(MemberMixin, TemplateView):
    """``/<body>/sitzungen/<pk>/abstimmen/``: check in, declare a conflict, vote."""

    template_name = "voting/member.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.member_context(), **kwargs)


class MemberPollView(MemberView):
    """The member page's live part: the running poll and the buttons to vote."""

    template_name = "voting/_member_poll.html"


class MemberActionView(MemberMixin, View):
    def post(self, request, *args, action: str, **kwargs):
        try:
            if action == "anwesenheit":
                presence = request.POST.get("presence", Presence.ONLINE)
                services.check_in(request.user, self.session, presence)
                messages.success(
                    request,
                    _("You take part online.")
                    if presence == Presence.ONLINE
                    else _("You have left the meeting."),
                )
            elif action == "befangen":
                if self.session.current_item is None:
                    raise ValidationError(_("No agenda item is being discussed."))
                services.declare_conflict(request.user, self.session, self.session.current_item)
                messages.success(
                    request, _("You are recorded as befangen and do not vote on this item.")
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("voting:member", body_slug=self.body.slug, pk=self.meeting.pk)


class CastView(View):
    """``POST …/abstimmen/<poll>/``: the first post asks to confirm, the second (with
    ``confirmed``) casts. Success answers 303 to the member page, a refusal 409 with the
    reason (403 for who is no member of the organization). Sent by htmx (the confirmation's
    form, with JavaScript), the cast is answered in place: 200 with the small fragment that
    replaces the form (``_cast_done.html``, nothing read for it), or 409 with the reason
    (``_cast_refused.html``) — no redirect and no member page to build after it.

    The hot path of a whole assembly voting at once: before the vote is cast only the poll is
    read, once per process, with its meeting and its body's slug (a forged id answers 404). Whether
    the user may vote is the poll's voter list, checked by ``cast_vote`` in its one write; the
    body and the member page's reads happen only for a page to show (confirmation,
    refusal)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, body_slug: str, pk: int, poll_pk: int, **kwargs):
        poll = selectors.poll_for_cast(body_slug, pk, poll_pk)
        if poll is None:
            raise Http404
        form = VoteForm(request.POST)
        if not form.is_valid():
            return self.page(request, poll, 400, error=_("Choose yes, no or abstention."))
        option = form.cleaned_data["option"]
        if not form.cleaned_data["confirmed"]:
            labels = dict(VoteForm.base_fields["option"].choices)
            return self.page(
                request,
                poll,
                200,
                "voting/confirm.html",
                option=option,
                option_label=labels[option],
            )
        try:
            services.cast_vote(request.user, poll, option)
        except VoteRefused as refused:
            return self.refused(request, refused)
        if request.htmx:
            return self.fragment("voting/_cast_done.html", 200)
        messages.success(request, _("Your vote has been cast and counted."))
        response = redirect("voting:member", body_slug=body_slug, pk=pk)
        response.status_code = 303
        return response

    def refused(self, request, refused: VoteRefused):
        """409 with the reason on a small page (403 for a non-member): a tenth of an
        assembly presses twice, and the member page is the live page they return to. Who is
        on the poll's voter list is a member; the others are checked as the member page
        does."""
        if request.htmx:
            if not refused.has_voter:
                member = MemberView()
                member.setup(request, *self.args, **self.kwargs)
                member.member_checks(request)
            return self.fragment("voting/_cast_refused.html", 409, error=str(refused))
        if refused.has_voter:
            meeting = get_object_or_404(
                Meeting.objects.select_related("body"),
                pk=self.kwargs["pk"],
                body__slug=self.kwargs["body_slug"],
            )
            body = request.lotse_body = meeting.body
        else:
            member = MemberView()
            member.setup(request, *self.args, **self.kwargs)
            member.member_checks(request)
            meeting, body = member.meeting, member.body
        context = {"body": body, "meeting": meeting, "error": str(refused)}
        return TemplateResponse(request, "voting/refused.html", context, status=409)

    def fragment(self, template: str, status: int, **context) -> HttpResponse:
        """An answer to htmx in place of the form: the template alone, no context
        processors, no query."""
        args = (self.kwargs["body_slug"], self.kwargs["pk"])
        urls = {
            "member_url": reverse("voting:member", args=args),
            "poll_url": reverse("voting:member_poll", args=args),
        }
        return HttpResponse(render_to_string(template, {**urls, **context}), status=status)

    def page(self, request, poll, status, template="voting/member.html", **extra):
        """A page of the member view (its checks included: 403 for a non-member)."""
        member = MemberView()
        member.setup(request, *self.args, **self.kwargs)
        member.member_checks(request)
        context = {**member.member_context(), "poll": poll, **extra}
        return TemplateResponse(request, template, context, status=status)


# The public display and the event stream


class DisplayView(MeetingMixin, TemplateView):
    """``/<body>/sitzungen/<pk>/live/``: for the projector and the livestream."""

    template_name = "voting/display.html"

    def get_context_data(self, **kwargs):
        context = self.live_context()
        if self.session is not None:
            running = selectors.running_poll(self.session)
            shown = (
                self.session.polls.filter(state=PollState.PUBLISHED)
                .select_related("agenda_item__meeting")
                .order_by("-published_at", "-pk")
                .first()
            )
            context["running"] = running if running and self.may_see(running) else None
            context["running_masked"] = bool(running and not self.may_see(running))
            context["shown"] = selectors.result(shown) if shown and self.may_see(shown) else None
        return super().get_context_data(**context, **kwargs)

    def may_see(self, poll: Poll) -> bool:
        return selectors.item_for(self.request.user, self.body, poll.agenda_item)[0]


class DisplayPartView(DisplayView):
    template_name = "voting/_display_live.html"


class StampView(View):
    """The stamp the live pages poll when they cannot hold an event stream: the process's
    shared stamp of the meeting (no query while it is fresh, then one; the body and the
    meeting are checked in it). 404 for a meeting without a live session."""

    def get(self, request, *args, body_slug: str, pk: int, **kwargs):
        found = selectors.shared_stamp(body_slug, pk)
        if found is None:
            raise Http404
        response = HttpResponse(found, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


_streams = threading.BoundedSemaphore(getattr(settings, "LOTSE_LIVE_MAX_STREAMS", 6))


class Stream:
    """The event stream's iterator: the server closes it when the response ends (also when
    the browser went away before the first event), and closing gives its slot back."""

    def __init__(self, events):
        self.events = events
        self.open = True

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.events)

    def close(self):
        self.events.close()
        if self.open:
            self.open = False
            _streams.release()


class EventsView(MeetingMixin, View):
    """``/<body>/sitzungen/<pk>/live/ereignisse/``: Server-Sent Events. Sends the stamp
    whenever it changes (read from the database once a second), for at most
    ``LOTSE_LIVE_STREAM_SECONDS``; the browser then reconnects by itself.

    A stream holds a server thread, so each app process keeps at most
    ``LOTSE_LIVE_MAX_STREAMS``; beyond that it answers 204, which closes the browser's
    EventSource, and ``live.js`` polls the stamp every two seconds instead. Votes and pages
    always find a free thread."""

    def get(self, request, *args, **kwargs):
        if self.session is None:
            raise Http404
        if not _streams.acquire(blocking=False):
            return HttpResponse(status=204)
        key = (self.body.slug, self.meeting.pk)
        seconds = getattr(settings, "LOTSE_LIVE_STREAM_SECONDS", 25)

        def read():
            """The stamp, or None when the database cannot answer now (e.g. SQLite busy
            with a write): the stream then ends and the browser reconnects in two seconds,
            instead of the stream failing."""
            try:
                return selectors.shared_stamp(*key) or ""
            except DatabaseError:
                return None

        def stream():
            last = read()
            if last is None:
                yield "retry: 2000\n\n"
                return
            yield f"retry: 2000\nevent: ready\ndata: {last}\n\n"
            deadline = time.monotonic() + seconds
            quiet = 0
            while time.monotonic() < deadline:
                time.sleep(1)
                current = read()
                if current is None:
                    return
                if current != last:
                    last, quiet = current, 0
                    yield f"event: update\ndata: {current}\n\n"
                else:
                    quiet += 1
                    if quiet % 10 == 0:
                        yield ": still here\n\n"

        response = StreamingHttpResponse(Stream(stream()), content_type="text/event-stream")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"
        return response
