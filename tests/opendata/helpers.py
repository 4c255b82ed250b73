"""Public and non-public rows of every kind an open-data test needs."""

import csv
import io
import json

from django.utils import timezone

from lotse.council.models import AgendaItem, Decision, DecisionOutcome, PaperState
from tests.council.factories import MeetingFactory, PaperFactory


def released_paper(body, **kwargs):
    kwargs.setdefault("state", PaperState.RELEASED)
    kwargs.setdefault("released_at", timezone.now())
    return PaperFactory(body=body, **kwargs)


def decision(body, *, public=True, name="Beschluss über den Mängelmelder"):
    meeting = MeetingFactory(body=body)
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, number="Ö 1", name=name, is_public=public
    )
    return Decision.objects.create(
        body=body,
        agenda_item=item,
        outcome=DecisionOutcome.ADOPTED,
        date=timezone.localdate(),
        votes_for=9,
        votes_against=1,
        abstentions=0,
    )


def read(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(response).decode("utf-8"))))


def json_rows(response) -> list[dict]:
    return json.loads(read(response))
