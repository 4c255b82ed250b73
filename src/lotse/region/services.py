"""Writes of the district's shared work. Each checks permission through ``rules``, validates
and changes in one transaction; a town never writes another town's rows."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.assessment import services as assessment_services
from lotse.assessment.models import CostBenefit, DigitalCheck
from lotse.core.impacts import ImpactAssessment
from lotse.core.models import Body
from lotse.core.services import require
from lotse.region.models import (
    Adoption,
    JointMeasure,
    JointShare,
    LibraryEntry,
    RegionalLink,
)
from lotse.strategy import services as strategy_services
from lotse.strategy.models import ActionField, Measure, MeasureAttachment, Milestone
from lotse.strategy.selectors import current_strategy

# --- Regional strategy -------------------------------------------------------------------------


def regional_fields(kreis: Body) -> list[ActionField]:
    """The top-level Handlungsfelder of the Kreis's current strategy."""
    strategy = current_strategy(kreis)
    if strategy is None:
        return []
    return list(ActionField.objects.filter(strategy=strategy, parent__isnull=True))


@transaction.atomic
def set_field_links(user, town: Body, links: dict[int, Iterable[int]]) -> int:
    """Replace the town's links from its action fields to regional fields: ``links`` maps a
    town field id to the ids of the regional fields it contributes to. Returns the number of
    links kept."""
    require(user, "region.edit_links", town)
    own = {f.pk: f for f in ActionField.objects.filter(strategy__body=town, pk__in=list(links))}
    if set(links) - set(own):
        raise ValidationError(_("An action field belongs to another body."))
    allowed = {f.pk: f for f in regional_fields(town.parent)} if town.parent_id else {}
    wanted = {(fid, rid) for fid, rids in links.items() for rid in rids}
    if {rid for _fid, rid in wanted} - set(allowed):
        raise ValidationError(_("The regional field belongs to another Kreis."))
    existing = RegionalLink.objects.for_body(town).filter(
        action_field_id__in=list(links), measure__isnull=True
    )
    for link in existing:
        if (link.action_field_id, link.regional_field_id) not in wanted:
            link.delete()
        else:
            wanted.discard((link.action_field_id, link.regional_field_id))
    for fid, rid in sorted(wanted):
        link = RegionalLink(body=town, action_field=own[fid], regional_field=allowed[rid])
        link.full_clean()
        link.save()
    return RegionalLink.objects.for_body(town).filter(measure__isnull=True).count()


@transaction.atomic
def link_measure(user, measure: Measure, regional_field: ActionField) -> RegionalLink:
    """Say that a town's measure contributes to a regional field (beyond its action field's
    link)."""
    require(user, "region.edit_links", measure.body)
    link = RegionalLink.objects.filter(measure=measure, regional_field=regional_field).first()
    if link is None:
        link = RegionalLink(body=measure.body, measure=measure, regional_field=regional_field)
        link.full_clean()
        link.save()
    return link


# --- Library --------------------------------------------------------------------------------


@transaction.atomic
def publish_to_library(
    user, entry: LibraryEntry, attachment_ids: Iterable[int] = ()
) -> LibraryEntry:
    """Publish (or change) a town's measure in its district's library with the parts it
    chooses to share."""
    measure = entry.measure
    require(user, "region.publish", measure)
    town = measure.body
    entry.body = town
    entry.district_id = town.parent_id
    if entry.regional_field_id and entry.regional_field.strategy.body_id != town.parent_id:
        raise ValidationError({"regional_field": _("The regional field belongs to another Kreis.")})
    if entry.audience == "oeffentlich" and not measure.is_public:
        raise ValidationError(
            {"audience": _("An internal measure can be shared with the district only.")}
        )
    if not entry.pk:
        entry.published_by = user
        entry.published_at = timezone.now()
    entry.withdrawn_at = None
    entry.full_clean()
    entry.save()
    chosen = list(MeasureAttachment.objects.filter(measure=measure, pk__in=list(attachment_ids)))
    entry.attachments.set(chosen)
    if entry.regional_field_id:
        # A measure shared under a regional field contributes to it on the Kreis's pages.
        RegionalLink.objects.get_or_create(
            body=town, measure=measure, regional_field_id=entry.regional_field_id
        )
    return entry


@transaction.atomic
def withdraw_from_library(user, entry: LibraryEntry) -> LibraryEntry:
    """Take an entry out of the library; adoptions made so far stay (they are copies)."""
    require(user, "region.publish", entry)
    entry.withdrawn_at = timezone.now()
    entry.save(update_fields=["withdrawn_at"])
    return entry


def _copy_milestones(source: Measure, target: Measure, today: datetime.date) -> None:
    """The original's milestones as a template: same titles and the same distances from the
    start, counted from today."""
    milestones = list(Milestone.objects.filter(measure=source).order_by("due_on", "pk"))
    if not milestones:
        return
    start = source.actual_start or source.planned_start or milestones[0].due_on
    for milestone in milestones:
        offset = max((milestone.due_on - start).days, 0)
        Milestone.objects.create(
            measure=target, title=milestone.title, due_on=today + datetime.timedelta(days=offset)
        )


def _store_copies(entry: LibraryEntry) -> list[tuple[MeasureAttachment, str]]:
    """Copy the shared attachments' files to new stored names, before any transaction; one
    file at a time, streamed in chunks (each at most ``MAX_ATTACHMENT_BYTES`` when uploaded).
    Returns each attachment with its copy's stored name; on an error the copies made so far
    are removed again."""
    field_ = MeasureAttachment._meta.get_field("file")
    stored: list[tuple[MeasureAttachment, str]] = []
    try:
        for attachment in entry.attachments.order_by("pk"):
            name = field_.generate_filename(None, attachment.original_name or "anlage")
            with attachment.file.open("rb") as handle:
                stored.append((attachment, field_.storage.save(name, File(handle))))
    except Exception:
        _remove_copies(stored)
        raise
    return stored


def _remove_copies(stored: list[tuple[MeasureAttachment, str]]) -> None:
    storage = MeasureAttachment._meta.get_field("file").storage
    for _attachment, name in stored:
        storage.delete(name)


def _attach_copies(user, stored: list[tuple[MeasureAttachment, str]], target: Measure) -> None:
    for attachment, name in stored:
        copy = MeasureAttachment(
            measure=target,
            title=attachment.title,
            original_name=attachment.original_name,
            uploaded_by=user,
        )
        copy.file.name = name
        copy.save()


def _copy_impacts(source: Measure) -> ImpactAssessment | None:
    if source.impacts_id is None:
        return None
    values = model_to_dict(source.impacts, exclude=["id", "climate_alternatives_file"])
    return ImpactAssessment.objects.create(**values)


def adoption_origin(entry: LibraryEntry) -> str:
    return _("Adopted from the library of %(kreis)s: %(town)s, “%(title)s”") % {
        "kreis": entry.district.name,
        "town": entry.body.name,
        "title": entry.measure.title,
    }


def adopt(user, entry: LibraryEntry, town: Body, primary_field: ActionField) -> Adoption:
    """Adopt a library entry into ``town``: a new measure of its own, pre-filled with what
    the publisher shared (never a shared row), linked to the original. The shared files are
    copied to storage before the transaction, so no slow work holds it, and the copies are
    removed again if it fails."""
    require(user, "region.adopt", town)
    if not user.has_perm("region.view_entry", entry) or entry.withdrawn_at is not None:
        raise PermissionDenied
    if town.parent_id != entry.district_id:
        raise ValidationError(_("Only towns of the same Kreis adopt from its library."))
    if town.pk == entry.body_id:
        raise ValidationError(_("A town cannot adopt its own measure."))
    if Adoption.objects.filter(entry=entry, body=town).exists():
        raise ValidationError(_("%(town)s has already adopted this measure.") % {"town": town})
    if primary_field.strategy.body_id != town.pk:
        raise ValidationError({"primary_field": _("The action field belongs to another body.")})
    today = timezone.localdate()
    stored = _store_copies(entry)
    try:
        with transaction.atomic():
            return _adopt_rows(user, entry, town, primary_field, stored, today)
    except BaseException:
        _remove_copies(stored)
        raise


def _adopt_rows(user, entry, town, primary_field, stored, today) -> Adoption:
    """The rows of an adoption, in ``adopt``'s transaction; ``stored`` are the files' copies."""
    source = entry.measure
    measure = Measure(
        body=town,
        title=source.title,
        summary=source.summary,
        description=source.description if entry.share_description else "",
        primary_field=primary_field,
        is_public=source.is_public,
        origin=adoption_origin(entry)[:300],
        partners=_("Contact at %(town)s: %(contact)s")
        % {
            "town": entry.body.name,
            "contact": ", ".join(p for p in (entry.contact_name, entry.contact_email) if p),
        }
        if entry.contact_name or entry.contact_email
        else "",
        lead=user,
    )
    if entry.share_impacts:
        measure.impacts = _copy_impacts(source)
    strategy_services.save_measure(user, measure)
    if entry.share_milestones:
        _copy_milestones(source, measure, today)
    if entry.share_digital_check:
        check = DigitalCheck.objects.filter(measure=source).first()
        if check is not None:
            assessment_services.save_digital_check(
                user,
                DigitalCheck(measure=measure, result=check.result, legal_reason=check.legal_reason),
                {},
            )
    if entry.share_cost_benefit:
        analysis = CostBenefit.objects.filter(measure=source).first()
        if analysis is not None:
            copy = CostBenefit(measure=measure)
            for name in (
                "one_off_cost",
                "annual_cost",
                "staff_days",
                "citizen_benefit",
                "time_saving",
                "hours_saved_per_year",
                "cost_saving",
                "annual_savings",
                "climate",
            ):
                setattr(copy, name, getattr(analysis, name))
            assessment_services.save_cost_benefit(user, copy, {})
    _attach_copies(user, stored, measure)
    if entry.regional_field_id:
        RegionalLink.objects.create(
            body=town, measure=measure, regional_field_id=entry.regional_field_id
        )
    return Adoption.objects.create(entry=entry, body=town, measure=measure, adopted_by=user)


# --- Joint measures -------------------------------------------------------------------------


@transaction.atomic
def start_joint_measure(
    user,
    lead_measure: Measure,
    towns: Iterable[Body],
    *,
    title: str = "",
    description: str = "",
    regional_field: ActionField | None = None,
    paper=None,
    budget_share: Decimal | None = None,
) -> JointMeasure:
    """The lead town's staff start a joint measure from one of their measures and invite
    other towns of the Kreis; each invited town joins with a measure of its own."""
    lead = lead_measure.body
    require(user, "region.manage_joint", lead)
    if lead.parent_id is None:
        raise ValidationError(_("Only a town of a Kreis leads a joint measure."))
    towns = [t for t in towns if t.pk != lead.pk]
    if any(t.parent_id != lead.parent_id for t in towns):
        raise ValidationError(_("Only towns of the Kreis take part in its joint measures."))
    if paper is not None and paper.body_id != lead.parent_id:
        raise ValidationError({"paper": _("The paper belongs to another body.")})
    joint = JointMeasure(
        body=lead,
        district_id=lead.parent_id,
        title=title or lead_measure.title,
        description=description or lead_measure.description,
        regional_field=regional_field,
        paper=paper,
        is_public=lead_measure.is_public,
        created_by=user,
    )
    joint.full_clean()
    joint.save()
    JointShare.objects.create(
        joint=joint, body=lead, measure=lead_measure, budget_share=budget_share
    )
    for town in towns:
        JointShare.objects.create(joint=joint, body=town)
    return joint


@transaction.atomic
def join_joint_measure(
    user,
    share: JointShare,
    *,
    measure: Measure | None = None,
    primary_field: ActionField | None = None,
    budget_share: Decimal | None = None,
) -> JointShare:
    """A town takes up its share: with one of its measures, or a new measure of its own
    (pre-filled from the joint measure) in ``primary_field``; and its budget share."""
    require(user, "region.edit_share", share)
    town = share.body
    if measure is None and share.measure_id is None:
        if primary_field is None or primary_field.strategy.body_id != town.pk:
            raise ValidationError(
                {"primary_field": _("Please choose one of your own action fields.")}
            )
        lead_measure = (
            JointShare.objects.filter(joint=share.joint, body=share.joint.body)
            .values_list("measure__summary", flat=True)
            .first()
        )
        measure = Measure(
            body=town,
            title=share.joint.title,
            summary=lead_measure or "",
            description=share.joint.description,
            primary_field=primary_field,
            is_public=share.joint.is_public,
            origin=(
                _("Joint measure of %(kreis)s, led by %(lead)s")
                % {"kreis": share.joint.district.name, "lead": share.joint.body.name}
            )[:300],
            lead=user,
        )
        strategy_services.save_measure(user, measure)
    if measure is not None:
        if measure.body_id != town.pk:
            raise ValidationError({"measure": _("The measure belongs to another body.")})
        share.measure = measure
    share.budget_share = budget_share if budget_share is not None else share.budget_share
    share.full_clean()
    share.save()
    return share


@transaction.atomic
def set_budget_share(user, share: JointShare, budget_share: Decimal | None) -> JointShare:
    require(user, "region.edit_share", share)
    share.budget_share = budget_share
    share.full_clean()
    share.save(update_fields=["budget_share"])
    return share
