"""Writes of Beteiligungsverfahren: the process with its phases and action fields, following
a process, and a body's participation settings."""

from collections.abc import Iterable, Sequence
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from lotse.accounts.rules import is_program_owner
from lotse.core.services import require
from lotse.participation.models import Follow, ParticipationSettings, Phase, Process
from lotse.participation.selectors import visible_processes
from lotse.strategy.models import ActionField


def check_phases(phases: Sequence[Phase]) -> list[Phase]:
    """The phases in time order, or a ValidationError saying which ones clash. Any subset of
    phase kinds in any order is allowed; they may touch but not overlap, and only the last one
    may run without an end (a permanent idea platform)."""
    if not phases:
        raise ValidationError(_("Give the process at least one phase."), code="no_phase")
    for phase in phases:
        phase.full_clean(exclude=["process"])
    ordered = sorted(phases, key=lambda phase: phase.start)
    for earlier, later in pairwise(ordered):
        if earlier.end is None:
            raise ValidationError(
                _(
                    "Only the last phase may run without an end; “%(phase)s” is followed by "
                    "“%(next)s”."
                )
                % {"phase": earlier.get_kind_display(), "next": later.get_kind_display()},
                code="open_phase",
            )
        if earlier.end > later.start:
            raise ValidationError(
                _(
                    "The phases “%(phase)s” and “%(next)s” overlap: the second one starts on "
                    "%(start)s, before the first one ends."
                )
                % {
                    "phase": earlier.get_kind_display(),
                    "next": later.get_kind_display(),
                    "start": date_format(localtime(later.start), "j. F Y"),
                },
                code="overlap",
            )
    return ordered


@transaction.atomic
def save_process(
    user, process: Process, phases: Sequence[Phase], action_field_ids: Iterable[int]
) -> Process:
    """Create or update a process. Its phases are replaced by ``phases`` (unsaved Phase rows);
    the action fields in scope must belong to a strategy of the process's body."""
    require(user, "participation.manage_processes", process.body)
    process.full_clean()
    ordered = check_phases(list(phases))
    wanted = set(action_field_ids)
    fields = list(ActionField.objects.filter(pk__in=wanted, strategy__body=process.body))
    if len(fields) != len(wanted):
        raise ValidationError(
            {"action_fields": _("Choose only action fields of this body's strategy.")}
        )
    process.save()
    process.phases.all().delete()
    for phase in ordered:
        phase.pk = None
        phase.process = process
    Phase.objects.bulk_create(ordered)
    process.action_fields.set(fields)
    return process


def follow_process(user, process: Process) -> Follow:
    """Anyone signed in may follow a process they can see (no verified e-mail needed: following
    posts nothing). Idempotent."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not visible_processes(user, process.body).filter(pk=process.pk).exists():
        raise PermissionDenied
    follow, _created = Follow.objects.get_or_create(user=user, process=process)
    return follow


def unfollow_process(user, process: Process) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    Follow.objects.filter(user=user, process=process).delete()


def may_change_settings(user, body) -> bool:
    """Moderation threshold and rate limits shape the whole platform of a body: its programme
    owner (CDO) and body administrators decide them (``is_program_owner`` includes both and
    site admins); ordinary staff and moderators do not."""
    return bool(is_program_owner(user, body))


@transaction.atomic
def save_settings(user, settings: ParticipationSettings) -> ParticipationSettings:
    if not may_change_settings(user, settings.body):
        raise PermissionDenied
    settings.full_clean()
    settings.save()
    return settings
