"""Factories for strategy data; every factory builds inside one body."""

import factory

from lotse.strategy.models import ActionField, Goal, Measure, OrgUnit, StatusUpdate, Strategy
from tests.factories import BodyFactory


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    body = factory.SubFactory(BodyFactory)
    title = "Digitalisierungsstrategie"
    status = Strategy.Status.ADOPTED
    version = 1


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Oberziel {n}")
    order = factory.Sequence(int)


class ActionFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionField

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    order = factory.Sequence(int)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    body = factory.SubFactory(BodyFactory)
    code = factory.Sequence(lambda n: f"FB {n}")
    name = factory.Sequence(lambda n: f"Fachbereich {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    primary_field = factory.SubFactory(ActionFieldFactory)
    body = factory.LazyAttribute(lambda o: o.primary_field.strategy.body)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    summary = "Kurzbeschreibung"


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    measure = factory.SubFactory(MeasureFactory)
    progress = 50
    traffic_light = "gruen"
