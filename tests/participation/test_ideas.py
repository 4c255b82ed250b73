"""Submitting ideas and the idea pages: list, detail, submit form, "Meine Ideen"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.participation import limits
from lotse.participation.models import (
    Follow,
    Idea,
    IdeaState,
    Notification,
    NotificationKind,
    ParticipationSettings,
    PhaseKind,
)
from lotse.participation.services import ideas as services
from tests.factories import UserFactory
from tests.participation.factories import (
    CommentFactory,
    IdeaFactory,
    PhaseFactory,
    ProcessFactory,
)
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def submit(user, process, **kwargs):
    data = {"title": "Freies WLAN am Markt", "text": "Bitte WLAN am Marktplatz."}
    data.update(kwargs)
    return services.submit_idea(user, process, **data)


# --- Service ---------------------------------------------------------------------------------


def test_submit_idea_stores_it_and_the_author_follows(citizen, process, field):
    idea = submit(citizen, process, action_field=field, address="Markt 1")
    assert idea.pk and idea.body_id == process.body_id and idea.author == citizen
    assert idea.state == IdeaState.SUBMITTED
    assert Follow.objects.filter(user=citizen, idea=idea).exists()


def test_submit_accepts_a_topic_of_a_field_in_scope(citizen, process, field):
    topic = ActionFieldFactory(strategy=field.strategy, parent=field)
    assert submit(citizen, process, action_field=topic).action_field == topic


def test_submit_rejects_a_field_outside_the_process(citizen, process, field):
    other = ActionFieldFactory(strategy=field.strategy)
    with pytest.raises(ValidationError) as error:
        submit(citizen, process, action_field=other)
    assert "action_field" in error.value.message_dict
    assert not Idea.objects.exists()


def test_submit_rejects_a_field_of_another_body_when_the_process_has_none(
    citizen, body, other_body
):
    process = ProcessFactory(body=body)
    foreign = ActionFieldFactory(strategy=StrategyFactory(body=other_body))
    with pytest.raises(ValidationError):
        submit(citizen, process, action_field=foreign)
    own = ActionFieldFactory(strategy=StrategyFactory(body=body))
    assert submit(citizen, process, action_field=own).action_field == own


@pytest.mark.parametrize(
    ("title", "text", "wrong"),
    [
        ("", "Text", "title"),
        ("x" * 121, "Text", "title"),
        ("Titel", "   ", "text"),
        ("Titel", "x" * 5001, "text"),
    ],
)
def test_submit_validates_lengths(citizen, process, title, text, wrong):
    with pytest.raises(ValidationError) as error:
        submit(citizen, process, title=title, text=text)
    assert wrong in error.value.message_dict


def test_submit_needs_both_coordinates(citizen, process):
    with pytest.raises(ValidationError):
        submit(citizen, process, latitude="51.5")


def test_anonymous_unverified_and_blocked_may_not_submit(
    process, unverified, blocked, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), unverified, blocked):
        with pytest.raises(PermissionDenied):
            submit(user, process)
    assert not Idea.objects.exists()


def test_blocked_in_another_body_may_still_submit(citizen, process, other_body):
    from lotse.participation.models import Block

    Block.objects.create(body=other_body, user=citizen, reason="x")
    assert submit(citizen, process).pk


def test_phase_without_submitting_says_why_and_when(citizen, make_process):
    process = make_process(PhaseKind.COMMENT_RATE)
    with pytest.raises(ValidationError) as error:
        submit(citizen, process)
    message = error.value.messages[0]
    assert "Kommentieren und Bewerten" in message or "Commenting and rating" in message
    assert "einreichen" in message or "submit ideas" in message


def test_closed_process_names_the_opening_date(citizen, make_process):
    process = make_process(kind=None)
    start = timezone.now() + timedelta(days=3)
    PhaseFactory(process=process, kind=PhaseKind.COLLECT, start=start)
    with pytest.raises(ValidationError) as error:
        submit(citizen, process)
    assert timezone.localtime(start).strftime("%Y") in error.value.messages[0]
    info = services.phase_info(process)
    assert info.phase is None and info.submit_opens == start


def test_unpublished_process_refuses_ideas(citizen, make_process):
    with pytest.raises(PermissionDenied):
        submit(citizen, make_process(is_published=False))


def test_rate_limit_per_body(citizen, process, body):
    ParticipationSettings.objects.create(body=body, ideas_per_hour=2)
    submit(citizen, process)
    submit(citizen, process)
    with pytest.raises(limits.RateLimited):
        submit(citizen, process)
    assert Idea.objects.count() == 2


def test_new_idea_notifies_followers_of_the_process(
    citizen, process, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    Follow.objects.create(user=follower, process=process)
    Follow.objects.create(user=citizen, process=process)
    with django_capture_on_commit_callbacks(execute=True):
        idea = submit(citizen, process)
    notes = Notification.objects.filter(kind=NotificationKind.NEW_IDEA)
    assert [n.user for n in notes] == [follower]  # not the author
    assert idea.get_absolute_url() in notes[0].url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [follower.email]


# --- List ------------------------------------------------------------------------------------


def list_html(client, body, query=""):
    response = client.get(f"/{body.slug}/ideen/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_list_shows_ideas_with_counts_and_a_submit_link(client, body, idea):
    idea.support_count, idea.comment_count = 3, 2
    idea.rating_count, idea.rating_sum, idea.rating_mean = 2, 7, 3.5
    idea.save()
    html = list_html(client, body)
    assert idea.title in html and "3 Unterstützungen" in html and "2 Kommentare" in html
    assert "3,5" in html
    assert f"/{body.slug}/ideen/neu/" in html


def test_list_filters_by_process_field_and_state(client, body, process, field, make_process):
    topic = ActionFieldFactory(strategy=field.strategy, parent=field)
    other_field = ActionFieldFactory(strategy=field.strategy)
    second = make_process()
    a = IdeaFactory(process=process, action_field=topic, title="Alpha-Idee")
    b = IdeaFactory(
        process=second, action_field=other_field, title="Beta-Idee", state=IdeaState.ACCEPTED
    )

    def titles(query):
        html = list_html(client, body, query)
        return {i.title for i in (a, b) if i.title in html}

    assert titles("") == {"Alpha-Idee", "Beta-Idee"}
    assert titles(f"?verfahren={second.slug}") == {"Beta-Idee"}
    assert titles(f"?handlungsfeld={field.pk}") == {"Alpha-Idee"}  # a field includes topics
    assert titles("?status=angenommen") == {"Beta-Idee"}
    assert titles("?status=quatsch&handlungsfeld=abc&seite=99") == {"Alpha-Idee", "Beta-Idee"}


@pytest.mark.parametrize(
    ("sort", "counter"),
    [
        ("unterstuetzungen", "support_count"),
        ("diskussion", "comment_count"),
        ("bewertung", "rating_mean"),
    ],
)
def test_list_sorts(client, body, process, sort, counter):
    low = IdeaFactory(process=process, title="Wenig", **{counter: 1})
    high = IdeaFactory(process=process, title="Viel", **{counter: 4})
    newest = IdeaFactory(process=process, title="Ganz neu")
    html = list_html(client, body, f"?sort={sort}")
    assert html.index(high.title) < html.index(low.title)
    default = list_html(client, body)
    assert default.index(newest.title) < default.index(low.title)


def test_list_search_uses_the_search_module(client, body, process):
    IdeaFactory(process=process, title="Radwege beleuchten", text="Licht")
    IdeaFactory(process=process, title="Bücherei online", text="Ausleihe")
    html = list_html(client, body, "?q=Radweg")
    assert "Radwege beleuchten" in html and "Bücherei online" not in html


def test_list_paginates(client, body, process):
    for n in range(27):
        IdeaFactory(process=process, title=f"Idee {n:02d}")
    html = list_html(client, body)
    assert "Idee 26" in html and "Idee 00" not in html
    assert "Idee 00" in list_html(client, body, "?seite=2")


def test_hidden_ideas_are_not_listed(client, body, process, citizen, moderator):
    hidden = IdeaFactory(process=process, title="Versteckt", is_hidden=True, author=citizen)
    for user in (None, citizen, moderator):
        if user:
            client.force_login(user)
        assert hidden.title not in list_html(client, body)


def test_list_query_count_does_not_grow(client, body, process, field, django_assert_num_queries):
    # Rendered: body, processes, strategy, the bounded count, the page, action fields; the
    # list's HTML looked for in the cache and stored (count, read, insert in a savepoint).
    # The cache namespace's version is in this process's memory since the ideas were made.
    IdeaFactory(process=process, action_field=field)
    with django_assert_num_queries(12):
        list_html(client, body)
    for _ in range(25):
        IdeaFactory(process=process, action_field=ActionFieldFactory(strategy=field.strategy))
    with django_assert_num_queries(12):
        list_html(client, body, "?sort=unterstuetzungen")
    # From this process's memory of the cache: the body only.
    with django_assert_num_queries(1):
        list_html(client, body, "?sort=unterstuetzungen")


# --- Detail ----------------------------------------------------------------------------------


def test_detail_shows_idea_and_escapes_user_text(client, body, process, field):
    author = UserFactory(display_name="Erika <b>Muster</b>")
    idea = IdeaFactory(
        process=process,
        action_field=field,
        author=author,
        title="<script>alert('t')</script>Titel",
        text="**Wichtig** <script>alert(1)</script> <img src=x onerror=alert(2)>",
        address="Markt 1",
    )
    CommentFactory(idea=idea, text="<script>alert(3)</script>Kommentar")
    html = client.get(f"/{body.slug}/ideen/{idea.pk}/").content.decode()
    assert "<strong>Wichtig</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)" in html
    assert "Erika &lt;b&gt;Muster&lt;/b&gt;" in html
    assert "Markt 1" in html and process.rating_question in html


def test_detail_of_another_body_is_404(client, other_body, idea):
    assert client.get(f"/{other_body.slug}/ideen/{idea.pk}/").status_code == 404


def test_hidden_idea_is_404_except_for_author_and_moderators(
    client, body, process, citizen, moderator
):
    idea = IdeaFactory(
        process=process, is_hidden=True, hidden_reason="Personenbezogene Daten", author=citizen
    )
    url = f"/{body.slug}/ideen/{idea.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for user in (citizen, moderator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Personenbezogene Daten" in response.content.decode()


def test_detail_shows_answer_merge_and_visible_measure(client, body, process, field):
    target = IdeaFactory(process=process, title="Ziel-Idee")
    merged = IdeaFactory(
        process=process, title="Doppelte Idee", state=IdeaState.MERGED, merged_into=target
    )
    measure = MeasureFactory(primary_field=field, title="WLAN-Ausbau", progress=40)
    target.answer = "Wir **prüfen** das."
    target.answered_at = timezone.now()
    target.measure = measure
    target.save()
    html = client.get(f"/{body.slug}/ideen/{target.pk}/").content.decode()
    assert "<strong>prüfen</strong>" in html and "Stellungnahme" in html
    assert "Doppelte Idee" in html and "WLAN-Ausbau" in html and "40 %" in html
    merged_html = client.get(f"/{body.slug}/ideen/{merged.pk}/").content.decode()
    assert "Zusammengeführt mit" in merged_html and f"/ideen/{target.pk}/" in merged_html
    assert "Unterstützen" not in merged_html.split("Einschätzung")[0].split("Mitmachen")[-1]
    measure.is_public = False
    measure.save()
    assert "WLAN-Ausbau" not in client.get(f"/{body.slug}/ideen/{target.pk}/").content.decode()


def test_detail_query_count_is_constant_in_comments(
    client, body, idea, citizen, django_assert_num_queries
):
    client.force_login(citizen)
    url = f"/{body.slug}/ideen/{idea.pk}/"
    top = CommentFactory(idea=idea)
    CommentFactory(idea=idea, parent=top)
    client.get(url)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    for _ in range(20):
        parent = CommentFactory(idea=idea, is_hidden=True)
        CommentFactory(idea=idea, parent=parent, deleted_at=timezone.now())
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


def test_detail_query_count_anonymous(client, body, idea, django_assert_num_queries):
    for _ in range(10):
        CommentFactory(idea=idea)
    # body, idea, phases, images, merged ideas, ratings' distribution; the visitor's thread:
    # looked for in the cache, its comments, stored (count, read, insert in a savepoint).
    with django_assert_num_queries(13):
        assert client.get(f"/{body.slug}/ideen/{idea.pk}/").status_code == 200
    with django_assert_num_queries(6):  # the thread from this process's memory
        assert client.get(f"/{body.slug}/ideen/{idea.pk}/").status_code == 200


# --- Submit form -----------------------------------------------------------------------------


def form_data(process, **kwargs):
    data = {
        "process": process.pk,
        "title": "Sitzbänke mit Ladestation",
        "text": "Am Bahnhof.",
        "action_field": "",
        "address": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(kwargs)
    return data


def test_submit_form_needs_login(client, body, process):
    response = client.get(f"/{body.slug}/ideen/neu/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_submit_form_preselects_process_and_shows_phase(
    client, body, process, make_process, citizen
):
    other = make_process()
    client.force_login(citizen)
    html = client.get(f"/{body.slug}/ideen/neu/?verfahren={other.slug}").content.decode()
    assert f'<option value="{other.pk}" selected>' in html
    assert "Ideen sammeln" in html
    assert 'hx-get="/' in html and 'id="similar-ideas"' in html and 'aria-live="polite"' in html


def test_submit_form_posts_and_redirects_to_the_idea(client, body, process, field, citizen):
    client.force_login(citizen)
    response = client.post(f"/{body.slug}/ideen/neu/", form_data(process, action_field=field.pk))
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.title == "Sitzbänke mit Ladestation" and idea.action_field == field


def test_submit_form_errors_are_summarised_and_linked(client, body, process, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/{body.slug}/ideen/neu/", form_data(process, title="", text="", latitude="51")
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Idea.objects.exists()
    assert 'class="error-summary"' in html and 'href="#id_title"' in html
    assert 'aria-invalid="true"' in html and "aria-describedby" in html


def test_submit_form_honeypot_stores_nothing(client, body, process, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/{body.slug}/ideen/neu/", form_data(process, hp_homepage="http://spam.example")
    )
    assert response.status_code == 302 and not Idea.objects.exists()


def test_submit_form_rate_limit_answers_429_in_german(client, body, process, citizen):
    ParticipationSettings.objects.create(body=body, ideas_per_hour=1)
    client.force_login(citizen)
    client.post(f"/{body.slug}/ideen/neu/", form_data(process))
    response = client.post(f"/{body.slug}/ideen/neu/", form_data(process, title="Noch eine"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele Anfragen" in html and "letzten Stunde" in html
    assert Idea.objects.count() == 1


def test_submit_form_for_unverified_explains_and_refuses(client, body, process, unverified):
    client.force_login(unverified)
    html = client.get(f"/{body.slug}/ideen/neu/").content.decode()
    assert "E-Mail-Adresse" in html and 'name="title"' not in html
    assert client.post(f"/{body.slug}/ideen/neu/", form_data(process)).status_code == 403


def test_submit_form_without_open_process_says_so(client, body, make_process, citizen):
    process = make_process(kind=None)
    PhaseFactory(process=process, start=timezone.now() + timedelta(days=2))
    client.force_login(citizen)
    html = client.get(f"/{body.slug}/ideen/neu/").content.decode()
    assert "Zurzeit nimmt kein" in html and process.title in html


def test_submit_form_rejects_process_of_another_body(client, body, process, other_body, citizen):
    foreign = ProcessFactory(body=other_body)
    client.force_login(citizen)
    response = client.post(f"/{body.slug}/ideen/neu/", form_data(foreign))
    assert response.status_code == 200 and not Idea.objects.exists()


# --- Meine Ideen -----------------------------------------------------------------------------


def test_my_ideas_lists_own_ideas_with_hidden_reason(client, body, process, citizen):
    own = IdeaFactory(process=process, author=citizen, title="Meine Idee")
    hidden = IdeaFactory(
        process=process,
        author=citizen,
        title="Meine versteckte",
        is_hidden=True,
        hidden_reason="Werbung",
    )
    IdeaFactory(process=process, title="Fremde Idee")
    client.force_login(citizen)
    html = client.get(f"/{body.slug}/ideen/meine/").content.decode()
    assert own.title in html and hidden.title in html and "Werbung" in html
    assert "Fremde Idee" not in html


def test_my_ideas_needs_login_and_pins_queries(
    client, body, process, citizen, django_assert_num_queries
):
    assert client.get(f"/{body.slug}/ideen/meine/").status_code == 302
    client.force_login(citizen)
    IdeaFactory(process=process, author=citizen)
    client.get(f"/{body.slug}/ideen/meine/")
    for _ in range(10):
        IdeaFactory(process=ProcessFactory(body=body), author=citizen)
    with django_assert_num_queries(6):
        client.get(f"/{body.slug}/ideen/meine/")


def test_staff_see_the_manage_link_and_citizens_the_report_link(
    client, body, idea, citizen, make_member
):
    manage = f"/{body.slug}/verwaltung/ideen/{idea.pk}/"
    client.force_login(citizen)
    html = client.get(f"/{body.slug}/ideen/{idea.pk}/").content.decode()
    assert f"/{body.slug}/ideen/{idea.pk}/melden/" in html
    assert "Beantworten und bearbeiten" not in html
    client.force_login(make_member(body, "staff"))
    html = client.get(f"/{body.slug}/ideen/{idea.pk}/").content.decode()
    assert "Beantworten und bearbeiten" in html
    from django.urls import reverse

    link = reverse("participation:idea_manage", kwargs={"body_slug": body.slug, "pk": idea.pk})
    assert link in html and (link == manage or link.startswith(f"/{body.slug}/"))
