"""Writes of the council office's paper workspace that ``services`` does not cover: related
papers, impact blocks and the E-Government-Check of a paper, and the planned steps of its
Beratungsfolge (reorder, remove). Each checks permission and changes in one transaction."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.assessment.models import DigitalCheck
from lotse.assessment.services import store_check
from lotse.core.impacts import ImpactAssessment
from lotse.core.services import require
from lotse.council import services
from lotse.council.models import Consultation, Paper


def _locked_draft(user, paper: Paper) -> Paper:
    """The paper, locked, once the user may edit papers and it is not released."""
    require(user, "council.edit_papers", paper.body)
    stored = Paper.objects.select_for_update().get(pk=paper.pk)
    services._refuse_if_released(stored)
    return stored


@transaction.atomic
def save_paper_with_links(
    user, paper: Paper, measure_ids: Iterable[int], related_ids: Iterable[int]
) -> Paper:
    """Create or update a draft with its linked measures and related papers (both replace
    what was there). Related papers are symmetrical, so the other paper links back."""
    paper = services.save_paper(user, paper, measure_ids)
    wanted = set(related_ids) - {paper.pk}
    related = list(Paper.objects.for_body(paper.body).filter(pk__in=wanted))
    if len(related) != len(wanted):
        raise ValidationError({"related_references": _("Choose only papers of this body.")})
    paper.related_papers.set(related)
    return paper


@transaction.atomic
def save_paper_impacts(user, paper: Paper, impacts: ImpactAssessment) -> ImpactAssessment:
    """Store the impact blocks (financial, climate, inclusion, personnel) of a draft."""
    stored = _locked_draft(user, paper)
    if impacts.pk and impacts.pk != stored.impacts_id:
        raise PermissionDenied
    impacts.full_clean()
    impacts.save()
    if stored.impacts_id != impacts.pk:
        stored.impacts = impacts
        stored._change_reason = _("Impacts added")
        stored.save(update_fields=["impacts"])
        paper.impacts = impacts
    return impacts


@transaction.atomic
def save_paper_check(
    user, paper: Paper, check: DigitalCheck, answers: Mapping[int, tuple[str, str]]
) -> DigitalCheck:
    """Store the E-Government-Check of a draft with its answers (question id → (answer,
    note)); a result short of "digital" without its legal reason stores nothing."""
    stored = _locked_draft(user, paper)
    if check.pk and check.pk != stored.digital_check_id:
        raise PermissionDenied
    check.body_id = stored.body_id
    check.measure = None
    check = store_check(user, check, answers)
    if stored.digital_check_id != check.pk:
        stored.digital_check = check
        stored._change_reason = _("E-Government-Check added")
        stored.save(update_fields=["digital_check"])
        paper.digital_check = check
    return check


def _planned(consultation: Consultation) -> None:
    if consultation.meeting_id or consultation.agenda_items.exists():
        raise ValidationError(
            _("This consultation is already on a meeting's agenda and stays as it is."),
            code="on_agenda",
        )


@transaction.atomic
def move_consultation(user, consultation: Consultation, step: int) -> list[Consultation]:
    """Move a planned consultation one place up (``step`` -1) or down (+1) in the
    Beratungsfolge; it only changes places with another planned one. Returns the new order."""
    paper = consultation.paper
    require(user, "council.edit_papers", paper.body)
    Paper.objects.select_for_update().get(pk=paper.pk)
    steps = list(Consultation.objects.filter(paper=paper).order_by("order", "pk"))
    index = next((i for i, c in enumerate(steps) if c.pk == consultation.pk), None)
    if index is None or step not in (-1, 1):
        raise ValidationError(_("This consultation cannot be moved."), code="invalid")
    other = index + step
    if not 0 <= other < len(steps):
        raise ValidationError(_("This consultation cannot be moved further."), code="edge")
    _planned(steps[index])
    _planned(steps[other])
    steps[index], steps[other] = steps[other], steps[index]
    for position, row in enumerate(steps, start=1):
        if row.order != position:
            row.order = position
            row.save(update_fields=["order"])
    return steps


@transaction.atomic
def remove_consultation(user, consultation: Consultation) -> None:
    """Remove a planned step from the Beratungsfolge; one on an agenda stays."""
    require(user, "council.edit_papers", consultation.paper.body)
    Paper.objects.select_for_update().get(pk=consultation.paper_id)
    consultation = Consultation.objects.get(pk=consultation.pk)
    _planned(consultation)
    consultation.delete()
