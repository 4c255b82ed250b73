"""German first, English selectable, every string translated."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import lotse

LOCALE = Path(lotse.__file__).parent / "locale"


def test_german_catalogue_is_complete():
    with open(LOCALE / "de" / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []
    assert len(catalog) > 100


def test_compiled_catalogue_exists():
    assert (LOCALE / "de" / "LC_MESSAGES" / "django.mo").exists(), "run `make messages`"


@pytest.mark.django_db
def test_language_can_be_switched_to_english(client):
    assert "Barrierefreiheit" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Accessibility statement" in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert '<html lang="de">' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/konto/login/", "/konto/signup/", "/konto/password/reset/"])
def test_account_pages_address_people_formally(client, url):
    """allauth's German says "du"; a town hall says "Sie" (locale_overrides)."""
    import re

    text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
    assert not re.search(r"\b(du|Du|dein\w*|Dein\w*|dich|dir|hast|kannst)\b", text)
    assert re.search(r"\b(Sie|Ihr\w*)\b", text)
