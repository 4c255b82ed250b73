"""Factories for participation data."""

from datetime import timedelta

import factory
from django.utils import timezone

from lotse.participation.models import (
    Comment,
    Idea,
    Phase,
    PhaseKind,
    Process,
    Workshop,
    WorkshopTopic,
)
from tests.factories import BodyFactory, UserFactory


class ProcessFactory(factory.django.DjangoModelFactory):
    """A published process in its idea-collecting phase, open without end."""

    class Meta:
        model = Process
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Beteiligung {n}")
    slug = factory.Sequence(lambda n: f"beteiligung-{n}")
    description = "Sagen Sie uns, was digital besser werden soll."
    rating_question = "Wie wichtig ist das für unsere Stadt?"

    @factory.post_generation
    def phase(self, create, extracted, **kwargs):
        if create and extracted is not False:
            PhaseFactory(process=self, kind=extracted or PhaseKind.COLLECT)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory, phase=False)
    kind = PhaseKind.COLLECT
    start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    end = None


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    process = factory.SubFactory(ProcessFactory)
    body = factory.SelfAttribute("process.body")
    title = factory.Sequence(lambda n: f"Idee Nummer {n}")
    text = "Ein ausführlicher Vorschlag mit **Markdown**."
    author = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Kommentar {n}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    body = factory.SubFactory(BodyFactory)
    kind = Workshop.Kind.WORLD_CAFE
    title = factory.Sequence(lambda n: f"World Café {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    place = "Ratssaal"
    is_published = True


class WorkshopTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopTopic

    workshop = factory.SubFactory(WorkshopFactory)
    title = factory.Sequence(lambda n: f"Thema {n}")
