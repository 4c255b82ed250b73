"""The demo's district: regional strategy, CDO network, library with an adoption, a joint
measure and the umbrella brand; loading it twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from lotse.core.models import Body
from lotse.council.models import Organization, OrganizationType
from lotse.region.models import Adoption, JointMeasure, JointShare, LibraryEntry, RegionalLink
from lotse.strategy.selectors import current_strategy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def counts():
    return [
        m.objects.count()
        for m in (Adoption, JointMeasure, JointShare, LibraryEntry, RegionalLink, Organization)
    ]


def test_demo_district():
    kreis = Body.objects.get(slug="musterkreis")
    assert kreis.brand_name == "SmartVest"
    fields = set(current_strategy(kreis).action_fields.values_list("title", flat=True))
    assert fields == {
        "Nachhaltigkeit und Klimaschutz",
        "Intelligente Mobilität",
        "Lebensqualität und Teilhabe",
        "Smart Economy",
        "Bildung und Kultur",
    }
    network = Organization.objects.get(body=kreis, organization_type=OrganizationType.NETWORK)
    assert network.memberships.count() == 3
    assert LibraryEntry.objects.filter(district=kreis).count() == 2
    adoption = Adoption.objects.get()
    assert adoption.body.slug == "beispielstadt" and adoption.entry.body.slug == "musterstadt"
    joint = JointMeasure.objects.get()
    assert joint.body.slug == "musterstadt" and joint.paper.body == kreis
    assert {s.body.slug for s in joint.shares.all()} == {"musterstadt", "beispielstadt"}
    assert all(s.measure_id for s in joint.shares.all())
    assert RegionalLink.objects.filter(body__slug="beispielstadt").exists()


def test_demo_district_is_idempotent():
    before = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == before
