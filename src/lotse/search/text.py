"""How the search reads German, on both databases alike.

Text is folded in Python (lower case, ä/ae→a, ö/oe→o, ü/ue→u, ß→ss, other accents dropped,
German stop words removed) and every word is stemmed with Snowball's German algorithm — the
one behind PostgreSQL's ``german`` dictionary — before it reaches the database. PostgreSQL
then keeps the stems in a ``simple`` tsvector and SQLite in an FTS5 table, so both databases
see the very same words and give the same answers; no database dictionary is involved.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# A query of more words than this is cut: each word costs a lookup.
MAX_QUERY_WORDS = 12
# Terms whose stem is at least this long also match as the start of a longer word, so the
# first part of a German compound finds it: "Radweg" finds "Radwegekonzept".
PREFIX_MIN = 4

# German stop words (Snowball's list), folded like the text.
_STOP_WORDS = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass
    dasselbe dazu dein deine deinem deinen deiner deines dem demselben den denn denselben der
    derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem
    diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig einige
    einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures
    fuer gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr
    ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem
    jenen jener jenes jetzt kann kein keine keinem keinen keiner keines koennen koennte machen
    man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mich mir
    mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen
    seiner seines selbst sich sie sind so solche solchem solchen solcher solches soll sollte
    sondern sonst ueber um und uns unsere unserem unseren unser unseres unter viel vom von vor
    waehrend war waren warst was weg weil weiter welche welchem welchen welcher welches wenn
    werde werden wie wieder will wir wird wirst wo wollen wollte wuerde wuerden zu zum zur zwar
    zwischen
    """

# Letters and digits only (no underscore), the same tokens both databases' tokenizers keep.
WORD = re.compile(r"[^\W_]+")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
# "ae", "oe", "ue" written for ä, ö, ü (but not the "ue" of "Quelle").
_WRITTEN_OUT = re.compile(r"ae|oe|(?<!q)ue")


def fold(text: str) -> str:
    """Lower case without umlauts or accents, whichever way they were typed: "Bürger" and
    "Buerger" → "burger", "Straße" and "Strasse" → "strasse"."""
    text = _WRITTEN_OUT.sub(lambda m: m.group()[0], text.lower()).translate(_UMLAUTS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS.split())


def words(text: str) -> list[str]:
    """The folded words of ``text`` that carry meaning (no stop words, no single letters)."""
    return [w for w in WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


_stemmers = threading.local()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word."""
    stemmer = getattr(_stemmers, "german", None)
    if stemmer is None:
        stemmer = _stemmers.german = snowballstemmer.stemmer("german")
    return fold(stemmer.stemWord(word))


def terms(text: str, limit: int | None = None) -> str:
    """The stems of ``text`` as the index keeps them, separated by spaces."""
    found = words(text if limit is None else text[:limit])
    return " ".join(stem(w) for w in found)


def compound_parts(text: str, limit: int | None = None) -> str:
    """The stems of the later parts of the compounds in ``text`` ("Konzept" of
    "Radwegekonzept"), each once, separated by spaces (see lotse.search.compounds)."""
    from lotse.search.compounds import split_terms

    return split_terms(words(text if limit is None else text[:limit]))


# "24/0578", "0578/24", "A-12/2025", "567/24": a Drucksachen- or Beschlussnummer.
REFERENCE = re.compile(r"^[\w.-]*\d[\w.-]*/[\w./-]*$")


def reference_token(reference: str) -> str:
    """One token for a reference however its numbers are padded: "24/0578" and "24/578"
    → "r24x578"."""
    parts = [p.lstrip("0") or "0" if p.isdigit() else fold(p) for p in WORD.findall(reference)]
    return "r" + "x".join(parts) if parts else ""


@dataclass
class Query:
    """What someone typed, taken apart: stems (each matched as a word, or as the start of one
    when long enough), quoted phrases (stems in this order) and reference numbers."""

    stems: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the folded words typed, for "did you mean"

    def __bool__(self) -> bool:
        return bool(self.stems or self.phrases or self.references)

    @property
    def highlight(self) -> list[str]:
        """Every stem to mark in a snippet."""
        return [*self.stems, *(s for phrase in self.phrases for s in phrase)]


_PHRASE = re.compile(r'"([^"]*)"')


def parse(q: str) -> Query:
    """Take ``q`` apart. Everything typed reaches the databases only as stems of letters and
    digits, so no query syntax can be injected."""
    query = Query()
    q = q[:500]
    for found in _PHRASE.findall(q):
        phrase = [stem(w) for w in words(found)][:MAX_QUERY_WORDS]
        if len(phrase) > 1:
            query.phrases.append(phrase)
        elif phrase:
            query.stems.append(phrase[0])
    rest = _PHRASE.sub(" ", q)
    for chunk in rest.split():
        if REFERENCE.match(chunk) and (token := reference_token(chunk)):
            query.references.append(token)
            continue
        for word in words(chunk):
            query.words.append(word)
            query.stems.append(stem(word))
    query.stems = list(dict.fromkeys(query.stems))[:MAX_QUERY_WORDS]
    query.references = list(dict.fromkeys(query.references))[:MAX_QUERY_WORDS]
    return query


def distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance of two short words, or ``limit`` once it is that large."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)
