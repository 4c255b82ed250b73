"""Beteiligungsverfahren pages: the public list and process page saying what is possible now
and until when, following a process, and the staff pages for processes and settings."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.participation.forms_processes import (
    ParticipationSettingsForm,
    PhaseForm,
    PhaseFormSet,
    ProcessForm,
    last_day,
    phases_from,
)
from lotse.participation.models import (
    PHASE_ACTIONS,
    Action,
    Follow,
    ParticipationSettings,
    Phase,
    PhaseKind,
    Process,
    Workshop,
)
from lotse.participation.selectors import listed_ideas, visible_processes
from lotse.participation.services import processes as services

# What a phase allows, as the half sentence after "Jetzt möglich:".
ACTION_PHRASES = {
    PHASE_ACTIONS[PhaseKind.COLLECT]: gettext_lazy("submit ideas, comment, support, rate"),
    PHASE_ACTIONS[PhaseKind.COMMENT_RATE]: gettext_lazy("comment on ideas, support, rate"),
}


def action_phrase(phase: Phase) -> str:
    actions = PHASE_ACTIONS[phase.kind]
    if actions in ACTION_PHRASES:
        return str(ACTION_PHRASES[actions])
    return ", ".join(str(Action(a).label) for a in phase.actions)


def long_date(moment) -> str:
    return date_format(moment, "j. F Y")


@dataclass
class Now:
    """What a process allows at this moment, in words for its pages."""

    phase: Phase | None
    next_phase: Phase | None
    actions: frozenset[str]
    sentence: str

    @property
    def open(self) -> bool:
        return bool(self.actions)

    @property
    def allows_submit(self) -> bool:
        return Action.SUBMIT in self.actions


def participation_now(process: Process, now: datetime.datetime | None = None) -> Now:
    """Uses the prefetched phases; no query of its own."""
    now = now or timezone.now()
    phases = list(process.phases.all())
    current = process.current_phase(now)
    following = next((p for p in phases if p.start > now), None)
    actions = PHASE_ACTIONS[current.kind] if current else frozenset()
    if actions:
        phrase = action_phrase(current)
        if current.end:
            sentence = _("Possible now: %(actions)s – until %(date)s") % {
                "actions": phrase,
                "date": long_date(last_day(current.end)),
            }
        else:
            sentence = _("Possible now: %(actions)s – with no end date") % {"actions": phrase}
    elif following:
        sentence = _(
            "No participation is possible at the moment; the next phase begins on %(date)s."
        ) % {"date": long_date(timezone.localtime(following.start))}
    else:
        sentence = _("No participation is possible at the moment.")
    return Now(phase=current, next_phase=following, actions=actions, sentence=sentence)


def annotate_phases(process: Process, now: Now) -> list[Phase]:
    """The phases with their days for display and the current one marked."""
    phases = list(process.phases.all())
    for phase in phases:
        phase.first_day = timezone.localtime(phase.start).date()
        phase.last_day = last_day(phase.end) if phase.end else None
        phase.is_current = now.phase is not None and phase.pk == now.phase.pk
        phase.action_phrase = action_phrase(phase) if phase.actions else ""
    return phases


def processes_with_phases(user, body):
    return visible_processes(user, body).prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("start"))
    )


class ProcessListView(BodyMixin, TemplateView):
    """``/<body>/beteiligung/``: the published processes and what each allows now."""

    template_name = "participation/process_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        processes = list(
            processes_with_phases(user, self.body)
            .annotate(idea_count=Count("ideas", filter=Q(ideas__is_hidden=False)))
            .order_by("-created_at", "pk")
        )
        for process in processes:
            process.now = participation_now(process)
        return super().get_context_data(
            processes=processes,
            can_manage=user.has_perm("participation.manage_processes", self.body),
            **kwargs,
        )


class ProcessDetailView(BodyMixin, TemplateView):
    """``/<body>/beteiligung/<slug>/``: description, phases, what is possible now, counts,
    follow, and the process's workshops."""

    template_name = "participation/process_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        process = get_object_or_404(
            processes_with_phases(user, self.body).prefetch_related("action_fields__parent"),
            slug=self.kwargs["slug"],
        )
        now = participation_now(process)
        counts = (
            listed_ideas(user, self.body)
            .filter(process=process)
            .aggregate(
                ideas=Count("pk"), supports=Sum("support_count"), comments=Sum("comment_count")
            )
        )
        following = (
            user.is_authenticated and Follow.objects.filter(user=user, process=process).exists()
        )
        workshops = Workshop.objects.for_body(self.body).filter(process=process)
        if not user.has_perm("participation.manage_workshops", self.body):
            workshops = workshops.filter(is_published=True)
        return super().get_context_data(
            process=process,
            now=now,
            phases=annotate_phases(process, now),
            counts=counts,
            # "Field › Topic" sorts each topic right after its field.
            action_fields=sorted(process.action_fields.all(), key=str),
            following=following,
            workshops=list(workshops.order_by("-starts_at")),
            can_manage=user.has_perm("participation.manage_processes", self.body),
            **kwargs,
        )


class ProcessFollowView(BodyMixin, View):
    """POST ``…/<slug>/folgen/`` with ``folgen=1`` (follow) or ``folgen=0`` (stop)."""

    def post(self, request, body_slug: str, slug: str):
        process = get_object_or_404(visible_processes(request.user, self.body), slug=slug)
        target = redirect("participation:process", body_slug=self.body.slug, slug=slug)
        if not request.user.is_authenticated:
            return redirect_to_login(target.url)
        if request.POST.get("folgen") == "0":
            services.unfollow_process(request.user, process)
            messages.success(request, _("You no longer follow this process."))
        else:
            services.follow_process(request.user, process)
            messages.success(
                request,
                _("You follow this process and hear about new ideas in it."),
            )
        return target


# --- Staff -----------------------------------------------------------------------------------


class ManageMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "participation.manage_processes"


class ProcessManageView(ManageMixin, TemplateView):
    """``/<body>/verwaltung/beteiligung/``: all processes, published or not."""

    template_name = "participation/process_manage.html"

    def get_context_data(self, **kwargs):
        processes = list(
            processes_with_phases(self.request.user, self.body)
            .annotate(idea_count=Count("ideas"))
            .order_by("-created_at", "pk")
        )
        for process in processes:
            process.now = participation_now(process)
        return super().get_context_data(
            processes=processes,
            can_change_settings=services.may_change_settings(self.request.user, self.body),
            **kwargs,
        )


class ProcessEditView(ManageMixin, TemplateView):
    """Create or edit a process with its phases and action fields."""

    template_name = "participation/process_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs:
            self.process = get_object_or_404(Process.objects.for_body(self.body), pk=kwargs["pk"])
        else:
            self.process = Process(body=self.body)

    def forms(self, data=None):
        initial = None
        if self.process.pk and data is None:
            initial = [PhaseForm.initial_for(p) for p in self.process.phases.order_by("start")]
        return (
            ProcessForm(data, instance=self.process, body=self.body, prefix="p"),
            PhaseFormSet(data, initial=initial, prefix="phases"),
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["phase_formset"] = self.forms()
        return super().get_context_data(process=self.process, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            process = form.save(commit=False)
            try:
                services.save_process(
                    request.user,
                    process,
                    phases_from(formset),
                    [field.pk for field in form.cleaned_data["action_fields"]],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("The process has been saved."))
                return redirect("participation:process_manage", body_slug=self.body.slug)
        return self.render_to_response(self.get_context_data(form=form, phase_formset=formset))


class SettingsView(BodyMixin, TemplateView):
    """``/<body>/verwaltung/beteiligung/einstellungen/``: moderation threshold and rate limits,
    for the programme owner and body administrators."""

    template_name = "participation/process_settings.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.may_change_settings(request.user, self.body):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return ParticipationSettingsForm(data, instance=ParticipationSettings.of(self.body))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.save_settings(request.user, form.save(commit=False))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The settings have been saved."))
                return redirect("participation:participation_settings", body_slug=self.body.slug)
        return self.render_to_response(self.get_context_data(form=form))
