"""Titles and names show what they contain: control and text-direction characters are
refused in forms with a German message and stripped from whatever is saved by any other way
(API, imports, admin)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lotse.core import text
from lotse.strategy.forms import MilestoneForm
from lotse.strategy.models import Measure

RLO = "\u202e"
HIDDEN = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
HIDDEN += ["\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2067", "\u2068", "\u2069"]
HIDDEN += ["\u200e", "\u200f", "\u061c", "\u2028", "\u2029"]

titles = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(HIDDEN)), max_size=60)


@given(titles)
def test_a_cleaned_line_has_nothing_hidden_and_keeps_everything_else(value):
    cleaned = text.clean_line(value)
    assert not any(char in cleaned for char in HIDDEN)
    assert text.hidden_characters(cleaned) == []
    assert text.clean_line(cleaned) == cleaned
    visible = [char for char in value if char not in HIDDEN]
    assert [char for char in cleaned if char != " "] == [c for c in visible if c != " "]
    text.validate_plain_line(cleaned)


@given(titles)
def test_the_validator_refuses_exactly_what_cleaning_removes(value):
    if any(char in value for char in HIDDEN):
        with pytest.raises(ValidationError) as error:
            text.validate_plain_line(value)
        assert error.value.code == "hidden_characters"
    else:
        text.validate_plain_line(value)


@given(titles)
def test_multiline_text_keeps_lines_and_tabs(value):
    cleaned = text.clean_multiline(value)
    kept = "\n\t" + text.DIRECTION_MARKS  # direction marks belong to right-to-left prose
    assert not any(char in cleaned for char in HIDDEN if char not in kept)
    assert cleaned.count("\n") == value.count("\n") + value.count("\r") - value.count("\r\n")
    assert cleaned.count("\t") == value.count("\t")


def test_multiline_text_drops_line_separators_and_keeps_direction_marks():
    assert text.clean_multiline("a\u2028b\u2029c") == "abc"
    assert text.clean_multiline("\u05d0\u200f 1") == "\u05d0\u200f 1"
    assert text.clean_multiline("x\u202ey") == "xy"


def test_the_classic_spoof_is_refused_in_german():
    with pytest.raises(ValidationError) as error:
        text.validate_plain_line(f"Haushalt{RLO}fdp.exe")
    assert "Steuer- oder Richtungszeichen" in str(error.value.messages)


@pytest.mark.django_db
def test_every_save_strips_hidden_characters(measure):
    measure.title = f"Glasfaser\u2066 für {RLO}alle\x00"
    measure.description = "Zeile eins\r\nZeile\tzwei\u202d\x07"
    measure.save()
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.title == "Glasfaser für alle"
    assert stored.description == "Zeile eins\nZeile\tzwei"


@pytest.mark.django_db
def test_a_form_refuses_a_title_with_a_direction_override(measure):
    form = MilestoneForm(data={"title": f"Start{RLO}gnunk", "due_on": "2027-01-31"})
    assert not form.is_valid()
    assert "Richtungszeichen" in form.errors["title"][0]


@pytest.mark.django_db
def test_the_api_stores_a_clean_idea_title(client, body, process, make_member):
    from lotse.accounts.services import create_api_token
    from lotse.participation.models import Idea

    _, raw = create_api_token(make_member(body, "staff"), "Skript")
    response = client.post(
        f"/api/v1/bodies/{body.slug}/ideas",
        {"process": process.slug, "title": f"Mehr{RLO} Bänke", "text": "Am See\u202e."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(pk=response.json()["id"])
    assert idea.title == "Mehr Bänke" and idea.text == "Am See."
    assert response.json()["title"] == "Mehr Bänke"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory_path", "field"),
    [
        ("tests.council.factories.OrganizationFactory", "name"),
        ("tests.council.factories.PersonFactory", "family_name"),
        ("tests.council.factories.PaperFactory", "name"),
        ("tests.council.factories.MeetingFactory", "name"),
        ("tests.participation.factories.ProcessFactory", "title"),
        ("tests.participation.factories.IdeaFactory", "title"),
        ("tests.participation.factories.WorkshopFactory", "title"),
        ("tests.factories.UserFactory", "display_name"),
    ],
)
def test_titles_and_names_of_every_app_are_cleaned_on_save(body, factory_path, field):
    import importlib

    module, name = factory_path.rsplit(".", 1)
    factory = getattr(importlib.import_module(module), name)
    kwargs = {} if name == "UserFactory" else {"body": body}
    if name == "IdeaFactory":
        from tests.participation.factories import ProcessFactory

        kwargs = {"process": ProcessFactory(body=body)}
    made = factory(**kwargs, **{field: f"Muster{RLO}kcab\u2067 \x1b[31m"})
    made.refresh_from_db()
    assert getattr(made, field) == "Musterkcab [31m"
