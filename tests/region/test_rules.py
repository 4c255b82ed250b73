"""The district's permission matrix: role × where the role is held (the own town, the other
town, the Kreis, a body outside) × action. A town's staff never change another town's
rows; what a town shares with the district only reaches the district's administrations."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lotse.region import services
from lotse.region.models import JointShare, LibraryEntry
from tests.factories import UserFactory

ROLES = [
    "anonymous",
    "citizen",
    "moderator",
    "staff",
    "program_owner",
    "council_office",
    "body_admin",
    "site_admin",
]
PLACES = ["town_a", "town_b", "kreis", "outside"]
ADMINISTRATION = {"staff", "program_owner", "council_office", "body_admin"}
WRITERS = {"staff", "program_owner", "body_admin"}


def expected(action: str, role: str, place: str) -> bool:
    if role == "site_admin":
        return True
    if action == "view_public_entry":
        return True
    if action in {"view_district_entry", "view_district_internal"}:
        return role in ADMINISTRATION and place != "outside"
    home = {
        "publish": "town_a",
        "edit_links": "town_a",
        "manage_joint": "town_a",
        "adopt": "town_b",
        "edit_share": "town_b",
    }[action]
    return role in WRITERS and place == home


@pytest.mark.django_db
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_region_matrix(role, place, district, staff, make_member, other_body):
    writer = staff(district.town_a)
    public = services.publish_to_library(
        writer, LibraryEntry(measure=district.measure_a, effort="gering")
    )
    shared = services.publish_to_library(
        writer, LibraryEntry(measure=district.internal_a, effort="gering", audience="kreis")
    )
    joint = services.start_joint_measure(writer, district.measure_a, [district.town_b])
    share_b = JointShare.objects.get(joint=joint, body=district.town_b)
    bodies = {
        "town_a": district.town_a,
        "town_b": district.town_b,
        "kreis": district.kreis,
        "outside": other_body,
    }
    if role == "anonymous":
        user = AnonymousUser()
    elif role == "citizen":
        user = UserFactory()
    elif role == "site_admin":
        user = UserFactory(is_superuser=True)
    else:
        user = make_member(bodies[place], role)
    checks = {
        "view_public_entry": ("region.view_entry", public),
        "view_district_entry": ("region.view_entry", shared),
        "view_district_internal": ("region.view_district_internal", district.kreis),
        "publish": ("region.publish", district.measure_a),
        "edit_links": ("region.edit_links", district.town_a),
        "manage_joint": ("region.manage_joint", joint),
        "adopt": ("region.adopt", district.town_b),
        "edit_share": ("region.edit_share", share_b),
    }
    wrong = {
        action: user.has_perm(perm, obj)
        for action, (perm, obj) in checks.items()
        if user.has_perm(perm, obj) is not expected(action, role, place)
    }
    assert wrong == {}


@pytest.mark.django_db
def test_a_kreis_itself_neither_publishes_nor_adopts(district, make_member):
    cdo = make_member(district.kreis, "program_owner")
    assert not cdo.has_perm("region.adopt", district.kreis)
    assert not cdo.has_perm("region.edit_links", district.kreis)
