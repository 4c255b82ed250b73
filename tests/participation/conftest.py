"""Fixtures of the participation tests (on top of tests/conftest.py)."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from lotse.participation.models import Block, PhaseKind
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory, ProcessFactory


@pytest.fixture
def unverified(db):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


@pytest.fixture
def blocked(body):
    user = UserFactory()
    Block.objects.create(body=body, user=user, reason="Beleidigungen")
    return user


@pytest.fixture
def moderator(body, make_member):
    return make_member(body, "moderator")


@pytest.fixture
def make_process(body, field):
    """A process of the body whose current phase is `kind` (or none when kind is None)."""

    def make(kind=PhaseKind.COLLECT, **kwargs):
        process = ProcessFactory(body=body, phase=False, **kwargs)
        process.action_fields.add(field)
        now = timezone.now()
        if kind is not None:
            PhaseFactory(process=process, kind=kind, start=now - timedelta(days=1), end=None)
        return process

    return make
