"""A committee ready to meet live: five seats (two Fraktionen), a deputy, an advisory member
without a vote, a chair among the seats, and a meeting with a public item that treats a
paper."""

from dataclasses import dataclass

import pytest

from lotse.council.models import AgendaItem, MembershipRole, OrganizationType, Person
from tests.council.factories import (
    ConsultationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PaperFactory,
    PersonFactory,
)
from tests.factories import UserFactory, add_totp


@dataclass
class Committee:
    organization: object
    meeting: object
    item: object
    seats: list  # Persons holding a seat, seats[0] chairs
    deputy: Person
    advisory: Person
    factions: list

    def user(self, person):
        return person.user


@pytest.fixture
def committee(body):
    organization = OrganizationFactory(body=body, name="Unterausschuss", statutory_members=5)
    factions = [
        OrganizationFactory(body=body, name=name, organization_type=OrganizationType.FACTION)
        for name in ("Fraktion A", "Fraktion B")
    ]

    def person(role, voting_right=True, faction=None):
        # Chairs and voting members sign in with a second factor (Body.voters_need_mfa).
        user = UserFactory()
        add_totp(user)
        someone = PersonFactory(body=body, user=user)
        MembershipFactory(
            organization=organization,
            person=someone,
            role=role,
            voting_right=voting_right,
            on_behalf_of=faction,
        )
        return someone

    seats = [person(MembershipRole.CHAIR, faction=factions[0])]
    seats += [person(MembershipRole.MEMBER, faction=factions[i % 2]) for i in range(4)]
    deputy = person(MembershipRole.DEPUTY_MEMBER, faction=factions[1])
    advisory = person(MembershipRole.ADVISORY, voting_right=False)
    meeting = MeetingFactory(body=body, organizations=[organization])
    paper = PaperFactory(body=body)
    consultation = ConsultationFactory(paper=paper, organization=organization, meeting=meeting)
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, number="Ö 1", name=paper.name, consultation=consultation
    )
    return Committee(organization, meeting, item, seats, deputy, advisory, factions)
