"""Factories for assessment data; scores and paybacks come from the services, as in use."""

from decimal import Decimal

import factory

from lotse.assessment.models import CostBenefit, PriorityDecision
from tests.strategy.factories import MeasureFactory


class CostBenefitFactory(factory.django.DjangoModelFactory):
    """A stored analysis with a score set by hand; use ``assess()`` for a computed one."""

    class Meta:
        model = CostBenefit

    measure = factory.SubFactory(MeasureFactory, status="in_pruefung")
    body = factory.LazyAttribute(lambda o: o.measure.body)
    one_off_cost = Decimal("10000")
    score = Decimal("50")


class PriorityDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityDecision

    measure = factory.SubFactory(MeasureFactory, status="priorisiert")
    body = factory.LazyAttribute(lambda o: o.measure.body)
    outcome = "priorisiert"
    rank = 1
