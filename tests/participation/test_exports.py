"""Open-data CSV of ideas and comments: public content only, authors pseudonymised."""

import csv
import io
import re

import pytest

from lotse.participation.exports import pseudonym
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, IdeaFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def read(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_ideas_export_has_public_ideas_with_pseudonymous_authors(client, body, idea, other_body):
    author = UserFactory(email="heimlich@example.org", display_name="Hanna Heimlich")
    shown = IdeaFactory(process=idea.process, author=author, title="=HYPERLINK(evil)")
    IdeaFactory(process=idea.process, is_hidden=True, title="Versteckt")
    IdeaFactory(process=ProcessFactory(body=body, is_published=False), title="Entwurf")
    IdeaFactory(process=ProcessFactory(body=other_body), title="Anderswo")
    response = client.get(f"/{body.slug}/ideen/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read(response)
    assert {row["ID"] for row in rows} == {str(idea.pk), str(shown.pk)}
    row = next(r for r in rows if r["ID"] == str(shown.pk))
    flat = str(rows)
    assert "Hanna" not in flat and "heimlich@" not in flat
    assert row["Verfasser:in (Pseudonym)"] == pseudonym(body, author.pk)
    assert row["Titel"] == "'=HYPERLINK(evil)"  # defused for spreadsheet programs


def test_pseudonyms_are_stable_within_a_body_and_differ_across_bodies(body, other_body):
    assert pseudonym(body, 7) == pseudonym(body, 7) != pseudonym(body, 8)
    assert pseudonym(body, 7) != pseudonym(other_body, 7)
    assert re.fullmatch(r"P-[0-9a-f]{12}", pseudonym(body, 7))
    assert pseudonym(body, None) == ""


def test_comments_export_withholds_deleted_and_hidden_texts(client, body, idea):
    from django.utils import timezone

    CommentFactory(idea=idea, text="Sichtbar")
    CommentFactory(idea=idea, text="Beleidigend", is_hidden=True)
    CommentFactory(idea=idea, text="Zurückgezogen", deleted_at=timezone.now())
    CommentFactory(idea=IdeaFactory(process=idea.process, is_hidden=True), text="Unter Verschluss")
    rows = read(client.get(f"/{body.slug}/ideen/kommentare.csv"))
    texts = [row["Kommentar"] for row in rows]
    assert texts == ["Sichtbar", "", ""]
    assert [row["Status"] for row in rows] == ["", "von der Moderation ausgeblendet", "gelöscht"]


def test_export_queries_do_not_grow_with_rows(client, body, idea, django_assert_num_queries):
    for _ in range(5):
        CommentFactory(idea=IdeaFactory(process=idea.process))
    with django_assert_num_queries(2):
        read(client.get(f"/{body.slug}/ideen/export.csv"))
    with django_assert_num_queries(2):
        read(client.get(f"/{body.slug}/ideen/kommentare.csv"))
