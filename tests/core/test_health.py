import pytest
from django.db.backends.utils import CursorWrapper

from lotse import __version__


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "version": __version__,
    }


@pytest.mark.django_db
def test_health_reports_an_unreachable_database(client, monkeypatch):
    def broken(self, sql, params=None):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
