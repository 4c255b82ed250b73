"""Factories for council data."""

from datetime import timedelta

import factory
from django.utils import timezone

from lotse.council.models import (
    Consultation,
    ConsultationRole,
    Meeting,
    Membership,
    Organization,
    OrganizationType,
    Paper,
    PaperType,
    Person,
)
from tests.factories import BodyFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    organization_type = OrganizationType.COMMITTEE
    statutory_members = 11


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(BodyFactory)
    family_name = factory.Sequence(lambda n: f"Muster{n}")
    given_name = "Maria"
    form_of_address = "Frau"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory, body=factory.SelfAttribute("..organization.body"))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"{n}. Sitzung")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    body = factory.SubFactory(BodyFactory)
    paper_type = PaperType.PROPOSAL
    name = factory.Sequence(lambda n: f"Digitalisierung der Verwaltung, Teil {n}")
    decision_proposal = "Der Ausschuss beschließt die Maßnahme."
    reasoning = "Sachverhalt und Begründung."


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    paper = factory.SubFactory(PaperFactory)
    organization = factory.SubFactory(
        OrganizationFactory, body=factory.SelfAttribute("..paper.body")
    )
    role = ConsultationRole.DECISION
    authoritative = True
