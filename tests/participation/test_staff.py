"""What the administration does with ideas: answer, state, merge, idea → measure."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.participation.models import Follow, Idea, IdeaState, Notification, Support
from lotse.participation.services import staff
from lotse.strategy.models import Measure
from tests.factories import UserFactory
from tests.participation.factories import IdeaFactory
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db

MANAGE_QUERIES = 7
ADMIN_QUERIES = 6


@pytest.fixture
def clerk(body, make_member):
    return make_member(body, "staff")


def manage(body, idea, rest=""):
    return f"/{body.slug}/verwaltung/ideen/{idea.pk}/{rest}"


def test_answer_moves_a_fresh_idea_to_review_and_tells_author_and_followers(
    clerk, idea, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    Follow.objects.create(user=follower, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        staff.answer_idea(clerk, idea, "Wir prüfen das bis zum Sommer.")
    idea.refresh_from_db()
    assert idea.answer == "Wir prüfen das bis zum Sommer."
    assert idea.answered_by == clerk and idea.answered_at is not None
    assert idea.state == IdeaState.IN_REVIEW
    told = set(Notification.objects.filter(kind="answer").values_list("user_id", flat=True))
    assert told == {idea.author_id, follower.pk}
    assert {m.to[0] for m in mail.outbox} == {idea.author.email, follower.email}
    assert "Stellungnahme" in mail.outbox[0].subject
    assert idea.history.first().history_user == clerk


def test_answer_does_not_move_an_idea_back(clerk, idea):
    idea.state = IdeaState.ACCEPTED
    idea.save()
    staff.answer_idea(clerk, idea, "Wird umgesetzt.")
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED


@pytest.mark.parametrize("role", [None, "moderator", "council_office"])
def test_only_staff_answer(body, idea, make_member, role):
    person = UserFactory() if role is None else make_member(body, role)
    with pytest.raises(PermissionDenied):
        staff.answer_idea(person, idea, "Antwort")
    with pytest.raises(PermissionDenied):
        staff.change_state(person, idea, IdeaState.ACCEPTED)


def test_staff_of_another_body_cannot_answer(other_body, idea, make_member):
    with pytest.raises(PermissionDenied):
        staff.answer_idea(make_member(other_body, "staff"), idea, "Antwort")


def test_rejection_needs_a_reason(clerk, idea):
    with pytest.raises(ValidationError) as error:
        staff.change_state(clerk, idea, IdeaState.REJECTED, "  ")
    assert "reason" in error.value.message_dict
    idea.refresh_from_db()
    assert idea.state == IdeaState.SUBMITTED
    staff.change_state(clerk, idea, IdeaState.REJECTED, "Liegt nicht in unserer Zuständigkeit")
    idea.refresh_from_db()
    assert idea.state == IdeaState.REJECTED
    assert idea.state_reason == "Liegt nicht in unserer Zuständigkeit"
    note = Notification.objects.get(user=idea.author, kind="state")
    assert "abgelehnt" in note.title and "Zuständigkeit" in note.text


def test_merged_is_not_a_manual_state(clerk, idea):
    with pytest.raises(ValidationError):
        staff.change_state(clerk, idea, IdeaState.MERGED)


def test_merge_moves_supports_once_per_person(clerk, process):
    duplicate, original = IdeaFactory(process=process), IdeaFactory(process=process)
    both, only_duplicate, only_original = UserFactory(), UserFactory(), UserFactory()
    for person in (both, only_duplicate):
        Support.objects.create(idea=duplicate, user=person)
    for person in (both, only_original):
        Support.objects.create(idea=original, user=person)
    Idea.objects.filter(pk=duplicate.pk).update(support_count=2)
    Idea.objects.filter(pk=original.pk).update(support_count=2)
    follower = UserFactory()
    Follow.objects.create(user=follower, idea=duplicate)
    staff.merge_idea(clerk, duplicate, original)
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.state == IdeaState.MERGED and duplicate.merged_into == original
    assert original.support_count == 3 and duplicate.support_count == 0
    assert set(original.supports.values_list("user_id", flat=True)) == {
        both.pk,
        only_duplicate.pk,
        only_original.pk,
    }
    assert Follow.objects.filter(user=follower, idea=original).exists()
    assert Notification.objects.filter(user=duplicate.author, kind="state").exists()


def test_merge_follows_the_chain_and_refuses_loops(clerk, body, process, other_body):
    first, second, third = (IdeaFactory(process=process) for _ in range(3))
    staff.merge_idea(clerk, second, third)
    # Merging into a merged idea goes to where that one went.
    staff.merge_idea(clerk, first, second)
    first.refresh_from_db()
    assert first.merged_into == third
    with pytest.raises(ValidationError):
        staff.merge_idea(clerk, first, third)  # already merged
    with pytest.raises(ValidationError):
        staff.merge_idea(clerk, third, second)  # second leads back to third itself
    with pytest.raises(ValidationError):
        staff.merge_idea(clerk, third, third)
    from tests.participation.factories import ProcessFactory

    foreign = IdeaFactory(process=ProcessFactory(body=other_body))
    with pytest.raises(ValidationError):
        staff.merge_idea(clerk, third, foreign)


def test_measure_from_idea_links_both_ways_and_accepts(
    clerk, idea, field, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        measure = staff.create_measure_from_idea(clerk, idea, {"primary_field": field.pk})
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED and idea.measure == measure
    assert list(measure.ideas.all()) == [idea]
    assert measure.title == idea.title and measure.primary_field == field
    assert idea.text in measure.description and f"/ideen/{idea.pk}/" in measure.description
    assert measure.origin == f"Idee #{idea.pk} aus dem Beteiligungsverfahren „{idea.process.title}“"
    note = Notification.objects.get(user=idea.author, kind="measure")
    assert note.url == measure.get_absolute_url()
    assert any(idea.author.email in m.to for m in mail.outbox)


def test_measure_from_idea_needs_strategy_rights(body, idea, field, make_member):
    with pytest.raises(PermissionDenied):
        staff.create_measure_from_idea(
            make_member(body, "moderator"), idea, {"primary_field": field}
        )
    assert not Measure.objects.exists()


def test_link_measure_of_the_same_body_only(clerk, idea, measure, other_body):
    from tests.strategy.factories import ActionFieldFactory, StrategyFactory

    foreign = MeasureFactory(
        primary_field=ActionFieldFactory(strategy=StrategyFactory(body=other_body))
    )
    with pytest.raises(ValidationError):
        staff.link_measure(clerk, idea, foreign)
    staff.link_measure(clerk, idea, measure)
    idea.refresh_from_db()
    assert idea.measure == measure and idea.state == IdeaState.ACCEPTED


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "moderator", "foreign_staff"])
def test_manage_pages_are_for_staff_of_the_body(client, body, other_body, idea, make_member, role):
    if role is None:
        person = UserFactory()
    elif role == "foreign_staff":
        person = make_member(other_body, "staff")
    else:
        person = make_member(body, role)
    client.force_login(person)
    assert client.get(manage(body, idea)).status_code == 403
    assert client.get(f"/{body.slug}/verwaltung/ideen/").status_code == 403
    assert (
        client.post(manage(body, idea), {"action": "answer", "answer-text": "x"}).status_code == 403
    )
    idea.refresh_from_db()
    assert idea.answer == ""


def test_answer_state_and_merge_through_the_page(client, body, clerk, idea, process):
    client.force_login(clerk)
    url = manage(body, idea)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "answer", "answer-text": "Danke, wir prüfen das."})
    idea.refresh_from_db()
    assert idea.answer == "Danke, wir prüfen das."
    response = client.post(url, {"action": "state", "state-state": "abgelehnt", "state-reason": ""})
    assert "Eine Ablehnung braucht eine Begründung" in response.content.decode()
    other = IdeaFactory(process=process, title="Die bessere Idee")
    response = client.post(url, {"action": "merge", "merge-into": "Gibt es nicht"})
    assert "Keine andere Idee" in response.content.decode()
    client.post(url, {"action": "merge", "merge-into": f"#{other.pk}"})
    idea.refresh_from_db()
    assert idea.merged_into == other


def test_measure_form_is_prefilled_and_creates_the_link(client, body, clerk, idea, field):
    client.force_login(clerk)
    url = manage(body, idea, "massnahme/")
    page = client.get(url).content.decode()
    assert idea.title in page and "aus dem Beteiligungsverfahren" in page
    response = client.post(
        url,
        {
            "title": idea.title,
            "description": "Aus der Idee",
            "primary_field": field.pk,
            "is_public": "on",
            "weight": 1,
            "origin": staff.measure_origin(idea),
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.measure is not None and idea.state == IdeaState.ACCEPTED
    page = client.get(manage(body, idea)).content.decode()
    assert f"/massnahmen/{idea.measure_id}/" in page


def test_link_existing_measure_through_the_page(client, body, clerk, idea, measure):
    client.force_login(clerk)
    client.post(manage(body, idea), {"action": "link", "link-measure": measure.pk})
    idea.refresh_from_db()
    assert idea.measure == measure


@pytest.mark.parametrize("size", [1, 8])
def test_staff_pages_query_counts(
    client, body, clerk, process, measure, size, django_assert_num_queries
):
    ideas = [IdeaFactory(process=process) for _ in range(size)]
    for other in ideas[1:]:
        staff.merge_idea(clerk, other, ideas[0])
        MeasureFactory(primary_field=measure.primary_field)
    client.force_login(clerk)
    client.get(manage(body, ideas[0]))
    with django_assert_num_queries(MANAGE_QUERIES):
        assert client.get(manage(body, ideas[0])).status_code == 200
    with django_assert_num_queries(ADMIN_QUERIES):
        assert client.get(f"/{body.slug}/verwaltung/ideen/?alle=1").status_code == 200
