"""The council office's OParl import page: who may use it, starting a run, past runs."""

import pytest

from lotse.oparl.models import ImportRun


@pytest.fixture
def enqueued(monkeypatch):
    """The task runs at once in tests (immediate backend); no network: the run is recorded."""
    calls = []
    from lotse.oparl import services

    monkeypatch.setattr(services, "run_import", lambda run, **kwargs: calls.append(run.pk))
    return calls


@pytest.mark.parametrize("role, status", [("council_office", 200), ("staff", 403)])
def test_only_the_council_office_opens_the_page(client, body, make_member, role, status):
    client.force_login(make_member(body, role))
    response = client.get(f"/{body.slug}/verwaltung/oparl-import/")
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client, body):
    response = client.get(f"/{body.slug}/verwaltung/oparl-import/")
    assert response.status_code in (302, 403)


def test_start_an_import_and_see_it(
    client, body, make_member, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(make_member(body, "council_office"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{body.slug}/verwaltung/oparl-import/",
            {"url": "https://rats.example/oparl/system", "with_files": "on"},
        )
    assert response.status_code == 302
    run = ImportRun.objects.get(body=body)
    assert enqueued == [run.pk] and run.with_files and not run.dry_run
    run.report = {
        "counts": {"paper": {"created": 3}},
        "rejects": [{"url": "https://rats.example/p/9", "type": "Paper", "reason": "name missing"}],
    }
    run.state = ImportRun.State.DONE
    run.save()
    page = client.get(f"/{body.slug}/verwaltung/oparl-import/").content.decode()
    assert "https://rats.example/oparl/system" in page
    assert "created 3" in page and "name missing" in page
