"""The report workshop pages: who sees what, drafting, preview, publishing, correcting and
the submission page with its polling part."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.reporting import services, tasks
from lotse.reporting.models import ReportStatus, StatusReport, Submission, SubmissionState
from lotse.reporting.periods import half_year

H1_2026 = half_year(2026, 1)


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def quick_pdf(monkeypatch):
    """A blank PDF instead of rendering one, where the PDF's content is not the point (the
    rendering is tested in test_documents.py); keeps these tests fast."""
    from lotse.reporting import documents

    blank = _blank_pdf()
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, snapshot: blank)
    return blank


def url(name, town, *args):
    return reverse(f"reporting:{name}", args=[town.body.slug, *args])


@pytest.fixture
def draft(town):
    report = services.create_draft(town.staff, town.body, H1_2026)
    return services.save_texts(town.staff, report, "Unsere Einleitung.", {})


@pytest.fixture
def published(quick_pdf, town):
    return services.publish(
        town.program_owner, services.create_draft(town.staff, town.body, H1_2026)
    )


def test_who_may_open_which_page(client, town, draft, published, other_body, make_member):
    stranger = make_member(other_body, Role.STAFF)
    pages = {
        "workshop": url("workshop", town),
        "new": url("draft_create", town),
        "draft": url("draft", town, draft.pk),
        "preview": url("preview", town, draft.pk),
        "publish": url("publish", town, draft.pk),
        "correct": url("correct", town, published.pk),
        "submit": url("submit", town, published.pk),
    }
    expected = {
        town.staff: {
            "workshop": 200,
            "new": 200,
            "draft": 200,
            "preview": 200,
            "publish": 403,
            "correct": 200,
            "submit": 403,
        },
        town.program_owner: {
            "workshop": 200,
            "new": 200,
            "draft": 200,
            "preview": 200,
            "publish": 200,
            "correct": 200,
            "submit": 200,
        },
        town.council_office: {
            "workshop": 200,
            "new": 403,
            "draft": 403,
            "preview": 403,
            "publish": 403,
            "correct": 403,
            "submit": 200,
        },
        town.citizen: dict.fromkeys(pages, 403),
        stranger: dict.fromkeys(pages, 403),
    }
    for user, answers in expected.items():
        client.force_login(user)
        got = {name: client.get(address).status_code for name, address in pages.items()}
        assert got == answers, user
    client.logout()
    assert client.get(pages["workshop"]).status_code == 302
    # Without a second factor, a role in the body leads to setting one up first.
    client.force_login(make_member(town.body, Role.PROGRAM_OWNER, totp=False))
    response = client.get(pages["workshop"])
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == reverse("mfa_activate_totp")


def test_a_report_of_another_body_answers_404(client, town, draft, other_body, make_member):
    stranger = make_member(other_body, Role.PROGRAM_OWNER)
    client.force_login(stranger)
    for name in ("draft", "preview", "publish"):
        address = reverse(f"reporting:{name}", args=[other_body.slug, draft.pk])
        assert client.get(address).status_code == 404


def test_the_council_office_sees_published_reports_but_no_drafts(client, town, draft, published):
    client.force_login(town.council_office)
    page = client.get(url("workshop", town)).content.decode()
    assert published.label in page
    assert url("draft", town, draft.pk) not in page
    assert url("submit", town, published.pk) in page


def test_new_draft_from_a_half_year_or_free_dates(client, town):
    client.force_login(town.staff)
    form = client.get(url("draft_create", town)).content.decode()
    assert '<option value="2026-H1" selected>' in form
    response = client.post(url("draft_create", town), {"period": "2026-H1", "title": ""})
    report = StatusReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("draft", town, report.pk)
    assert (report.period_start, report.period_end) == (H1_2026.start, H1_2026.end)

    refused = client.post(
        url("draft_create", town),
        {"period": "frei", "start": "2026-05-01", "end": "2026-04-01", "title": "Sonder"},
    )
    assert refused.status_code == 200
    assert "Der Zeitraum kann nicht vor seinem Beginn enden." in refused.content.decode()
    assert StatusReport.objects.count() == 1
    client.post(
        url("draft_create", town),
        {"period": "frei", "start": "2026-01-01", "end": "2026-03-31", "title": "Quartal"},
    )
    quarter = StatusReport.objects.get(title="Quartal")
    assert quarter.period_end == datetime.date(2026, 3, 31)


def test_edit_texts_with_one_comment_per_action_field(client, town, draft):
    client.force_login(town.staff)
    page = client.get(url("draft", town, draft.pk)).content.decode()
    assert "Digitale Verwaltung" in page and "Bildung" in page
    assert f'name="comment_{town.topic.pk}"' not in page
    response = client.post(
        url("draft", town, draft.pk),
        {
            "intro": "Neue Einleitung",
            f"comment_{town.administration.pk}": "Die Verwaltung kommt voran.",
            f"comment_{town.education.pk}": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.intro == "Neue Einleitung"
    assert draft.field_comments == {str(town.administration.pk): "Die Verwaltung kommt voran."}


def test_preview_shows_live_public_figures_only(client, town, draft):
    client.force_login(town.staff)
    page = client.get(url("preview", town, draft.pk)).content.decode()
    assert "Digitales Bürgerbüro" in page and "Unsere Einleitung." in page
    assert "Interne Firewall-Erneuerung" not in page
    assert "Vergabe Rechenzentrum" not in page
    pdf = client.get(url("preview_pdf", town, draft.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert StatusReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_publish_through_the_confirm_page(client, town, draft):
    client.force_login(town.staff)
    assert client.post(url("publish", town, draft.pk)).status_code == 403
    assert StatusReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT
    client.force_login(town.program_owner)
    assert "Jetzt veröffentlichen" in client.get(url("publish", town, draft.pk)).content.decode()
    response = client.post(url("publish", town, draft.pk), follow=True)
    report = StatusReport.objects.get(pk=draft.pk)
    assert report.is_published and report.pdf_sha256
    assert report.label in response.content.decode()
    # Now the report's pages send back to its page or refuse to change it.
    assert client.get(url("preview", town, draft.pk))["Location"] == report.get_absolute_url()
    again = client.post(url("publish", town, draft.pk))
    assert again.status_code == 302
    client.post(url("draft", town, draft.pk), {"intro": "Nachträglich"})
    assert StatusReport.objects.get(pk=draft.pk).intro == "Unsere Einleitung."


def test_correction_needs_a_note_and_starts_a_new_version(client, town, published):
    client.force_login(town.staff)
    refused = client.post(url("correct", town, published.pk), {"note": "  "})
    assert refused.status_code == 200
    assert "Bitte geben Sie an, was diese Fassung berichtigt." in refused.content.decode()
    assert StatusReport.objects.count() == 1
    response = client.post(url("correct", town, published.pk), {"note": "Budget berichtigt."})
    correction = StatusReport.objects.get(corrects=published)
    assert response["Location"] == url("draft", town, correction.pk)
    assert (correction.number, correction.version) == (published.number, 2)
    page = client.get(url("draft", town, published.pk)).content.decode()
    assert "Budget berichtigt." in page
    assert "neuere Fassung" in page and url("correct", town, published.pk) not in page

    client.force_login(town.program_owner)
    client.post(url("publish", town, correction.pk))
    correction.refresh_from_db()
    assert correction.is_published and correction.label == f"Nr. {published.number}, Fassung 2"
    listing = client.get(url("workshop", town)).content.decode()
    assert listing.count(f"Nr. {published.number}") >= 2  # the current version and the older
    assert reverse("reporting:report", args=[town.body.slug, published.pk]) in listing
    old = client.get(url("draft", town, published.pk)).content.decode()
    assert url("submit", town, published.pk) not in old
    new = client.get(url("draft", town, correction.pk)).content.decode()
    assert url("submit", town, correction.pk) in new and "Budget berichtigt." in new


def test_submit_defaults_to_the_digital_committee_and_shows_progress(
    client, town, published, django_capture_on_commit_callbacks
):
    client.force_login(town.council_office)
    form = client.get(url("submit", town, published.pk)).content.decode()
    assert f'<option value="{town.next_meeting.pk}" selected>' in form
    assert "Abgesagte Sitzung" not in form and town.past_meeting.name not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", town, published.pk), {"meeting": town.next_meeting.pk})
    submission = Submission.objects.get()
    assert response["Location"] == url("submission", town, submission.pk)
    page = client.get(response["Location"]).content.decode()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DONE
    assert reverse("council:paper", args=[town.body.slug, submission.paper_id]) in page
    assert "hx-trigger" not in page


def test_the_status_part_polls_until_the_task_is_done(client, town, published):
    submission = Submission.objects.create(
        report=published, meeting=town.next_meeting, created_by=town.program_owner
    )
    client.force_login(town.program_owner)
    page = client.get(url("submission", town, submission.pk)).content.decode()
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    part = client.get(url("submission", town, submission.pk), HTTP_HX_REQUEST="true")
    part = part.content.decode()
    assert "<html" not in part and 'hx-trigger="every 1s"' in part and "<progress" in part
    assert "?seen=wartend-0" in part
    unchanged = client.get(
        url("submission", town, submission.pk) + "?seen=wartend-0", HTTP_HX_REQUEST="true"
    )
    assert unchanged.status_code == 204 and "HX-Request" in unchanged["Vary"]
    tasks.submit_report.call(submission.pk)
    done = client.get(
        url("submission", town, submission.pk) + "?seen=wartend-0", HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    done = done.content.decode()
    assert "hx-get" not in done and "100" in done
    client.force_login(town.citizen)
    assert client.get(url("submission", town, submission.pk)).status_code == 403


def test_submitting_to_a_cancelled_meeting_is_refused_in_german(client, town, published):
    from lotse.council.models import Meeting

    cancelled = Meeting.objects.get(body=town.body, name="Abgesagte Sitzung")
    client.force_login(town.program_owner)
    response = client.post(url("submit", town, published.pk), {"meeting": cancelled.pk})
    assert response.status_code == 200
    assert "Bitte wählen Sie" in response.content.decode()
    assert not Submission.objects.exists()


def _add_published(town, count, start):
    for index in range(count):
        report = StatusReport.objects.create(
            body=town.body,
            title=f"Bericht {start + index}",
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 6, 30),
            status=ReportStatus.PUBLISHED,
            number=f"{start + index}/2020",
            published_at=timezone.now(),
            published_by=town.program_owner,
            created_by=town.staff,
        )
        Submission.objects.create(report=report, meeting=town.next_meeting)
        StatusReport.objects.create(
            body=town.body,
            title=f"Entwurf {start + index}",
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 6, 30),
            created_by=town.staff,
        )


def _queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_workshop_list_query_count_does_not_grow(client, town, django_assert_max_num_queries):
    client.force_login(town.program_owner)
    _add_published(town, 2, 1)
    few = _queries(client, url("workshop", town))
    _add_published(town, 8, 3)
    with django_assert_max_num_queries(few):
        client.get(url("workshop", town))
    assert few <= 20


def test_report_page_and_submission_query_counts(client, town, published):
    client.force_login(town.program_owner)
    submission = Submission.objects.create(report=published, meeting=town.next_meeting)
    for address in (url("draft", town, published.pk), url("submission", town, submission.pk)):
        before = _queries(client, address)
        for _ in range(5):
            Submission.objects.create(report=published, meeting=town.next_meeting)
        assert _queries(client, address) == before
        assert before <= 20


def test_preview_query_count_does_not_grow_with_measures(client, town, draft):
    from tests.strategy.factories import MeasureFactory

    client.force_login(town.staff)
    few = _queries(client, url("preview", town, draft.pk))
    for index in range(6):
        MeasureFactory(primary_field=town.education, title=f"Weitere Maßnahme {index}")
    more = _queries(client, url("preview", town, draft.pk))
    assert more == few and few <= 40
