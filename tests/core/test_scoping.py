"""One body's data never shows under another body's address."""

import pytest
from django.apps import apps
from django.db import models

from lotse.core.models import Body, BodyScopedModel
from tests.factories import BodyRoleFactory


def test_every_model_with_a_body_uses_the_scoping_base():
    offenders = []
    for model in apps.get_models():
        if not model.__module__.startswith("lotse."):
            continue
        if model.__name__.startswith("Historical") or model is Body:
            continue
        field = next((f for f in model._meta.get_fields() if f.name == "body"), None)
        if isinstance(field, models.ForeignKey) and not issubclass(model, BodyScopedModel):
            offenders.append(model.__name__)
    assert offenders == []


@pytest.mark.django_db
def test_role_list_shows_only_the_bodys_roles(client, make_member, body, other_body):
    client.force_login(make_member(body, "body_admin"))
    own = BodyRoleFactory(body=body, user__email="hier@example.org")
    BodyRoleFactory(body=other_body, user__email="dort@example.org")
    html = client.get(f"/{body.slug}/verwaltung/rollen/").content.decode()
    assert own.user.email in html
    assert "dort@example.org" not in html


@pytest.mark.django_db
def test_a_role_of_another_body_cannot_be_revoked_through_this_body(
    client, make_member, body, other_body
):
    admin = make_member(body, "body_admin")
    make_member(other_body, "body_admin")
    foreign = BodyRoleFactory(body=other_body)
    client.force_login(admin)
    client.post(f"/{body.slug}/verwaltung/rollen/{foreign.pk}/entziehen/")
    foreign.refresh_from_db()  # still there
    assert foreign.body == other_body


@pytest.mark.django_db
def test_body_admin_of_one_body_is_refused_in_another(client, make_member, body, other_body):
    client.force_login(make_member(body, "body_admin"))
    assert client.get(f"/{other_body.slug}/verwaltung/rollen/").status_code == 403


@pytest.mark.django_db
def test_queryset_scope(body, other_body):
    from lotse.accounts.models import BodyRole

    mine = BodyRoleFactory(body=body)
    BodyRoleFactory(body=other_body)
    assert list(BodyRole.objects.for_body(body)) == [mine]
