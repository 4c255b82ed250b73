"""/metrics: Prometheus figures for a scraper with the token, nothing for anyone else."""

import pytest


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_token(client, settings):
    settings.LOTSE_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_token(client, settings):
    settings.LOTSE_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


@pytest.mark.django_db
def test_metrics_count_requests_and_read_the_queue_and_live_meetings(client, settings, body):
    settings.LOTSE_METRICS_TOKEN = "s3cret-token"
    client.get("/health")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert 'lotse_http_requests_total{method="GET",status="200",view="health"}' in text
    assert (
        'lotse_http_request_duration_seconds_bucket{le="0.01",method="GET",view="health"}' in text
    )
    for name in (
        "lotse_tasks_waiting 0.0",
        "lotse_tasks_oldest_waiting_seconds 0.0",
        "lotse_tasks_failed 0.0",
        "lotse_tasks_orphaned 0.0",
        "lotse_live_meetings_open 0.0",
    ):
        assert name in text


@pytest.mark.django_db
def test_metrics_count_open_live_meetings_and_waiting_tasks(client, settings, body):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from lotse.voting.models import LiveSession, SessionState
    from tests.council.factories import MeetingFactory, OrganizationFactory

    settings.LOTSE_METRICS_TOKEN = "s3cret-token"
    organization = OrganizationFactory(body=body)
    for state in (SessionState.OPEN, SessionState.OPEN, SessionState.CLOSED):
        LiveSession.objects.create(
            body=body,
            meeting=MeetingFactory(body=body, organizations=[organization]),
            organization=organization,
            state=state,
        )
    DBTaskResult.objects.create(
        task_path="lotse.core.tasks.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert "lotse_live_meetings_open 2.0" in text
    assert "lotse_tasks_waiting 1.0" in text
