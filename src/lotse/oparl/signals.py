"""Keeping OParl's ``modified`` and tombstones true while the council data changes.

- A change to an embedded object changes its parent's ``modified`` (spec 3-01): agenda items
  and their decisions and files touch the meeting, consultations and files the paper,
  memberships the person and the organization, legislative terms the body.
- What was public and is deleted, or stops being public, leaves a :class:`Tombstone`; what
  becomes public again loses it.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from lotse.core.models import Body
from lotse.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    File,
    LegislativeTerm,
    Meeting,
    Membership,
    Organization,
    Paper,
    PaperState,
    Person,
)
from lotse.oparl.models import Tombstone


def touch(model, pk) -> None:
    if pk:
        model.objects.filter(pk=pk).update(updated_at=timezone.now())


def bury(kind: str, pk: int, body_id: int, created) -> None:
    Tombstone.objects.update_or_create(
        kind=kind,
        object_id=pk,
        defaults={
            "body_id": body_id,
            "created": created or timezone.now(),
            "modified": timezone.now(),
        },
    )


def revive(kind: str, pks) -> None:
    Tombstone.objects.filter(kind=kind, object_id__in=list(pks)).delete()


def paper_public(paper: Paper) -> bool:
    return paper.state == PaperState.RELEASED and paper.is_public


def file_public(file: File) -> bool:
    if file.paper_id:
        paper = Paper.objects.filter(pk=file.paper_id).first()
        return bool(paper and paper_public(paper))
    if file.agenda_item_id:
        return AgendaItem.objects.filter(pk=file.agenda_item_id, is_public=True).exists()
    return bool(file.meeting_id)


# ----------------------------------------------------------- parents' ``modified``


@receiver(post_save, sender=AgendaItem)
@receiver(post_delete, sender=AgendaItem)
def _item_changed(sender, instance, **kwargs):
    touch(Meeting, instance.meeting_id)


@receiver(post_save, sender=Decision)
@receiver(post_delete, sender=Decision)
def _decision_changed(sender, instance, **kwargs):
    touch(AgendaItem, instance.agenda_item_id)
    meeting_id = (
        AgendaItem.objects.filter(pk=instance.agenda_item_id)
        .values_list("meeting_id", flat=True)
        .first()
    )
    touch(Meeting, meeting_id)


@receiver(post_save, sender=Consultation)
@receiver(post_delete, sender=Consultation)
def _consultation_changed(sender, instance, **kwargs):
    touch(Paper, instance.paper_id)


@receiver(post_save, sender=File)
@receiver(post_delete, sender=File)
def _file_changed(sender, instance, **kwargs):
    touch(Paper, instance.paper_id)
    touch(Meeting, instance.meeting_id)
    touch(AgendaItem, instance.agenda_item_id)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    touch(Person, instance.person_id)
    touch(Organization, instance.organization_id)


@receiver(post_save, sender=LegislativeTerm)
@receiver(post_delete, sender=LegislativeTerm)
def _term_changed(sender, instance, **kwargs):
    touch(Body, instance.body_id)


@receiver(m2m_changed, sender=Meeting.organizations.through)
def _meeting_organizations_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Meeting):
        touch(Meeting, instance.pk)


@receiver(m2m_changed, sender=Paper.related_papers.through)
def _related_papers_changed(sender, instance, action, pk_set=None, **kwargs):
    if action.startswith("post_") and isinstance(instance, Paper):
        Paper.objects.filter(pk__in={instance.pk, *(pk_set or ())}).update(
            updated_at=timezone.now()
        )


# ---------------------------------------------------------------------- tombstones

SIMPLE = {
    LegislativeTerm: "legislativeterm",
    Organization: "organization",
    Person: "person",
    Meeting: "meeting",
}


@receiver(post_delete, sender=LegislativeTerm)
@receiver(post_delete, sender=Organization)
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Meeting)
def _bury_simple(sender, instance, **kwargs):
    bury(SIMPLE[sender], instance.pk, instance.body_id, instance.created_at)
    if sender is Meeting and instance.location:
        bury("location", instance.pk, instance.body_id, instance.created_at)


@receiver(pre_save, sender=Meeting)
def _meeting_location(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    before = Meeting.objects.filter(pk=instance.pk).values_list("location", flat=True).first()
    if before and not instance.location:
        bury("location", instance.pk, instance.body_id, instance.created_at)
    elif instance.location:
        revive("location", [instance.pk])


@receiver(pre_delete, sender=Membership)
def _bury_membership(sender, instance, **kwargs):
    body_id = (
        Organization.objects.filter(pk=instance.organization_id)
        .values_list("body_id", flat=True)
        .first()
    )
    if body_id:
        bury("membership", instance.pk, body_id, instance.created_at)


@receiver(pre_delete, sender=AgendaItem)
def _bury_item(sender, instance, **kwargs):
    body_id = (
        Meeting.objects.filter(pk=instance.meeting_id).values_list("body_id", flat=True).first()
    )
    if body_id:
        bury("agendaitem", instance.pk, body_id, instance.created_at)


@receiver(pre_delete, sender=Paper)
def _bury_paper(sender, instance, **kwargs):
    if paper_public(instance):
        bury("paper", instance.pk, instance.body_id, instance.created_at)


@receiver(pre_delete, sender=Consultation)
def _bury_consultation(sender, instance, **kwargs):
    paper = Paper.objects.filter(pk=instance.paper_id).first()
    if paper and paper_public(paper):
        bury("consultation", instance.pk, paper.body_id, instance.created_at)


@receiver(pre_delete, sender=File)
def _bury_file(sender, instance, **kwargs):
    if file_public(instance):
        bury("file", instance.pk, instance.body_id, instance.created_at)


@receiver(pre_save, sender=Paper)
def _paper_was_public(sender, instance, raw=False, **kwargs):
    instance._oparl_was_public = bool(
        instance.pk
        and not raw
        and Paper.objects.filter(pk=instance.pk, state=PaperState.RELEASED, is_public=True).exists()
    )


@receiver(post_save, sender=Paper)
def _paper_visibility(sender, instance, created=False, raw=False, **kwargs):
    """A paper that was released and is no longer public (withdrawn from the public) turns
    into tombstones with its consultations and files; a public one loses them."""
    if raw:
        return
    consultations = list(
        Consultation.objects.filter(paper=instance).values_list("pk", "created_at")
    )
    files = list(File.objects.filter(paper=instance).values_list("pk", "created_at"))
    if paper_public(instance):
        revive("paper", [instance.pk])
        revive("consultation", [pk for pk, _ in consultations])
        revive("file", [pk for pk, _ in files])
    elif getattr(instance, "_oparl_was_public", False):
        bury("paper", instance.pk, instance.body_id, instance.created_at)
        for pk, stamp in consultations:
            bury("consultation", pk, instance.body_id, stamp)
        for pk, stamp in files:
            bury("file", pk, instance.body_id, stamp)


@receiver(post_save, sender=AgendaItem)
def _item_visibility(sender, instance, raw=False, **kwargs):
    """An item's files follow it: non-public item, files gone from the public view."""
    if raw:
        return
    files = list(
        File.objects.filter(agenda_item=instance).values_list("pk", "created_at", "body_id")
    )
    if instance.is_public:
        revive("file", [pk for pk, _, _ in files])
    else:
        for pk, stamp, body_id in files:
            bury("file", pk, body_id, stamp)
