"""Beteiligungsverfahren: phases decide what is possible and the page says so with dates;
staff keep processes and phases; people follow processes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.participation.models import (
    Action,
    Follow,
    Idea,
    ParticipationSettings,
    Phase,
    PhaseKind,
    Process,
)
from lotse.participation.services import processes as services
from tests.participation.factories import (
    IdeaFactory,
    PhaseFactory,
    ProcessFactory,
    WorkshopFactory,
)
from tests.strategy.factories import ActionFieldFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def day(year, month, dd):
    """The first moment of a day in Berlin."""
    return timezone.make_aware(datetime.datetime(year, month, dd))


NEXT_YEAR = timezone.localdate().year + 1


def formset_data(prefix, rows, total_initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(total_initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def dated_process(body, field):
    """Collecting until 31 January next year, then review, then the result from 1 March."""
    process = ProcessFactory(
        body=body, phase=False, title="Digitaler Aufbruch", slug="digitaler-aufbruch"
    )
    process.action_fields.add(field)
    PhaseFactory(
        process=process,
        kind=PhaseKind.COLLECT,
        start=timezone.now() - datetime.timedelta(days=20),
        end=day(NEXT_YEAR, 2, 1),
    )
    PhaseFactory(
        process=process, kind=PhaseKind.REVIEW, start=day(NEXT_YEAR, 2, 1), end=day(NEXT_YEAR, 3, 1)
    )
    PhaseFactory(process=process, kind=PhaseKind.RESULT, start=day(NEXT_YEAR, 3, 1), end=None)
    return process


# --- The public pages say what is possible -----------------------------------------------------


def test_process_page_says_what_is_possible_until_when(client, body, dated_process):
    IdeaFactory(process=dated_process)
    IdeaFactory(process=dated_process, is_hidden=True)
    page = client.get(f"/{body.slug}/beteiligung/digitaler-aufbruch/").content.decode()
    assert (
        "Jetzt möglich: Ideen einreichen, kommentieren, unterstützen, bewerten – "
        f"bis 31. Januar {NEXT_YEAR}"
    ) in page
    assert f"/{body.slug}/ideen/?verfahren=digitaler-aufbruch" in page
    assert f"/{body.slug}/ideen/neu/?verfahren=digitaler-aufbruch" in page
    assert 'aria-current="step"' in page
    assert f"1. Februar {NEXT_YEAR} bis 28. Februar {NEXT_YEAR}" in page
    assert dated_process.rating_question in page
    assert "<dt>Ideen</dt><dd>1</dd>" in page  # the hidden one is not counted


def test_closed_process_names_the_next_phase_and_refuses_ideas(client, body, field, citizen):
    process = ProcessFactory(body=body, phase=False, slug="spaeter")
    PhaseFactory(
        process=process,
        kind=PhaseKind.REVIEW,
        start=timezone.now() - datetime.timedelta(days=3),
        end=day(NEXT_YEAR, 3, 1),
    )
    PhaseFactory(process=process, kind=PhaseKind.COMMENT_RATE, start=day(NEXT_YEAR, 3, 1))
    page = client.get(f"/{body.slug}/beteiligung/spaeter/").content.decode()
    assert (
        f"Zurzeit ist keine Beteiligung möglich; die nächste Phase beginnt am 1. März {NEXT_YEAR}."
    ) in page
    assert "/ideen/neu/" not in page
    assert not process.allows(Action.SUBMIT)
    from lotse.participation.services.ideas import submit_idea

    with pytest.raises(ValidationError):
        submit_idea(citizen, process, title="Zu spät", text="Die Phase ist vorbei.")
    assert not Idea.objects.filter(process=process).exists()


def test_comment_phase_allows_support_but_not_submitting(body, citizen):
    process = ProcessFactory(body=body, phase=PhaseKind.COMMENT_RATE)
    assert process.allows(Action.SUPPORT) and process.allows(Action.RATE)
    assert not process.allows(Action.SUBMIT)


def test_permanent_platform_has_no_end(client, body):
    ProcessFactory(body=body, slug="ideenplattform")
    page = client.get(f"/{body.slug}/beteiligung/ideenplattform/").content.decode()
    assert "Jetzt möglich: Ideen einreichen, kommentieren, unterstützen, bewerten" in page
    assert "ohne Enddatum" in page


def test_list_shows_published_processes_with_their_phase(client, body, dated_process):
    ProcessFactory(body=body, title="Geheimer Entwurf", is_published=False)
    page = client.get(f"/{body.slug}/beteiligung/").content.decode()
    assert "Digitaler Aufbruch" in page and f"bis 31. Januar {NEXT_YEAR}" in page
    assert "Geheimer Entwurf" not in page


def test_unpublished_process_is_404_for_the_public(client, body, citizen, make_member):
    ProcessFactory(body=body, slug="entwurf", is_published=False)
    assert client.get(f"/{body.slug}/beteiligung/entwurf/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/{body.slug}/beteiligung/entwurf/").status_code == 404
    client.force_login(make_member(body, "staff"))
    assert client.get(f"/{body.slug}/beteiligung/entwurf/").status_code == 200


def test_process_page_lists_its_published_workshops(client, body, process):
    WorkshopFactory(body=body, process=process, title="World Café Rathaus")
    WorkshopFactory(body=body, process=process, title="Noch geheim", is_published=False)
    page = client.get(f"/{body.slug}/beteiligung/{process.slug}/").content.decode()
    assert "World Café Rathaus" in page and "Noch geheim" not in page


def test_list_and_detail_query_counts_do_not_grow(
    client, body, dated_process, django_assert_num_queries
):
    def queries_for(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context)

    list_before = queries_for(f"/{body.slug}/beteiligung/")
    detail_before = queries_for(f"/{body.slug}/beteiligung/digitaler-aufbruch/")
    for _ in range(5):
        other = ProcessFactory(body=body)
        PhaseFactory(process=other, kind=PhaseKind.RESULT, start=day(NEXT_YEAR, 5, 1))
        IdeaFactory(process=dated_process)
        WorkshopFactory(body=body, process=dated_process)
    with django_assert_num_queries(list_before):
        client.get(f"/{body.slug}/beteiligung/")
    with django_assert_num_queries(detail_before):
        client.get(f"/{body.slug}/beteiligung/digitaler-aufbruch/")
    assert list_before <= 4 and detail_before <= 7


# --- Saving processes and phases ---------------------------------------------------------------


@pytest.fixture
def staff(body, make_member):
    return make_member(body, "staff")


def phases(*spans):
    return [Phase(kind=kind, start=start, end=end) for kind, start, end in spans]


def test_save_process_replaces_phases_in_order(body, field, staff):
    process = Process(body=body, title="Neu", slug="neu")
    saved = services.save_process(
        staff,
        process,
        phases(
            (PhaseKind.RESULT, day(2026, 3, 1), None),
            (PhaseKind.COLLECT, day(2026, 1, 1), day(2026, 3, 1)),  # touching is fine
        ),
        [field.pk],
    )
    assert [p.kind for p in saved.phases.order_by("start")] == ["ideen", "ergebnis"]
    assert list(saved.action_fields.all()) == [field]
    services.save_process(
        staff, saved, phases((PhaseKind.REVIEW, day(2026, 1, 1), day(2026, 2, 1))), []
    )
    assert [p.kind for p in saved.phases.all()] == ["pruefung"]
    assert not saved.action_fields.exists()


def test_overlapping_phases_are_refused(body, staff):
    process = Process(body=body, title="Neu", slug="neu")
    with pytest.raises(ValidationError) as error:
        services.save_process(
            staff,
            process,
            phases(
                (PhaseKind.COLLECT, day(2026, 1, 1), day(2026, 3, 1)),
                (PhaseKind.REVIEW, day(2026, 2, 1), day(2026, 4, 1)),
            ),
            [],
        )
    assert "überschneiden" in " ".join(error.value.messages)
    assert not Process.objects.filter(slug="neu").exists()


def test_only_the_last_phase_may_be_open_and_phases_need_an_end_after_start(body, staff):
    process = Process(body=body, title="Neu", slug="neu")
    with pytest.raises(ValidationError):
        services.save_process(
            staff,
            process,
            phases(
                (PhaseKind.COLLECT, day(2026, 1, 1), None),
                (PhaseKind.RESULT, day(2026, 6, 1), None),
            ),
            [],
        )
    with pytest.raises(ValidationError):
        services.save_process(
            staff, process, phases((PhaseKind.COLLECT, day(2026, 5, 1), day(2026, 4, 1))), []
        )
    with pytest.raises(ValidationError):
        services.save_process(staff, process, [], [])
    assert not Process.objects.filter(slug="neu").exists()


def test_action_fields_must_belong_to_the_body(body, other_body, staff):
    foreign = ActionFieldFactory(strategy=StrategyFactory(body=other_body))
    with pytest.raises(ValidationError) as error:
        services.save_process(
            staff,
            Process(body=body, title="Neu", slug="neu"),
            phases((PhaseKind.COLLECT, day(2026, 1, 1), None)),
            [foreign.pk],
        )
    assert "action_fields" in error.value.message_dict


@pytest.mark.parametrize("role", ["moderator", "council_office"])
def test_only_staff_save_processes(body, make_member, citizen, role):
    for user in (citizen, make_member(body, role)):
        with pytest.raises(PermissionDenied):
            services.save_process(
                user,
                Process(body=body, title="Neu", slug="neu"),
                phases((PhaseKind.COLLECT, day(2026, 1, 1), None)),
                [],
            )


# --- Staff pages -------------------------------------------------------------------------------


def test_management_pages_are_staff_only(client, body, process, citizen, make_member):
    urls = [
        f"/{body.slug}/verwaltung/beteiligung/",
        f"/{body.slug}/verwaltung/beteiligung/neu/",
        f"/{body.slug}/verwaltung/beteiligung/{process.pk}/bearbeiten/",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    client.force_login(citizen)
    assert all(client.get(url).status_code == 403 for url in urls)
    client.force_login(make_member(body, "moderator"))
    assert all(client.get(url).status_code == 403 for url in urls)
    client.force_login(make_member(body, "staff"))
    assert all(client.get(url).status_code == 200 for url in urls)


def test_staff_create_a_process_with_phases_and_fields(client, body, field, staff):
    client.force_login(staff)
    data = {
        "p-title": "Digitaler Aufbruch",
        "p-slug": "digitaler-aufbruch",
        "p-description": "Was soll digital werden?",
        "p-action_fields": [str(field.pk)],
        "p-rating_question": "Wie wichtig ist das?",
        "p-is_published": "on",
        **formset_data(
            "phases",
            [
                {"kind": "ideen", "start": "2026-10-01", "end": f"{NEXT_YEAR}-01-31"},
                {"kind": "ergebnis", "start": f"{NEXT_YEAR}-02-01", "end": ""},
                {"kind": "", "start": "", "end": ""},
            ],
        ),
    }
    response = client.post(f"/{body.slug}/verwaltung/beteiligung/neu/", data)
    assert response.status_code == 302, response.context["form"].errors
    process = Process.objects.get(body=body, slug="digitaler-aufbruch")
    collect, result = process.phases.order_by("start")
    assert timezone.localtime(collect.end) == day(NEXT_YEAR, 2, 1)  # end of the last day
    assert result.end is None and list(process.action_fields.all()) == [field]
    # The edit form shows the last day again.
    page = client.get(f"/{body.slug}/verwaltung/beteiligung/{process.pk}/bearbeiten/")
    assert f'value="{NEXT_YEAR}-01-31"' in page.content.decode()


def test_overlap_in_the_form_is_shown_and_nothing_saved(client, body, staff):
    client.force_login(staff)
    data = {
        "p-title": "Neu",
        "p-slug": "neu",
        "p-rating_question": "Wie wichtig?",
        **formset_data(
            "phases",
            [
                {"kind": "ideen", "start": "2026-01-01", "end": "2026-03-01"},
                {"kind": "pruefung", "start": "2026-02-01", "end": "2026-04-01"},
            ],
        ),
    }
    response = client.post(f"/{body.slug}/verwaltung/beteiligung/neu/", data)
    assert response.status_code == 200
    assert "überschneiden" in response.content.decode()
    assert not Process.objects.filter(slug="neu").exists()


def test_slug_must_be_unique_in_the_body(client, body, process, staff):
    client.force_login(staff)
    data = {
        "p-title": "Doppelt",
        "p-slug": process.slug,
        "p-rating_question": "Wie wichtig?",
        **formset_data("phases", [{"kind": "ideen", "start": "2026-01-01", "end": ""}]),
    }
    response = client.post(f"/{body.slug}/verwaltung/beteiligung/neu/", data)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors


def test_settings_are_for_the_programme_owner_and_body_admin(client, body, make_member, citizen):
    url = f"/{body.slug}/verwaltung/beteiligung/einstellungen/"
    client.force_login(make_member(body, "staff"))
    assert client.get(url).status_code == 403
    client.force_login(make_member(body, "moderator"))
    assert client.get(url).status_code == 403
    client.force_login(make_member(body, "body_admin"))
    assert client.get(url).status_code == 200
    client.force_login(make_member(body, "program_owner"))
    response = client.post(
        url,
        {
            "reports_to_hide": "5",
            "ideas_per_hour": "2",
            "comments_per_hour": "10",
            "reports_per_hour": "3",
        },
    )
    assert response.status_code == 302
    assert ParticipationSettings.of(body).reports_to_hide == 5
    refused = client.post(
        url,
        {
            "reports_to_hide": "0",
            "ideas_per_hour": "2",
            "comments_per_hour": "10",
            "reports_per_hour": "3",
        },
    )
    assert refused.status_code == 200 and ParticipationSettings.of(body).reports_to_hide == 5
    with pytest.raises(PermissionDenied):
        services.save_settings(citizen, ParticipationSettings.of(body))


# --- Following ---------------------------------------------------------------------------------


def test_signed_in_people_follow_and_unfollow(client, body, process, unverified):
    url = f"/{body.slug}/beteiligung/{process.slug}/folgen/"
    response = client.post(url, {"folgen": "1"})
    assert response.status_code == 302 and "/konto/login/" in response.url
    client.force_login(unverified)  # following posts nothing: no verified e-mail needed
    assert client.post(url, {"folgen": "1"}).status_code == 302
    assert client.post(url, {"folgen": "1"}).status_code == 302  # idempotent
    assert Follow.objects.filter(user=unverified, process=process).count() == 1
    page = client.get(f"/{body.slug}/beteiligung/{process.slug}/").content.decode()
    assert 'name="folgen" value="0"' in page
    client.post(url, {"folgen": "0"})
    assert not Follow.objects.filter(user=unverified, process=process).exists()


def test_nobody_follows_an_unpublished_process(client, body, citizen):
    hidden = ProcessFactory(body=body, is_published=False)
    client.force_login(citizen)
    assert client.post(f"/{body.slug}/beteiligung/{hidden.slug}/folgen/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.follow_process(citizen, hidden)
    assert not Follow.objects.exists()


def test_management_list_query_count_does_not_grow(
    client, body, staff, dated_process, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = f"/{body.slug}/verwaltung/beteiligung/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(5):
        other = ProcessFactory(body=body, is_published=False)
        IdeaFactory(process=other)
    with django_assert_num_queries(len(before)):
        page = client.get(url).content.decode()
    assert page.count("/bearbeiten/") == 6
