"""The E-Government-Check: digital by default, a deviation needs its legal reason."""

import pytest
from django.core.exceptions import ValidationError

from lotse.assessment import services
from lotse.assessment.models import CheckAnswer, CheckQuestion, DigitalCheck

pytestmark = pytest.mark.django_db


def check_url(measure):
    return f"/{measure.body.slug}/verwaltung/massnahmen/{measure.pk}/egov-check/"


def form_data(body, **overrides):
    data = {"result": "digital", "legal_reason": "", "internal_note": ""}
    for question in services.ensure_default_questions(body):
        data[f"answer_{question.pk}"] = "ja"
        data[f"note_{question.pk}"] = ""
    data.update(overrides)
    return data


def test_default_questions_are_created_once_per_body(body, other_body):
    first = services.ensure_default_questions(body)
    again = services.ensure_default_questions(body)
    assert len(first) == len(services.DEFAULT_QUESTIONS) == 10
    assert [q.pk for q in first] == [q.pk for q in again]
    assert CheckQuestion.objects.for_body(other_body).count() == 0
    keys = {q.key for q in first}
    assert {"schriftform", "identifizierung", "epayment", "efa", "once-only", "ozg"} <= keys


def test_a_switched_off_default_stays_off(body):
    question = services.ensure_default_questions(body)[0]
    CheckQuestion.objects.filter(pk=question.pk).update(is_active=False)
    assert question.pk not in {q.pk for q in services.ensure_default_questions(body)}


def test_page_shows_every_question_with_its_answers(client, measure, staff):
    client.force_login(staff)
    html = client.get(check_url(measure)).content.decode()
    for question in CheckQuestion.objects.for_body(measure.body):
        assert question.text in html
        assert f'name="answer_{question.pk}"' in html
        assert f'name="note_{question.pk}"' in html
    # German labels of the answers and of the results.
    assert "entfällt" in html
    assert "nicht digital" in html


@pytest.mark.parametrize("result", ["nicht_digital", "teilweise"])
def test_deviation_without_legal_reason_is_refused_and_nothing_stored(
    client, measure, staff, result
):
    client.force_login(staff)
    response = client.post(
        check_url(measure), form_data(measure.body, result=result, legal_reason="  ")
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The German message stands next to the legal reason field.
    assert 'id="id_legal_reason_error"' in html
    assert "braucht den rechtlichen Grund" in html
    assert DigitalCheck.objects.count() == 0
    assert CheckAnswer.objects.count() == 0


def test_service_refuses_deviation_without_reason_too(measure, staff):
    check = DigitalCheck(body=measure.body, measure=measure, result="nicht_digital")
    with pytest.raises(ValidationError) as error:
        services.save_digital_check(staff, check, {})
    assert "legal_reason" in error.value.error_dict
    assert DigitalCheck.objects.count() == 0


def test_missing_answer_is_refused(client, measure, staff):
    client.force_login(staff)
    data = form_data(measure.body)
    question = CheckQuestion.objects.for_body(measure.body).first()
    del data[f"answer_{question.pk}"]
    response = client.post(check_url(measure), data)
    assert f'id="id_answer_{question.pk}_error"' in response.content.decode()
    assert DigitalCheck.objects.count() == 0


def test_check_is_saved_with_answers_and_history(client, measure, staff):
    client.force_login(staff)
    data = form_data(measure.body)
    schriftform = CheckQuestion.objects.get(body=measure.body, key="schriftform")
    data[f"answer_{schriftform.pk}"] = "nein"
    data[f"note_{schriftform.pk}"] = "keine Schriftform vorgeschrieben"
    response = client.post(check_url(measure), data, follow=True)
    assert "gespeichert" in response.content.decode()
    check = DigitalCheck.objects.get(measure=measure)
    assert check.result == "digital"
    assert check.checked_by == staff
    assert check.answers.count() == 10
    answer = check.answers.get(question=schriftform)
    assert (answer.answer, answer.note) == ("nein", "keine Schriftform vorgeschrieben")

    data.update(result="teilweise", legal_reason="§ 9 PAuswG: persönliche Abholung")
    client.post(check_url(measure), data)
    check.refresh_from_db()
    assert check.result == "teilweise"
    assert check.history.count() == 2
    assert check.history.earliest().result == "digital"
    assert check.history.latest().history_user == staff


def test_answer_to_another_bodys_question_is_refused(measure, staff, other_body):
    foreign = services.ensure_default_questions(other_body)[0]
    check = DigitalCheck(body=measure.body, measure=measure, result="digital")
    with pytest.raises(ValidationError):
        services.save_digital_check(staff, check, {foreign.pk: ("ja", "")})
    assert DigitalCheck.objects.count() == 0
