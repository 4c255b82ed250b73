"""Recognise a council paper (Vorlage / Drucksache) in an export of an old system.

Pure functions, no database: :func:`extract` turns a file's bytes into plain text (PDF text
layer, DOCX, ODT, HTML, Markdown, plain text), :func:`normalise` removes Markdown/HTML noise
while keeping ticked checkboxes as ``[x]``, and :func:`recognise` finds the paper's fields by
their labels and their usual synonyms. Every field carries a confidence (0–1) and the span
(start, end) of the normalised text it came from, so a review page can highlight it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

MAX_PAGES = 300
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_CHARS = 500_000


class RecognitionError(ValueError):
    """A file whose text cannot be read; the message is for the person importing."""


# Extraction


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise RecognitionError(_("The PDF file is encrypted; its text cannot be read."))
        parts = []
        for index, page in enumerate(reader.pages):
            if index >= MAX_PAGES:
                break
            parts.append(page.extract_text() or "")
    except (PdfReadError, OSError, ValueError, KeyError) as error:
        if isinstance(error, RecognitionError):
            raise
        raise RecognitionError(_("The PDF file is damaged and cannot be read.")) from error
    text = "\n".join(parts)
    if len(re.findall(r"[A-Za-zÄÖÜäöüß]", text)) < 20:
        raise RecognitionError(
            _(
                "The PDF file has no text layer (probably a scan). Please run text "
                "recognition (OCR) on it first and upload it again."
            )
        )
    return text


OFFICE_RULES = (
    # A paragraph that ends a table cell does not end the row.
    (re.compile(r"</(?:w:p|text:p)>(?=\s*</(?:w:tc|table:table-cell)>)"), ""),
    (re.compile(r"</(?:w:tc|table:table-cell)>"), "\t"),
    (re.compile(r"</(?:w:tr|table:table-row)>"), "\n"),
    (re.compile(r"</(?:w:p|text:p|text:h)>|<(?:w:br|w:cr|text:line-break)\b[^>]*>"), "\n"),
    (re.compile(r"<(?:w:tab|text:tab)\b[^>]*/?>"), "\t"),
    (re.compile(r'<w14:checked\s+w14:val="(?:1|true)"\s*/>'), "[x] "),
    (re.compile(r'<w14:checked\s+w14:val="(?:0|false)"\s*/>'), "[ ] "),
    (re.compile(r"<[^>]*>"), ""),
)


def _office_text(data: bytes, member: str) -> str:
    """The words of a DOCX or ODT body with tables as tab-separated rows. No XML parser runs
    (no entity expansion); the member is read only up to a fixed size (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
            xml = stream.read(MAX_XML_BYTES).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise RecognitionError(_("The document is damaged and cannot be read.")) from error
    for pattern, replacement in OFFICE_RULES:
        xml = pattern.sub(replacement, xml)
    return html.unescape(xml)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RecognitionError(_("The text file is in an unknown encoding."))


def extract(data: bytes, file_name: str = "") -> str:
    """The raw text of an export; a German :class:`RecognitionError` when there is none."""
    name = file_name.lower()
    if data[:5] == b"%PDF-":
        text = _pdf_text(data)
    elif data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise RecognitionError(_("The document is damaged and cannot be read.")) from error
        if "word/document.xml" in names:
            text = _office_text(data, "word/document.xml")
        elif "content.xml" in names:
            text = _office_text(data, "content.xml")
        else:
            raise RecognitionError(_("Only PDF, DOCX, ODT, HTML and text files can be read."))
    elif b"\x00" in data[:4096] or name.endswith((".doc", ".rtf", ".xls")):
        raise RecognitionError(_("Only PDF, DOCX, ODT, HTML and text files can be read."))
    else:
        text = _decode(data)
    text = text.replace("\x00", "")[:MAX_CHARS]
    if not text.strip():
        raise RecognitionError(_("The file holds no text."))
    return text


# Normalisation

CHECKED_INPUT = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.I)
INPUT = re.compile(r"<input\b[^>]*>", re.I)
DROPPED = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.I | re.S)
LINE_TAGS = re.compile(r"<br\s*/?>|</(?:p|div|tr|h[1-6]|table|ul|ol|section|article)\s*>", re.I)
ITEM_TAG = re.compile(r"<li\b[^>]*>", re.I)
CELL_END = re.compile(r"</t[dh]\s*>", re.I)
BLOCK_TAG = re.compile(r"<(?:p|div|td|tr|br|table|li|h[1-6])\b[^>]*>", re.I)
ANY_TAG = re.compile(r"</?[A-Za-z!][^>]*>")
CHECKED_CHARS = re.compile(r"[☒☑✔✓⊠■✗✘]")
UNCHECKED_CHARS = re.compile(r"[☐□]")
MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def normalise(raw: str) -> str:
    """Plain text without Markdown/HTML markup: table cells become tabs, checkboxes ``[x]`` or
    ``[ ]``, emphasis and heading marks go, spaces are tidied; line structure stays."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = DROPPED.sub("", text)
    if BLOCK_TAG.search(text):
        # Real HTML: its line breaks are only spaces; the block tags make the lines.
        text = re.sub(r"\s+", " ", text)
    text = CHECKED_INPUT.sub("[x] ", text)
    text = INPUT.sub("[ ] ", text)
    text = LINE_TAGS.sub("\n", text)
    text = ITEM_TAG.sub("\n- ", text)
    text = CELL_END.sub("\t", text)
    text = ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = CHECKED_CHARS.sub("[x]", text)
    text = UNCHECKED_CHARS.sub("[ ]", text)
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text).replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"\*\*|__", "", text)
    lines = []
    for line in text.split("\n"):
        if MD_TABLE_RULE.match(line) and "-" in line:
            continue
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            line = "\t".join(cell.strip() for cell in stripped.strip("|").split("|"))
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*+]\s+\[([ xX])\]", lambda m: f"[{m[1].lower()}]", line)
        line = re.sub(r"[ ]{2,}(?=\S)", lambda m: "\t" if len(m[0]) >= 4 else " ", line.strip())
        lines.append(line.strip(" \t") if "\t" not in line.strip() else line.strip(" "))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Recognition results


@dataclass
class Found:
    value: object
    confidence: float
    start: int
    end: int


@dataclass
class ConsultationGuess:
    organization: str
    date: str | None  # ISO date
    role: str  # vorberatung / entscheidung / kenntnisnahme
    is_public: bool
    agenda_item: str
    start: int
    end: int
    confidence: float


@dataclass
class ImpactBlock:
    kind: str  # finanziell / personell / klima / inklusion / sonstige
    text: str
    ticked: list[str]
    start: int
    end: int
    confidence: float


@dataclass
class Recognition:
    text: str
    fields: dict[str, Found] = field(default_factory=dict)
    consultations: list[ConsultationGuess] = field(default_factory=list)
    impacts: list[ImpactBlock] = field(default_factory=list)

    def value(self, name: str):
        found = self.fields.get(name)
        return found.value if found else None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Recognition:
        return cls(
            text=data["text"],
            fields={k: Found(**v) for k, v in data.get("fields", {}).items()},
            consultations=[ConsultationGuess(**c) for c in data.get("consultations", [])],
            impacts=[ImpactBlock(**i) for i in data.get("impacts", [])],
        )


# Vocabulary

MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
DATE = (
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\.\s*(?:" + "|".join(MONTHS) + r")\s+\d{4})"
)
DATE_RE = re.compile(DATE, re.I)

REFERENCE_VALUE = r"((?:[A-ZÄÖÜ]{1,6}[ /-]?)?\d[\dA-Za-z/.\-]*[\dA-Za-z])"
REFERENCE_LABEL = re.compile(
    r"(?<![\w-])(?:Beschluss|Sitzungs|Mitteilungs|Informations)?(?:vorlagen?|Vorlagen?|Drucksachen?|"
    r"Drucks|Drs|DS|Ds|Vorl|Antrags?|Anfrage)\.?(?:[\s-]*(?:Nr|Nummer|No|Nº)\.?)\s*[:.]?\s*"
    + REFERENCE_VALUE
    + r"|(?<![\w-])(?:Vorlage|Drucksache|Aktenzeichen|Az)\s*[:.]\s*"
    + REFERENCE_VALUE,
)
DATE_LABEL = re.compile(
    r"(?<![\w-])(?:Datum|Vorlagedatum|Erstelldatum|Erstellt am|Ausfertigungsdatum|Stand|vom)"
    r"\s*[:.]?\s*(" + DATE + ")",
    re.I,
)
DECISION_NUMBER = re.compile(
    r"(?<![\w-])Beschluss[\s-]*(?:Nr|Nummer|No)\.?\s*[:.]?\s*" + REFERENCE_VALUE
)

TYPES = (
    (r"(?:Beschluss)?vorlage\s+zur\s+Kenntnisnahme|zur\s+Kenntnisnahme", "mitteilungsvorlage"),
    (r"Beschlussvorlage|Verwaltungsvorlage|Entscheidungsvorlage", "beschlussvorlage"),
    (r"Mitteilungsvorlage|Informationsvorlage|Mitteilung|Information", "mitteilungsvorlage"),
    (r"Ergänzungsvorlage|Ergänzung", "ergaenzungsvorlage"),
    (r"Sachstandsbericht", "sachstandsbericht"),
    (r"Stellungnahme", "stellungnahme"),
    (r"(?:Änderungs|Dringlichkeits|Fraktions|Ergänzungs)?[Aa]ntrag", "antrag"),
    (r"(?:Große |Kleine )?Anfrage", "anfrage"),
    (r"Sitzungsvorlage|Vorlage|Drucksache", "sitzungsvorlage"),
)
TYPE_LINE = re.compile(
    r"^(?:(?:öffentliche|nicht ?öffentliche|nichtöffentliche)\s+)?("
    + "|".join(p for p, _ in TYPES)
    + r")\b[^\n]{0,40}$",
    re.I | re.M,
)
TYPE_LABEL = re.compile(
    r"^(?:Vorlagenart|Art der Vorlage|Vorlagentyp|Dokumentart|Vorlage|Art)\s*:\s*([^\n]+)$",
    re.I | re.M,
)

# Section headings: a line that holds the label (optionally with more labels joined by "/" or
# "und"), optionally a colon and, for some, text that already belongs to the section.
SECTIONS = {
    "consultations": (
        r"Beratungsfolge|Beratungsweg|Beratungsreihenfolge|Beratungsgang|Gremienfolge|Gremienweg"
        r"|Gremium|Sitzungsdatum und Gremium|Gremium und Sitzungsdatum|Zuständige Gremien"
    ),
    "subject": r"Betreff|Gegenstand|Tagesordnungspunkt|Thema|Titel",
    "proposal": (
        r"Beschlussvorschlag|Beschlussentwurf|Beschlussempfehlung|Beschlussantrag"
        r"|Empfehlung der Verwaltung|Vorschlag der Verwaltung|Entscheidungsvorschlag"
    ),
    "reasoning": (
        r"Sachverhalt|Begründung|Erläuterungen?|Sachdarstellung|Sach- und Rechtslage"
        r"|Darstellung des Sachverhalte?s|Problembeschreibung|Ausgangslage"
    ),
    "decision": r"Beschluss|Beschlusstext|Beschlussfassung|Ergebnis|Beschlussergebnis",
    "vote": r"Abstimmung(?:sergebnis)?(?: zur Vorlage)?|Stimmenverhältnis",
    "attachments": r"Anlagen?|Anhang|Anhänge",
    "follow_up": r"Beschlusskontrolle|Wiedervorlage",
    "unit": (
        r"Federführung|Federführendes Amt|Fachbereich|Fachdienst|Fachamt|Amt|Dezernat"
        r"|Geschäftsbereich|Organisationseinheit|Einbringer|Einreicher(?:in)?|Verfasser(?:in)?"
        r"|Vorlage von|Absender|Abteilung|Referat"
    ),
    "reporter": r"Berichterstatter(?:in)?|Berichterstattung|Vortragende[r]?|Referent(?:in)?",
}
ONE_LINE = {"decision", "vote", "unit", "reporter"}
# "Beschlussvorschlag der Verwaltung", "Begründung des Antrags", "Beschluss des Rates".
QUALIFIER = r"(?:\s+(?:der|des|zum|zur|für|im|zu)\s+[\wäöüß-]+(?:\s+[\wäöüß-]+)?)?"
QUALIFIED = {"proposal", "reasoning", "consultations", "decision", "vote"}
HEADING = {
    kind: re.compile(
        r"^(?:[IVX]+\.|\d+\.|[A-Z]\.)?\s*(?:" + labels + r")(?:\s*(?:/|und|,)\s*(?:"
        r"Sachverhalt|Begründung|Erläuterungen?|Sachdarstellung))*"
        + (QUALIFIER if kind in QUALIFIED else "")
        + r"\s*(?::\s*(.*)|((?:\t|\s+(?="
        r"(?:Sitzungstermin|Sitzungsdatum|Datum|Gremium|Behandlung|Zuständigkeit|Status|TOP"
        r"|Rolle|Termin)\b)).*)|)$",
        re.I,
    )
    for kind, labels in SECTIONS.items()
}
IMPACT_KINDS = (
    ("finanziell", r"finanziell|haushalt|kosten|finanzierung"),
    ("personell", r"personell|stellenplan"),
    ("klima", r"klima|umwelt|nachhaltig"),
    ("inklusion", r"inklusion|barrierefrei|behinderung"),
    ("gleichstellung", r"gleichstellung"),
)
IMPACT_LINE = re.compile(
    r"^(?:[-*]\s*|\[[ x]\]\s*)?[^\n]{0,60}(?:auswirkung|haushaltsneutral|inklusionsrelevant|"
    r"klimarelevan|auswirkungen auf)[^\n]{0,80}$",
    re.I,
)
SIGNATURE_ROLE = re.compile(
    r"^(?:(?:Der|Die)\s+(?:Ober)?[Bb]ürgermeister(?:in)?|(?:Der|Die)\s+Landr(?:at|ätin)"
    r"|In Vertretung|Im Auftrag|i\.\s?V\.|i\.\s?A\.|gez\.|Unterschrift)\b.{0,40}$",
)
STOPS = re.compile(
    r"^(?:In der Sitzung d|Beschluss-?Nr|Anlagen?\s*:|Unterschrift|Mitzeichnung|Sichtvermerk)",
    re.I,
)
NAME_LINE = re.compile(
    r"^(?:gez\.\s*)?-?\s*(?:(?:Dr|Prof)\.\s*)*(?!(?:Der|Die|Das|Den|Dem|Im|In|Zur|Zum|Mit|Für)\b)"
    r"[A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+){1,3}\s*-?$"
)
OUTCOMES = (
    (r"ungeändert|unverändert|wie vorgeschlagen", "ungeaendert"),
    (r"geändert beschlossen|mit Änderung", "geaendert"),
    (r"abgelehnt", "abgelehnt"),
    (r"vertagt|zurückgestellt", "vertagt"),
    (r"zur Kenntnis genommen|Kenntnis genommen", "kenntnis"),
    (r"verwiesen", "verwiesen"),
    (r"zurückgezogen", "zurueckgezogen"),
    (r"beschlossen|angenommen|zugestimmt|bestätigt", "beschlossen"),
)
ORGANIZATION_WORDS = re.compile(
    r"ausschuss|rat\b|rates\b|beirat|bezirksvertretung|kommission|kreistag|versammlung"
    r"|gremium|vertretung|konferenz|senat|präsidium",
    re.I,
)


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        m = re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2,4})", value)
        if m:
            year = int(m[3])
            year += 2000 if year < 70 else (1900 if year < 100 else 0)
            return dt.date(year, int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\.\s*(\w+)\s+(\d{4})", value)
        if m and m[2].lower() in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None


# Lines and sections


@dataclass
class Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


@dataclass
class Section:
    kind: str
    line: int  # index of the heading line
    start: int  # where the body starts in the text
    inline: bool


def _heading(line: str) -> tuple[str, int] | None:
    """The section kind of a heading line and where its body starts within the line."""
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    offset = len(line) - len(line.lstrip())
    for kind, pattern in HEADING.items():
        m = pattern.match(stripped)
        if not m:
            continue
        if kind == "decision" and re.match(r"Beschluss[\s-]*(?:Nr|Nummer)", stripped, re.I):
            return None
        if m.group(1):
            return kind, offset + m.start(1)
        if m.group(2):  # a table header row: the rows follow
            return kind, len(line)
        return kind, len(line)
    return None


def _impact_kind(line: str) -> str | None:
    if len(line) > 160 or not IMPACT_LINE.match(line.strip()):
        return None
    low = line.lower()
    for kind, words in IMPACT_KINDS:
        if re.search(words, low):
            return kind
    return None


def _sections(lines: list[Line]) -> list[Section]:
    sections: list[Section] = []
    current = None
    for index, line in enumerate(lines):
        found = _heading(line.text)
        if found:
            kind, at = found
            inline = at < len(line.text) and bool(line.text[at:].strip())
            sections.append(Section(kind, index, line.start + at, inline))
            current = kind
            continue
        impact = _impact_kind(line.text)
        if impact:
            kind = "impact:" + impact
            if current != kind:
                sections.append(Section(kind, index, line.start, True))
                current = kind
            continue
        if SIGNATURE_ROLE.match(line.text.strip()) or STOPS.match(line.text.strip()):
            sections.append(Section("stop", index, line.start, True))
            current = "stop"
    return sections


def _body(text: str, lines: list[Line], sections: list[Section], i: int) -> tuple[int, int]:
    """The span of section i's body: to the end of its line for one-line kinds, else to the
    next section, without surrounding blank space."""
    section = sections[i]
    if section.kind in ONE_LINE and section.inline:
        end = lines[section.line].end
    else:
        end = lines[sections[i + 1].line].start if i + 1 < len(sections) else len(text)
    return _trim(text, section.start, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trim_trailing_names(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut short trailing lines without sentence punctuation (a signature, a stray heading)
    from a block of prose."""
    while True:
        cut = text.rfind("\n", start, end)
        if cut < 0:
            return start, end
        last = text[cut + 1 : end].strip()
        words = last.split()
        if 0 < len(words) <= 5 and not re.search(r"[.:;,!?)]$", last) and NAME_LINE.match(last):
            start, end = _trim(text, start, cut)
            continue
        if 0 < len(words) <= 3 and not re.search(r"[.:;,!?)€]$", last) and last[0].isupper():
            start, end = _trim(text, start, cut)
            continue
        return start, end


# Recognisers


def recognise(raw: str) -> Recognition:
    """All fields found in one paper's text (raw export text; it is normalised first)."""
    text = normalise(raw)
    result = Recognition(text=text)
    fields = result.fields
    lines = _lines(text)
    sections = _sections(lines)
    head_end = min(
        [lines[s.line].start for s in sections if s.kind in ("proposal", "reasoning")]
        or [len(text)]
    )

    m = REFERENCE_LABEL.search(text)
    if m:
        group = 1 if m.group(1) else 2
        fields["reference"] = Found(m.group(group).strip(), 0.9, m.start(group), m.end(group))

    m = DATE_LABEL.search(text)
    if m and parse_date(m[1]):
        fields["date"] = Found(parse_date(m[1]).isoformat(), 0.9, m.start(1), m.end(1))
    else:
        for line in lines:
            if line.start > min(head_end, 1500):
                break
            dm = DATE_RE.search(line.text)
            if ORGANIZATION_WORDS.search(line.text) or re.search(
                r"beratung|entscheid|kenntnis|sitzung", line.text, re.I
            ):
                continue  # a step of the Beratungsfolge, not the paper's date
            if dm and len(line.text.strip()) <= 60 and parse_date(dm[0]):
                start = line.start + dm.start()
                fields["date"] = Found(
                    parse_date(dm[0]).isoformat(), 0.5, start, start + len(dm[0])
                )
                break

    for i, section in enumerate(sections):
        start, end = _body(text, lines, sections, i)
        kind = section.kind
        if kind == "subject" and "subject" not in fields and end > start:
            para = text.find("\n\n", start, end)
            stop = para if para > 0 else end
            stop = min(stop, start + 500)
            fields["subject"] = Found(" ".join(text[start:stop].split()), 0.9, start, stop)
        elif kind in ("proposal", "reasoning") and kind not in fields and end > start:
            start, end = _trim_trailing_names(text, start, end)
            fields[kind] = Found(text[start:end], 0.9, start, end)
        elif kind in ("unit", "reporter") and kind not in fields and end > start:
            fields[kind] = Found(text[start:end].strip(), 0.85, start, end)
        elif kind == "consultations":
            result.consultations.extend(_consultations(text, lines, section, end))
        elif kind == "decision" and end > start:
            body = text[start:end]
            outcome = _outcome(body) if len(body) < 80 else None
            if outcome and "outcome" not in fields:
                fields["outcome"] = Found(outcome, 0.85, start, end)
            elif "decision_text" not in fields and len(body) >= 80:
                fields["decision_text"] = Found(body, 0.8, start, end)
        elif kind == "vote" and end > start:
            _vote(text[start:end], start, fields)
            outcome = _outcome(text[start:end])
            if outcome and "outcome" not in fields:
                fields["outcome"] = Found(outcome, 0.6, start, end)
        elif kind.startswith("impact:"):
            start = lines[section.line].start
            block = text[start:end]
            ticked = [
                " ".join(t.split()) for t in re.findall(r"\[x\]\s*([^\n\[]+)", block) if t.strip()
            ]
            has_boxes = "[ ]" in block or bool(ticked)
            result.impacts.append(
                ImpactBlock(
                    kind.split(":")[1], block, ticked, start, end, 0.8 if has_boxes else 0.5
                )
            )
        elif kind == "attachments" and end > start and "attachments" not in fields:
            items = [
                re.sub(r"^[-*\d.)\s]+", "", ln).strip()
                for ln in text[start:end].split("\n")
                if ln.strip()
            ]
            fields["attachments"] = Found(items[:50], 0.7, start, end)
        elif kind == "follow_up" and end > start and "follow_up" not in fields:
            body = text[start:end]
            wanted = bool(re.search(r"\[x\]\s*ja|^ja\b|erforderlich", body, re.I | re.M))
            fields["follow_up"] = Found({"wanted": wanted, "text": body[:300]}, 0.6, start, end)

    m = DECISION_NUMBER.search(text)
    if m:
        fields["decision_number"] = Found(m[1], 0.9, m.start(1), m.end(1))
    if "vote" not in fields:
        vm = re.search(r"\b(einstimmig|mehrheitlich)\b", text, re.I)
        if vm and ("outcome" in fields or "decision_text" in fields):
            fields["vote"] = Found(vm[1].lower(), 0.6, vm.start(1), vm.end(1))

    _type(text, head_end, result)
    _unclaimed_reasoning(text, lines, sections, result)
    _signature(text, lines, result)
    return result


def _outcome(body: str) -> str | None:
    for words, value in OUTCOMES:
        if re.search(words, body, re.I):
            return value
    return None


def _vote(body: str, start: int, fields: dict) -> None:
    m = re.search(r"einstimmig|mehrheitlich|\d+\s*(?:Ja|Nein)", body, re.I)
    if m and "vote" not in fields:
        value = "einstimmig" if m[0].lower() == "einstimmig" else " ".join(body.split())
        fields["vote"] = Found(value, 0.8, start + m.start(), start + m.end())


def _type(text: str, head_end: int, result: Recognition) -> None:
    fields = result.fields
    head = text[: max(head_end, 0) or 2000][:3000]
    raw, confidence, start, end = None, 0.0, 0, 0
    m = TYPE_LABEL.search(head)
    if m:
        raw, confidence, start, end = m[1].strip(), 0.9, m.start(1), m.end(1)
    else:
        m = TYPE_LINE.search(head)
        if m:
            raw, confidence, start, end = m[1], 0.85, m.start(1), m.end(1)
    value = None
    if raw:
        for pattern, kind in TYPES:
            if re.search(pattern, raw, re.I):
                value = kind
                break
    if re.search(r"zur\s+Kenntnisnahme", head, re.I) and value in (None, "sitzungsvorlage"):
        k = re.search(r"zur\s+Kenntnisnahme", head, re.I)
        value, confidence, start, end = "mitteilungsvorlage", 0.7, k.start(), k.end()
    roles = {c.role for c in result.consultations}
    if value in (None, "sitzungsvorlage"):
        if roles == {"kenntnisnahme"}:
            value, confidence = "mitteilungsvorlage", min(confidence or 0.6, 0.6)
        elif "proposal" in fields:
            value, confidence = "beschlussvorlage", 0.7 if raw else 0.5
            if not raw:
                start, end = fields["proposal"].start, fields["proposal"].start
        elif raw:
            value, confidence = "mitteilungsvorlage", 0.5
    if value:
        fields["paper_type"] = Found(value, confidence, start, end)


def _unclaimed_reasoning(text: str, lines, sections, result: Recognition) -> None:
    """Without a Sachverhalt heading, the first long stretch of prose that no section claims
    is taken as the reasoning (with low confidence)."""
    if "reasoning" in result.fields:
        return
    claimed: list[tuple[int, int]] = []
    for i, section in enumerate(sections):
        start, end = _body(text, lines, sections, i)
        if section.kind == "stop":
            end = len(text) if i + 1 == len(sections) else lines[sections[i + 1].line].start
        claimed.append((lines[section.line].start, end))
    for found in result.fields.values():
        claimed.append((found.start, found.end))
    claimed.sort()
    position = 0
    gaps = []
    for start, end in [*claimed, (len(text), len(text))]:
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    for start, end in gaps:
        # Skip short header lines at the gap's start (a type or a date above the prose).
        start, end = _trim(text, start, end)
        if len(re.findall(r"[a-zäöüß]", text[start:end])) >= 300:
            start, end = _trim_trailing_names(text, start, end)
            result.fields["reasoning"] = Found(text[start:end], 0.4, start, end)
            return


def _signature(text: str, lines: list[Line], result: Recognition) -> None:
    """A name below a signing role ("Der Bürgermeister"), else a lone name line right after
    the reasoning or the decision proposal."""
    for index, line in enumerate(lines):
        if SIGNATURE_ROLE.match(line.text.strip()):
            for following in lines[index + 1 : index + 6]:
                name = following.text.strip()
                if NAME_LINE.match(name):
                    clean = re.sub(r"^(?:gez\.\s*)?-?\s*|\s*-$", "", name)
                    start = following.start + following.text.index(clean)
                    result.fields["signature"] = Found(clean, 0.8, start, start + len(clean))
                    return
    for name in ("reasoning", "proposal"):
        found = result.fields.get(name)
        if not found:
            continue
        following = [ln for ln in lines if ln.start > found.end and ln.text.strip()][:1]
        for line in following:
            clean = line.text.strip()
            if NAME_LINE.match(clean) and not SIGNATURE_ROLE.match(clean):
                clean = re.sub(r"^(?:gez\.\s*)?-?\s*|\s*-$", "", clean)
                start = line.start + line.text.index(clean)
                result.fields["signature"] = Found(clean, 0.5, start, start + len(clean))
                return


# Beratungsfolge

ROLE_WORDS = (
    (r"kenntnis|information|mitteilung", "kenntnisnahme"),
    (r"vorberat|beratung|vorbereitend|anhörung|empfehlung", "vorberatung"),
    (r"entscheid|beschluss|beschließend|abschließend|zuständig", "entscheidung"),
)
NON_PUBLIC = re.compile(r"nicht\s*-?\s*öffentlich|nichtöffentlich|\bn\.?\s?ö\.?(?!\w)|\bNÖ\b", re.I)
PUBLIC = re.compile(r"öffentlich|\bÖ\b", re.I)
HEADER_WORDS = re.compile(
    r"^(?:Gremium|Sitzungstermin|Datum|Behandlung|Zuständigkeit|Status|Beratung|Termin|TOP"
    r"|Sitzung|Rolle|Art|Beratungsfolge|Öffentlichkeit)$",
    re.I,
)


def _consultations(text: str, lines: list[Line], section: Section, end: int):
    found = []
    index = section.line + 1
    started = False
    while index < len(lines) and lines[index].start < end:
        line = lines[index]
        index += 1
        raw = line.text.strip()
        if not raw:
            continue
        guess = _consultation_row(raw)
        if guess is None:
            if started:
                break
            continue
        started = True
        offset = line.start + line.text.index(raw)
        guess.start, guess.end = offset, offset + len(raw)
        found.append(guess)
    return found


def _consultation_row(raw: str) -> ConsultationGuess | None:
    cells = [c.strip() for c in re.split(r"\t|\s\|\s|;", raw) if c.strip()]
    if not cells or all(HEADER_WORDS.match(c) for c in cells):
        return None
    date_match = DATE_RE.search(raw)
    organization = cells[0]
    if len(cells) == 1 and date_match:  # cells joined by single spaces (a PDF text layer)
        organization = raw[: date_match.start()].strip()
        if not organization:
            after = raw[date_match.end() :]
            cut = re.search(
                r"\b(?:öffentlich|nicht|Vorberatung|Entscheidung|Kenntnisnahme|TOP)", after
            )
            organization = after[: cut.start() if cut else None].strip()
        cells = [organization, raw[len(organization) :]] if organization else cells
    if DATE_RE.fullmatch(organization):  # date first
        organization = next((c for c in cells[1:] if ORGANIZATION_WORDS.search(c)), "")
    organization = re.sub(r"\s*\((?:[^)]*)\)\s*$", "", organization).strip(" -–:")
    if not organization or not (date_match or ORGANIZATION_WORDS.search(organization)):
        return None
    if HEADER_WORDS.match(organization):
        return None
    role = ""
    low = raw.replace(organization, " ", 1).lower()
    for words, value in ROLE_WORDS:
        if re.search(words, low):
            role = value
            break
    is_public = not (NON_PUBLIC.search(raw) or any(c.upper() in ("N", "NÖ", "NOE") for c in cells))
    top = re.search(r"\bTOP\s*:?\s*([\w.]+)", raw)
    date = parse_date(date_match[0]) if date_match else None
    confidence = 0.9 if date and role else 0.6
    return ConsultationGuess(
        organization=organization,
        date=date.isoformat() if date else None,
        role=role or "vorberatung",
        is_public=is_public,
        agenda_item=top[1] if top else "",
        start=0,
        end=0,
        confidence=confidence,
    )
