"""German compounds found by their later parts: "Konzept" finds "Radwegekonzept".

The first part of a compound is found already, as the start of the word (see
``text.PREFIX_MIN``). For the later parts the index keeps, beside the word itself, the *heads*
it ends with: a word is split where its rest, at least ``HEAD_MIN`` letters long, stems to a
known head and what stands before it is a word of its own — at least ``LEFT_MIN`` letters once
a linking element (Fugen-s, -es, -n, -en, -e, -er) is taken off, and no bare prefix such as
"ver-" or "be-". The part before is split again the same way, so "Straßenbeleuchtungskonzept"
gives "Konzept" and "Beleuchtung".

The known heads are the list below: nouns that end the compounds of municipal texts (plans,
concepts, networks, lighting, …). A fixed list rather than the index's own vocabulary keeps the
index the same whatever order things are indexed in (a rebuild gives the very same rows), and
it keeps out the splits that hurt: "Rat" never finds "Beratung" (three letters is too short to
be a head), "Tier" never finds "Quartier" (not a head), "Ordnung" not "Verordnung" ("ver-" is a
prefix, not a word). A query word is never split: it matches a head as it matches any word.

A general-purpose splitter was weighed and not taken: the packaged ones found were GPL-3 with a
19 MB model and no release since 2020, or a 25 MB Wiktionary noun list (CC BY-SA, last release
2022) whose 100,000 nouns hold "Gene" and "Ration", so a split over them would let "Ration"
find "Generation".
"""

from functools import lru_cache

# Heads as written (folded and stemmed when loaded). Add a municipal head here when staff miss
# one; keep out short or ambiguous words ("Rat", "Land", "Tier", "Stand").
_HEADS = """
    Abfall Abgabe Abschnitt Abstimmung Agenda Amt Anlage Anschluss Antrag Anwendung Arbeit
    Aufgabe Auftrag Ausbau Ausschuss Ausstattung Beitrag Bericht Beleuchtung Beratung Bereich
    Beschluss Beschaffung Betrieb Bezirk Bibliothek Bildung Brücke Budget Büro Daten Dienst
    Dienstleistung Digitalisierung Dorf Einrichtung Entwicklung Erneuerung Erweiterung Fahrzeug
    Feuerwehr Fläche Förderung Forum Friedhof Gebäude Gebiet Gebühr Gelände Gemeinde Gesetz
    Gesundheit Gewerbe Gremium Grundstück Gutachten Halle Haltestelle Haus Haushalt Hilfe Hof
    Information Infrastruktur Initiative Investition Jugend Kanal Kasse Kataster Kindergarten
    Kita Klima Kommission Konzept Kosten Kreis Kultur Lärm Leistung Leitung Lösung Management
    Markt Maßnahme Mobilität Modell Netz Netzwerk Ordnung Ort Park Parkplatz Personal Pflege
    Plan Planung Platz Portal Programm Projekt Prüfung Quartier Radweg Raum Recht Regelung
    Register Sanierung Satzung Schule Schutz Service Sitzung Software Spielplatz Stadt Station
    Stelle Steuer Strategie Straße Strom System Technik Umbau Umwelt Unterhaltung Verein
    Verfahren Vergabe Verkehr Verordnung Versorgung Vertrag Verwaltung Wald Wasser Weg Wirtschaft
    Wohnung Zentrum Zuschuss
"""
# Bare prefixes of verbs and nouns: what stands before a head must be more than one of these.
_PREFIXES = """
    ab an auf aus be bei dar durch ein ent er fort ge gegen her hin hinter miss mit nach neben
    uber um un unter ur ver vor weg wider zer zu zuruck zusammen
"""
# Linking elements between the parts of a compound, longest first.
_FUGEN = ("es", "en", "er", "s", "n", "e")
HEAD_MIN = 4
LEFT_MIN = 3


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    from lotse.search import text

    return frozenset(text.stem(w) for w in text.words(_HEADS) if len(text.stem(w)) >= HEAD_MIN)


PREFIXES = frozenset(_PREFIXES.split())


def _is_left_part(left: str) -> bool:
    """Whether ``left`` (folded) can be the first part of a compound."""
    candidates = [left] + [left[: -len(f)] for f in _FUGEN if left.endswith(f)]
    return any(
        len(c) >= LEFT_MIN and c not in PREFIXES and any(v in c for v in "aeiouy")
        for c in candidates
    )


@lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The stems of the known heads that the folded ``word`` ends with, outermost first, not
    counting the word itself: "radwegekonzept" → ("konzept", "weg")."""
    from lotse.search import text

    heads = _heads()
    found: list[str] = []
    # The longest head first ("Netzwerk" before "Werk"); then the part before it, split again.
    for start in range(LEFT_MIN, len(word) - HEAD_MIN + 1):
        head = text.stem(word[start:])
        if head in heads and _is_left_part(word[:start]):
            found.append(head)
            left = word[:start]
            for fuge in ("", *_FUGEN):
                if fuge and not left.endswith(fuge):
                    continue
                inner = left[: len(left) - len(fuge)]
                if inner_parts := parts(inner):
                    found.extend(inner_parts)
                    break
                if inner != left and text.stem(inner) in heads:
                    found.append(text.stem(inner))
                    break
            break
    return tuple(dict.fromkeys(found))


def split_terms(words: list[str]) -> str:
    """The heads of every word of ``words`` (folded), separated by spaces, each once."""
    found: dict[str, None] = {}
    for word in words:
        if len(word) >= LEFT_MIN + HEAD_MIN:
            for head in parts(word):
                found[head] = None
    return " ".join(found)
