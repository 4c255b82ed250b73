"""The demo loads the district with its towns and one account per role and body."""

from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from lotse.accounts.demo import DEMO_PASSWORD, ROLE_ACCOUNTS
from lotse.accounts.models import BodyRole, User
from lotse.core.models import Body

# The demo is loaded once for this module (tests/conftest.py); each test is rolled back.
pytestmark = pytest.mark.usefixtures("demo_data")


def snapshot():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"core", "accounts", "account", "mfa"}:
            data = serializers.serialize("python", model.objects.order_by("pk"))
            for row in data:
                row["fields"].pop("last_login", None)
            rows[model._meta.label] = data
    return rows


@pytest.mark.django_db
def test_demo_is_idempotent():
    first = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_content():
    kreis = Body.objects.get(slug="musterkreis")
    assert kreis.kind == Body.Kind.KREIS
    assert set(kreis.children.values_list("slug", flat=True)) == {"musterstadt", "beispielstadt"}
    for body in Body.objects.all():
        body.full_clean()
        roles = set(BodyRole.objects.filter(body=body).values_list("role", flat=True))
        assert roles == set(ROLE_ACCOUNTS)
    user = User.objects.get(email="cdo@musterstadt.example")
    assert user.check_password(DEMO_PASSWORD)
    assert User.objects.filter(is_superuser=True).count() == 1
