"""Who sees a non-public agenda item, as a matrix over channels × users (issue 5, point 7).

Members of the meeting's organization, the council office and staff see its title, paper and
decision; everyone else sees "N 1 – nicht öffentlich". Feeds are fetched without a login and
kept by calendar programs, so they mask the item for everyone.
"""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse

from lotse.council import selectors
from lotse.council.models import File
from tests.council.factories import PaperFactory
from tests.council.test_pages import (
    SECRET_DECISION,
    SECRET_ITEM,
    SECRET_PAPER,
    decide,
    make_scene,
    treat,
)
from tests.factories import UserFactory

MASKED = "N 1 – nicht öffentlich"
USERS = [
    "anonymous",
    "citizen",
    "other_member",
    "member",
    "staff",
    "council_office",
    "foreign_council_office",
]
ALLOWED = {"member", "staff", "council_office"}


@pytest.fixture
def scene(body):
    return make_scene(body)


@pytest.fixture
def login(client, body, other_body, scene, make_member):
    def log_in(who):
        user = {
            "anonymous": None,
            "citizen": lambda: UserFactory(),
            "other_member": lambda: scene.other_member,
            "member": lambda: scene.member,
            "staff": lambda: make_member(body, "staff"),
            "council_office": lambda: make_member(body, "council_office"),
            "foreign_council_office": lambda: make_member(other_body, "council_office"),
        }[who]
        if user:
            client.force_login(user())
            return user
        return None

    return log_in


def get(client, name, body, *args):
    return client.get(reverse(f"council:{name}", args=[body.slug, *args]))


@pytest.mark.parametrize("who", USERS)
def test_meeting_page(client, body, scene, login, who):
    login(who)
    page = get(client, "meeting", body, scene.meeting.pk).content.decode()
    secret_link = reverse("council:paper", args=[body.slug, scene.secret_paper.pk])
    if who in ALLOWED:
        assert SECRET_ITEM in page and SECRET_DECISION in page and secret_link in page
        assert MASKED not in page
    else:
        assert MASKED in page
        for secret in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION, secret_link):
            assert secret not in page
    # the public item is there for everyone
    assert "Digitale Bürgerdienste ausbauen" in page


@pytest.mark.parametrize("who", USERS)
def test_paper_list(client, body, scene, login, who):
    login(who)
    page = get(client, "papers", body).content.decode()
    assert (SECRET_PAPER in page) == (who in ALLOWED)
    assert "Digitale Bürgerdienste ausbauen" in page


@pytest.mark.parametrize("who", USERS)
def test_paper_page(client, body, scene, login, who):
    login(who)
    response = get(client, "paper", body, scene.secret_paper.pk)
    if who in ALLOWED:
        page = response.content.decode()
        assert SECRET_PAPER in page and SECRET_DECISION in page
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", USERS)
def test_public_paper_treated_in_a_non_public_item(client, body, scene, login, who):
    """A public paper keeps its page, but its non-public treatment shows the number only."""
    item = treat(scene.upcoming, scene.public_paper, scene.committee, 1, "N 1", public=False)
    decide(item, "Geheime Ergänzung beschlossen.")
    login(who)
    page = get(client, "paper", body, scene.public_paper.pk).content.decode()
    assert ("Geheime Ergänzung beschlossen." in page) == (who in ALLOWED)
    assert (MASKED in page) == (who not in ALLOWED)


@pytest.mark.parametrize("who", USERS)
def test_decision_list(client, body, scene, login, who):
    login(who)
    page = get(client, "decisions", body).content.decode()
    if who in ALLOWED:
        assert SECRET_ITEM in page and SECRET_DECISION in page and "2/26" in page
    else:
        assert MASKED in page
        for secret in (SECRET_ITEM, SECRET_DECISION, "2/26"):
            assert secret not in page
    assert "Die Bürgerdienste werden ausgebaut." in page


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("feed", ["calendar", "organization_calendar"])
def test_feeds_mask_for_everyone(client, body, scene, login, who, feed):
    login(who)
    args = [scene.committee.pk] if feed == "organization_calendar" else []
    raw = get(client, feed, body, *args).content
    calendar = icalendar.Calendar.from_ical(raw)
    text = "\n".join(str(value) for event in calendar.walk("VEVENT") for value in event.values())
    assert MASKED in text
    for secret in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION):
        assert secret not in text
    text = raw.decode().replace("\r\n ", "")
    for secret in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION):
        assert secret not in text


# The selectors behind the pages


def user_for(who, login):
    user = login(who)
    return user() if callable(user) else AnonymousUser()


@pytest.mark.parametrize("who", USERS)
def test_selectors(body, scene, login, who):
    user = user_for(who, login)
    allowed = who in ALLOWED
    assert selectors.can_see_item(user, scene.public_item)
    assert selectors.can_see_item(user, scene.secret_item) == allowed
    assert (scene.secret_paper in selectors.visible_papers(user, body)) == allowed
    assert (scene.secret_decision in selectors.visible_decisions(user, body)) == allowed
    assert scene.decision in selectors.visible_decisions(user, body)
    secret_file = File.objects.create(
        body=body,
        name="Kaufvertrag",
        file=ContentFile(b"x", name="vertrag.pdf"),
        file_name="vertrag.pdf",
        mime_type="application/pdf",
        agenda_item=scene.secret_item,
    )
    paper_file = File.objects.create(
        body=body,
        name="Lageplan",
        file=ContentFile(b"x", name="plan.pdf"),
        file_name="plan.pdf",
        mime_type="application/pdf",
        paper=scene.secret_paper,
    )
    public_file = File.objects.create(
        body=body,
        name="Präsentation",
        file=ContentFile(b"x", name="folien.pdf"),
        file_name="folien.pdf",
        mime_type="application/pdf",
        paper=scene.public_paper,
    )
    files = set(selectors.visible_files(user, body))
    assert public_file in files
    assert (secret_file in files) == allowed
    assert (paper_file in files) == allowed


def test_former_members_lose_sight(body, scene):
    scene.member.council_persons.get().memberships.update(end_date=datetime.date(2020, 1, 1))
    fresh = type(scene.member).objects.get(pk=scene.member.pk)
    assert not selectors.can_see_item(fresh, scene.secret_item)


def test_drafts_only_for_those_who_edit_papers(body, scene, make_member):
    draft = PaperFactory(body=body)
    assert draft not in selectors.visible_papers(scene.member, body)
    assert draft in selectors.visible_papers(make_member(body, "staff"), body)
