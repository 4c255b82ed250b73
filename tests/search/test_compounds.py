"""The compound splitter on its own: which later parts a word gives, and which it must not."""

import pytest

from lotse.search import compounds
from lotse.search import text as german


def parts(word: str) -> set[str]:
    return set(compounds.parts(german.fold(word)))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Radwegekonzept", {"konzept"}),
        ("Bebauungsplanes", {"plan"}),
        ("Glasfasernetze", {"netz"}),
        ("Straßenbeleuchtung", {"beleucht"}),
        ("Straßenbeleuchtungskonzept", {"konzept", "beleucht"}),
        ("Haushaltsplanung", {"planung"}),
        ("Spielplätze", {"platz"}),
        ("Bürgerberatung", {"berat"}),
        ("Geschäftsordnung", {"ordnung"}),
    ],
)
def test_later_parts_are_found(word, expected):
    assert expected <= parts(word)


@pytest.mark.parametrize(
    "word",
    [
        "Beratung",  # "Rat" is no head: too short
        "Verordnung",  # "ver-" is a prefix, not a word
        "Aufstellung",
        "Generation",  # "Ration" is no head
        "Quartier",  # nor "Tier"
        "Deutschland",
        "Konzept",  # a head alone is no compound
        "Netzwerk",
    ],
)
def test_no_harmful_splits(word):
    assert parts(word) == set()


def test_parts_keep_to_the_word_as_written():
    assert compounds.split_terms(["radwegekonzept", "radwegekonzept", "rat"]) == ("konzept radweg")
