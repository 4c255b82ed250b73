"""The API keeps its contract: schemathesis generates requests from the live OpenAPI schema
(valid and invalid ones, anonymous and with a personal token) and checks that every answer's
status code, content type and body are the ones the schema documents, that invalid requests
are refused, and that nothing answers 5xx. Bounded and derandomised, so it runs in about a
minute and cannot be flaky."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from lotse.accounts.services import create_api_token
from lotse.wsgi import application

# A valid write may still be refused by a rule the schema cannot express (a phase that does
# not collect ideas, gelb without an explanation); such answers are documented 422s.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-method-regex": "POST|PATCH|DELETE",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
                    }
                },
            }
        ]
    }
)

SETTINGS = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Loaded once at collection from the app itself (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

TOKEN = {}


@pytest.fixture
def keep_connection():
    """The WSGI app closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's own test client avoids it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(db, keep_connection, body, measure, idea, make_member):
    """Some public data of one body, so that generated ids also find things, and the token
    of a programme owner there."""
    user = make_member(body, "program_owner")
    _token, TOKEN["raw"] = create_api_token(user, "Schemathesis")
    yield {"slug": body.slug}
    TOKEN.clear()


class PersonalToken:
    """Sends the current test's personal token (schemathesis also tries without it and with
    a wrong one, and expects 401 then)."""

    def get(self, case, context):
        return TOKEN.get("raw", "lotse_unset")

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def _on_the_body(case, data):
    if case.path_parameters and case.path_parameters.get("slug"):
        case.path_parameters["slug"] = data["slug"]


@schema.parametrize()
@SETTINGS
def test_anonymous(case, data):
    _on_the_body(case, data)
    case.call_and_validate()


@schema.auth.apply(PersonalToken, refresh_interval=None)
@schema.parametrize()
@SETTINGS
def test_with_token(case, data):
    _on_the_body(case, data)
    case.call_and_validate()
