"""Who may assess a body's OZG services: only that body's staff, in every channel."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.ozg.models import Assessment
from lotse.ozg.services import bulk_assess, save_assessment
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db

CSV = "\ufeffOZG-ID;Reifegrad\n10092;3\n".encode()


@pytest.fixture
def users(town, make_member, citizen, site_admin):
    other = BodyFactory()
    return {
        "anonymous": None,
        "citizen": citizen,
        "moderator": make_member(town, "moderator"),
        "council_office": make_member(town, "council_office"),
        "staff": make_member(town, "staff"),
        "program_owner": make_member(town, "program_owner"),
        "body_admin": make_member(town, "body_admin"),
        "other_staff": make_member(other, "staff"),
        "site_admin": site_admin,
    }


ALLOWED = {"staff", "program_owner", "body_admin", "site_admin"}


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "citizen",
        "moderator",
        "council_office",
        "staff",
        "program_owner",
        "body_admin",
        "other_staff",
        "site_admin",
    ],
)
def test_permission_matrix(client, town, users, who, wohngeld):
    user = users[who]
    if user:
        client.force_login(user)
    allowed = who in ALLOWED
    # Reading is open to everyone.
    assert client.get(f"/{town.slug}/ozg/").status_code == 200
    assert client.get(f"/{town.slug}/ozg/export.csv").status_code == 200
    # The workspace, the row form, the bulk form and the import only for the body's staff.
    for url in (
        f"/{town.slug}/verwaltung/ozg/",
        f"/{town.slug}/verwaltung/ozg/10092/",
        f"/{town.slug}/verwaltung/ozg/import/",
    ):
        status = client.get(url).status_code
        assert (status == 200) is allowed, (url, status)
    client.post(f"/{town.slug}/verwaltung/ozg/10092/", {"maturity": "4"})
    client.post(f"/{town.slug}/verwaltung/ozg/", {"dienste": [wohngeld.pk], "maturity": "4"})
    client.post(
        f"/{town.slug}/verwaltung/ozg/import/",
        {"file": SimpleUploadedFile("a.csv", CSV, content_type="text/csv")},
    )
    assert Assessment.objects.filter(body=town).exists() is allowed
    # The services check too, whatever channel calls them.
    if user and not allowed:
        with pytest.raises(PermissionDenied):
            save_assessment(user, town, wohngeld, {"maturity": 1})
        with pytest.raises(PermissionDenied):
            bulk_assess(user, town, [wohngeld], {"maturity": 1})


def test_staff_of_another_body_cannot_link_foreign_units_or_measures(town, staff, wohngeld):
    from django.core.exceptions import ValidationError

    from tests.strategy.factories import ActionFieldFactory, MeasureFactory, OrgUnitFactory

    other = BodyFactory()
    foreign_unit = OrgUnitFactory(body=other)
    foreign_measure = MeasureFactory(primary_field=ActionFieldFactory())
    with pytest.raises(ValidationError):
        save_assessment(staff, town, wohngeld, {"unit": foreign_unit})
    with pytest.raises(ValidationError):
        save_assessment(staff, town, wohngeld, {"maturity": 2}, [foreign_measure])
    assert not Assessment.objects.filter(body=town).exists()


RULES = {
    "ozg.view_services": {"anonymous", "citizen", "moderator", "council_office"} | ALLOWED,
    "ozg.assess_services": ALLOWED,
    "ozg.manage_catalogue": {"site_admin"},
}


@pytest.mark.parametrize("perm", sorted(RULES))
@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "citizen",
        "moderator",
        "council_office",
        "staff",
        "program_owner",
        "body_admin",
        "site_admin",
    ],
)
def test_rules_matrix_own_and_other_body(perm, role, town, make_member, citizen, site_admin):
    from django.contrib.auth.models import AnonymousUser

    other = BodyFactory()
    if role == "anonymous":
        user = AnonymousUser()
    elif role == "citizen":
        user = citizen
    elif role == "site_admin":
        user = site_admin
    else:
        user = make_member(town, role)
    assert user.has_perm(perm, town) is (role in RULES[perm])
    # In another body only what everyone (or a site admin) may do.
    expected = role in RULES[perm] and (perm == "ozg.view_services" or role == "site_admin")
    assert user.has_perm(perm, other) is expected
