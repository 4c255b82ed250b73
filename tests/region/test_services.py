"""Writes of the district's shared work: publishing, adopting (a copy, never a shared row),
joint measures and regional links; a town's staff never change another town's data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.assessment.models import CostBenefit, DigitalCheck
from lotse.region import services
from lotse.region.models import Adoption, JointShare, LibraryEntry, RegionalLink
from lotse.strategy.models import Measure, Milestone
from lotse.strategy.services import post_status_update

pytestmark = pytest.mark.django_db


def test_publish_needs_staff_of_the_measures_town(district, staff):
    entry = LibraryEntry(measure=district.measure_a, effort="mittel")
    with pytest.raises(PermissionDenied):
        services.publish_to_library(staff(district.town_b), entry)
    with pytest.raises(PermissionDenied):
        services.publish_to_library(staff(district.kreis), entry)
    assert not LibraryEntry.objects.exists()
    services.publish_to_library(staff(district.town_a), entry)
    entry.refresh_from_db()
    assert entry.body == district.town_a and entry.district == district.kreis
    assert entry.history.count() == 1


def test_publishing_under_a_regional_field_links_the_measure(district, staff, published):
    link = RegionalLink.objects.get(measure=district.measure_a)
    assert link.body == district.town_a and link.regional_field == district.regional[0]


def test_an_internal_measure_is_shared_with_the_district_only(district, staff):
    entry = LibraryEntry(measure=district.internal_a, effort="hoch", audience="oeffentlich")
    with pytest.raises(ValidationError):
        services.publish_to_library(staff(district.town_a), entry)
    entry.audience = "kreis"
    services.publish_to_library(staff(district.town_a), entry)
    assert not entry.is_public


def test_adoption_copies_and_links_the_original(district, staff, published):
    source = district.measure_a
    Milestone.objects.create(
        measure=source, title="Ausschreibung", due_on=datetime.date(2026, 3, 1)
    )
    source.planned_start = datetime.date(2026, 1, 1)
    source.save()
    DigitalCheck.objects.create(
        body=district.town_a, measure=source, result="teilweise", legal_reason="§ 3a VwVfG"
    )
    CostBenefit.objects.create(
        body=district.town_a, measure=source, one_off_cost=Decimal("5000"), internal_note="x"
    )
    user_b = staff(district.town_b)
    adoption = services.adopt(user_b, published, district.town_b, district.field_b)
    copy = adoption.measure
    assert copy.pk != source.pk and copy.body == district.town_b
    assert copy.title == source.title and copy.description == source.description
    assert copy.status == "vorschlag" and copy.progress == 0
    assert "Ahausen" in copy.origin
    assert [m.title for m in copy.milestones.all()] == ["Ausschreibung"]
    assert copy.milestones.get().due_on == timezone.localdate() + datetime.timedelta(days=59)
    assert copy.digital_check.legal_reason == "§ 3a VwVfG"
    assert copy.cost_benefit.one_off_cost == Decimal("5000")
    assert copy.cost_benefit.internal_note == ""  # internal notes stay at home
    assert RegionalLink.objects.get(measure=copy).regional_field == district.regional[0]
    # Progress on the copy never touches the original.
    post_status_update(user_b, copy, progress=30, traffic_light="gruen")
    source.refresh_from_db()
    assert source.progress == 70
    assert adoption.history.count() == 1


def test_adoption_leaves_out_what_is_not_shared(district, staff, published):
    published.share_description = False
    published.share_milestones = False
    published.save()
    Milestone.objects.create(measure=district.measure_a, title="M", due_on="2026-01-01")
    adoption = services.adopt(staff(district.town_b), published, district.town_b, district.field_b)
    assert adoption.measure.description == ""
    assert not adoption.measure.milestones.exists()


def test_adoption_is_refused_to_others(district, staff, published, citizen):
    with pytest.raises(PermissionDenied):
        services.adopt(citizen, published, district.town_b, district.field_b)
    with pytest.raises(PermissionDenied):  # staff of A cannot create measures in B
        services.adopt(staff(district.town_a), published, district.town_b, district.field_b)
    with pytest.raises(ValidationError):  # its own measure
        services.adopt(staff(district.town_a), published, district.town_a, district.field_a)
    with pytest.raises(ValidationError):  # a field of another town
        services.adopt(staff(district.town_b), published, district.town_b, district.field_a)
    user_b = staff(district.town_b)
    services.adopt(user_b, published, district.town_b, district.field_b)
    with pytest.raises(ValidationError):  # twice
        services.adopt(user_b, published, district.town_b, district.field_b)
    assert Adoption.objects.count() == 1
    assert Measure.objects.filter(body=district.town_b).count() == 1


def test_a_withdrawn_entry_cannot_be_adopted(district, staff, published):
    services.withdraw_from_library(staff(district.town_a), published)
    with pytest.raises(PermissionDenied):
        services.adopt(staff(district.town_b), published, district.town_b, district.field_b)


def test_joint_measure_each_town_its_own_share(district, staff):
    user_a, user_b = staff(district.town_a), staff(district.town_b)
    joint = services.start_joint_measure(
        user_a, district.measure_a, [district.town_b], budget_share=Decimal("1000")
    )
    assert joint.body == district.town_a and joint.district == district.kreis
    share_a = JointShare.objects.get(joint=joint, body=district.town_a)
    share_b = JointShare.objects.get(joint=joint, body=district.town_b)
    assert share_a.measure == district.measure_a and share_b.measure is None
    with pytest.raises(PermissionDenied):  # the lead town cannot write B's share
        services.join_joint_measure(user_a, share_b, primary_field=district.field_b)
    with pytest.raises(PermissionDenied):
        services.set_budget_share(user_b, share_a, Decimal("1"))
    services.join_joint_measure(
        user_b, share_b, primary_field=district.field_b, budget_share=Decimal("250")
    )
    share_b.refresh_from_db()
    assert share_b.measure.body == district.town_b and share_b.budget_share == Decimal("250")
    assert share_b.measure.title == joint.title
    with pytest.raises(PermissionDenied):  # B's staff cannot start one from A's measure
        services.start_joint_measure(user_b, district.measure_a, [district.town_b])


def test_joint_measure_only_with_towns_of_the_kreis(district, staff, other_body):
    with pytest.raises(ValidationError):
        services.start_joint_measure(staff(district.town_a), district.measure_a, [other_body])


def test_field_links_stay_with_the_own_town(district, staff):
    regional = district.regional
    with pytest.raises(PermissionDenied):
        services.set_field_links(
            staff(district.town_b), district.town_a, {district.field_a.pk: [regional[0].pk]}
        )
    with pytest.raises(ValidationError):  # another town's field
        services.set_field_links(
            staff(district.town_b), district.town_b, {district.field_a.pk: [regional[0].pk]}
        )
    user_a = staff(district.town_a)
    assert (
        services.set_field_links(
            user_a, district.town_a, {district.field_a.pk: [r.pk for r in regional]}
        )
        == 2
    )
    assert services.set_field_links(user_a, district.town_a, {district.field_a.pk: []}) == 0
