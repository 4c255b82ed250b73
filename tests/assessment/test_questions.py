"""The programme owner keeps the body's check questions."""

import pytest

from lotse.assessment import services
from lotse.assessment.models import CheckQuestion

pytestmark = pytest.mark.django_db


def url(body):
    return f"/{body.slug}/verwaltung/egov-fragen/"


def data_for(body, changes=None, new=None):
    questions = list(CheckQuestion.objects.for_body(body))
    rows = []
    for q in questions:
        row = {
            "id": q.pk,
            "title": q.title,
            "text": q.text,
            "help_text": q.help_text,
            "order": q.order,
            "is_active": "on" if q.is_active else "",
        }
        row.update((changes or {}).get(q.key, {}))
        rows.append(row)
    if new:
        rows.append(new)
    data = {
        "questions-TOTAL_FORMS": len(rows),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value != "":
                data[f"questions-{index}-{key}"] = value
    return data


def test_owner_rewords_switches_off_and_adds(client, body, owner):
    questions = services.ensure_default_questions(body)
    first, second = questions[0], questions[1]
    client.force_login(owner)
    data = data_for(
        body,
        changes={first.key: {"text": "Geht es ganz digital?"}, second.key: {"is_active": ""}},
        new={
            "title": "Barrierefreie PDF",
            "text": "Sind alle PDF barrierefrei?",
            "order": 99,
            "is_active": "on",
        },
    )
    assert client.post(url(body), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "Geht es ganz digital?" and not second.is_active
    added = CheckQuestion.objects.get(body=body, title="Barrierefreie PDF")
    assert added.key == "barrierefreie-pdf"


def test_staff_may_not_change_questions(client, body, staff):
    services.ensure_default_questions(body)
    client.force_login(staff)
    assert client.get(url(body)).status_code == 403
    assert (
        client.post(
            url(body), data_for(body, new={"title": "X", "text": "Y", "order": 1})
        ).status_code
        == 403
    )
    assert not CheckQuestion.objects.filter(title="X").exists()


def test_questions_of_another_body_cannot_be_changed(client, body, other_body, owner):
    services.ensure_default_questions(body)
    foreign = services.ensure_default_questions(other_body)[0]
    client.force_login(owner)
    data = data_for(body)
    data["questions-0-id"] = foreign.pk  # a forged row pointing at another body's question
    data["questions-0-text"] = "Gekapert?"
    client.post(url(body), data)
    foreign.refresh_from_db()
    assert foreign.text != "Gekapert?" and foreign.body == other_body
    assert not CheckQuestion.objects.filter(text="Gekapert?").exists()
