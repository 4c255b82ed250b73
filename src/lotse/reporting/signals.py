"""Keep the cockpit fresh: data changes invalidate the cached figures of their body.

A change bumps the body's cache version at once, so the process that made it sees it on its
next request, and again when the transaction commits, so another process that recomputed the
figures meanwhile from the old data does not keep them. Bulk updates send no signals; for them
(and for changes to action fields or goals) the cache's 60 seconds are the limit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from lotse.council.models import Decision, FollowUp, Meeting
from lotse.participation.models import Idea
from lotse.reporting.cockpit import bump_version
from lotse.strategy.models import Measure, MeasureTransition, Milestone, StatusUpdate

BODY_SCOPED = (Measure, Idea, Decision, FollowUp, Meeting)
OF_A_MEASURE = (StatusUpdate, Milestone, MeasureTransition)


def _invalidate(body_id: int | None) -> None:
    if body_id is None:
        return
    bump_version(body_id)
    transaction.on_commit(lambda: bump_version(body_id))


def _body_of_measure(measure_id: int | None) -> int | None:
    if measure_id is None:
        return None
    return Measure.objects.filter(pk=measure_id).values_list("body_id", flat=True).first()


def _changed_in_body(sender, instance, **kwargs) -> None:
    _invalidate(instance.body_id)


def _changed_in_measure(sender, instance, **kwargs) -> None:
    # The measure is usually loaded already (the services pass it); else one small query.
    measure = instance._state.fields_cache.get("measure")
    _invalidate(measure.body_id if measure else _body_of_measure(instance.measure_id))


for _model in BODY_SCOPED:
    post_save.connect(_changed_in_body, sender=_model, dispatch_uid=f"cockpit-{_model.__name__}")
    post_delete.connect(
        _changed_in_body, sender=_model, dispatch_uid=f"cockpit-del-{_model.__name__}"
    )
for _model in OF_A_MEASURE:
    post_save.connect(_changed_in_measure, sender=_model, dispatch_uid=f"cockpit-{_model.__name__}")
    post_delete.connect(
        _changed_in_measure, sender=_model, dispatch_uid=f"cockpit-del-{_model.__name__}"
    )
