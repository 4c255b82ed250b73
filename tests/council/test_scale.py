"""``lotse council_scale`` with small numbers: the data, the search index, a refused second run."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from lotse.council import search, selectors
from lotse.council.models import AgendaItem, Consultation, Decision, File, Meeting, Paper

pytestmark = pytest.mark.django_db


def run(body, **options):
    out = StringIO()
    call_command("council_scale", body=body.slug, stdout=out, **options)
    return out.getvalue()


def test_fills_a_body_with_papers_files_meetings_and_the_index(body, other_body):
    out = run(body, papers=120, files=250, years=3)
    assert "120 Vorlagen im Suchindex" in out
    papers = Paper.objects.filter(body=body)
    assert papers.count() == 120
    assert File.objects.filter(body=body).count() == 250
    assert papers.values("date__year").distinct().count() == 3
    assert Consultation.objects.filter(paper__body=body).count() == 120
    assert AgendaItem.objects.filter(meeting__body=body).count() == 120
    assert Meeting.objects.filter(body=body).count() == 3 * 11 * 10
    assert Decision.objects.filter(body=body).exists()
    assert not Paper.objects.filter(body=other_body).exists()
    # Searchable by words of a file and by reference; non-public ones stay hidden.
    visible = selectors.visible_papers(AnonymousUser(), body)
    assert search.search_papers(visible, "Gutachten").exists()
    reference = papers.filter(is_public=True).first().reference
    assert [p.reference for p in search.search_papers(visible, reference)] == [reference]
    secret = papers.filter(is_public=False).first()
    if secret:
        assert not search.search_papers(visible, secret.reference).exists()


def test_files_have_real_bytes_matching_size_and_checksum(body):
    import hashlib

    run(body, papers=4, files=6, years=1)
    for row in File.objects.filter(body=body):
        with row.file.open("rb") as stream:
            data = stream.read()
        assert len(data) == row.size > 0
        assert hashlib.sha512(data).hexdigest() == row.sha512


def test_a_second_run_is_refused(body):
    run(body, papers=5, files=0, years=1)
    with pytest.raises(CommandError, match="schon mit council_scale"):
        run(body, papers=5, files=0, years=1)
    assert Paper.objects.filter(body=body).count() == 5


@pytest.mark.parametrize("options", [{"papers": 0}, {"files": -1}, {"years": 0}, {"years": 81}])
def test_bad_numbers_are_refused(body, options):
    with pytest.raises(CommandError):
        run(body, **{"papers": 5, "files": 0, "years": 1, **options})
    assert not Paper.objects.filter(body=body).exists()


def test_an_unknown_body_is_refused(db):
    with pytest.raises(CommandError, match="Keine Körperschaft"):
        call_command("council_scale", body="gibtsnicht", stdout=StringIO())
