"""Writes of OZG assessments: one service or many at once, always checked against ``rules``
and validated, in one transaction each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.ozg.maturity import current_model, get_model
from lotse.ozg.models import Assessment, Service
from lotse.strategy.models import Measure

FIELDS = (
    "relevance",
    "maturity",
    "maturity_model",
    "online_url",
    "solution",
    "digital_end_to_end",
    "unit",
    "planned_on",
)


def check_permission(user, body: Body) -> None:
    if not user.has_perm("ozg.assess_services", body):
        raise PermissionDenied(_("You may not assess the OZG services of this body."))


def validate(assessment: Assessment, measures: Iterable[Measure] | None = None) -> None:
    """Model validation plus what the model cannot know: the level exists in its model, the
    unit and the measures belong to the same body."""
    errors: dict[str, list[str]] = {}
    if assessment.maturity is not None:
        if not assessment.maturity_model:
            assessment.maturity_model = current_model().code
        model = get_model(assessment.maturity_model)
        if assessment.maturity not in dict(model.levels):
            errors.setdefault("maturity", []).append(
                _("The maturity model %(model)s has no level %(level)s.")
                % {"model": model.name, "level": assessment.maturity}
            )
    if assessment.unit is not None and assessment.unit.body_id != assessment.body_id:
        errors.setdefault("unit", []).append(_("Choose a unit of this body."))
    if measures is not None and any(m.body_id != assessment.body_id for m in measures):
        errors.setdefault("measures", []).append(_("Choose measures of this body."))
    try:
        assessment.full_clean(exclude=["body", "service"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def assessment_for(body: Body, service: Service) -> Assessment:
    """The body's assessment of the service, new (unsaved) when there is none yet."""
    return Assessment.objects.filter(body=body, service=service).first() or Assessment(
        body=body, service=service
    )


@transaction.atomic
def save_assessment(
    user,
    body: Body,
    service: Service,
    values: dict[str, Any],
    measures: Iterable[Measure] | None = None,
) -> Assessment:
    """Set the given fields of the body's assessment of ``service``; ``measures`` (when not
    None) replaces the linked measures. The history records every change."""
    check_permission(user, body)
    assessment = assessment_for(body, service)
    apply_values(assessment, values)
    measures = list(measures) if measures is not None else None
    validate(assessment, measures)
    assessment._history_user = user
    assessment.save()
    if measures is not None:
        assessment.measures.set(measures)
    return assessment


def apply_values(assessment: Assessment, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key not in FIELDS:
            raise ValueError(key)
        setattr(assessment, key, value)
    if "maturity" in values and "maturity_model" not in values:
        # A new rating is made in the current model unless the caller names another.
        assessment.maturity_model = current_model().code if values["maturity"] is not None else ""


@transaction.atomic
def bulk_assess(user, body: Body, services: list[Service], values: dict[str, Any]) -> int:
    """Give many services the same values (e.g. "maturity 2, Landesportal"); all or none."""
    check_permission(user, body)
    existing = {a.service_id: a for a in Assessment.objects.filter(body=body, service__in=services)}
    for service in services:
        assessment = existing.get(service.pk) or Assessment(body=body, service=service)
        apply_values(assessment, values)
        try:
            validate(assessment)
        except ValidationError as error:
            raise ValidationError(
                _("%(service)s: %(errors)s")
                % {"service": service.name, "errors": " ".join(error.messages)}
            ) from error
        assessment._history_user = user
        assessment.save()
    return len(services)
