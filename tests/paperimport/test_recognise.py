"""Recognition of papers: each sample file pinned field by field, and synthetic variants with
other labels, HTML tables, Markdown tables, tabs and ticked checkboxes."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.paperimport.recognise import RecognitionError, extract, normalise, recognise

from .samples import SKIP_REASON, samples_dir


def sample(name: str):
    folder = samples_dir()
    if folder is None:
        pytest.skip(SKIP_REASON)
    path = folder / name
    return recognise(extract(path.read_bytes(), path.name))


def spans_match(result):
    """Every field's span holds its value (for text values)."""
    for name, found in result.fields.items():
        if isinstance(found.value, str) and name not in ("paper_type", "outcome", "date"):
            assert result.text[found.start : found.end].strip() != "", name


def test_sample_001_beschlussentwurf_without_header():
    r = sample("001_2c5b73d19ea0aeb9.txt")
    assert r.value("reference") is None
    assert r.value("date") is None
    assert r.value("subject") is None
    assert r.value("paper_type") == "beschlussvorlage"
    assert r.fields["paper_type"].confidence <= 0.5
    proposal = r.value("proposal")
    assert proposal.startswith("1. Die Stadt Gladbeck beteiligt sich an dem Vestischen Digitalpakt")
    assert proposal.endswith("(ZIRE) aufgebracht.")
    reasoning = r.value("reasoning")
    assert reasoning.startswith("Dieses Ziel zu erreichen")
    assert reasoning.endswith(
        "über die Entwicklungen des Vestischen Digitalpakts berichtet werden."
    )
    assert r.fields["reasoning"].confidence < 0.5  # no heading: a guess
    assert r.value("signature") == "Bettina Weist"
    assert r.consultations == []
    assert [i.kind for i in r.impacts] == ["finanziell", "klima"]
    assert all(i.ticked == [] for i in r.impacts)  # the export lost the boxes
    assert r.value("outcome") is None and r.value("decision_number") is None
    assert r.text[r.fields["proposal"].start :].startswith("1. Die Stadt")
    spans_match(r)


def test_sample_002_sitzungsvorlage():
    r = sample("002_cd84caa8cd3642a8.txt")
    assert r.value("reference") == "21/0219"
    assert r.text[r.fields["reference"].start : r.fields["reference"].end] == "21/0219"
    assert r.value("date") == "2021-05-11"
    assert r.value("paper_type") == "beschlussvorlage"
    assert r.value("subject") == "Erarbeitung einer IT- und Digitalisierungsstrategie"
    assert r.value("proposal") == (
        "Der Haupt- und Digitalisierungsausschuss beauftragt die Verwaltung unter Einbindung "
        "des luK Arbeitskreises mit der Erarbeitung einer IT- und Digitalisierungsstrategie."
    )
    reasoning = r.value("reasoning")
    assert reasoning.startswith("Die Digitalisierung ist nicht nur ein Begriff")
    assert reasoning.endswith("einzelne Maßnahmen ableiten lassen.")
    assert r.value("signature") == "Dr. Max Leitterstorf"
    [step] = r.consultations
    assert step.organization == "Haupt- und Digitalisierungsausschuss"
    assert (step.date, step.role, step.is_public) == ("2021-06-02", "entscheidung", True)
    assert [i.kind for i in r.impacts] == ["finanziell", "inklusion"]
    assert r.value("outcome") is None
    spans_match(r)


def test_sample_004_with_decision():
    r = sample("004_00edcc0599b51224.txt")
    assert r.value("reference") is None
    assert r.value("subject") is None
    assert r.value("date") is None
    assert r.value("paper_type") == "beschlussvorlage"
    assert r.value("proposal").startswith("Der Stadtrat beschließt das in der Anlage")
    assert r.value("proposal").endswith("in der Haushaltsplanung zu berücksichtigen.")
    assert r.value("decision_text") == r.value("proposal")
    assert r.value("outcome") == "ungeaendert"
    assert r.value("vote") == "einstimmig"
    assert r.value("decision_number") == "567/24"
    assert r.value("reasoning").startswith("Die Digitalisierung von Verwaltungsleistungen")
    assert r.value("reasoning").endswith("ein gesondertes Papier erstellt werden.")
    assert r.consultations == []
    spans_match(r)


HTML_PAPER = """<html><head><style>p{}</style></head><body>
<h1>Mitteilungsvorlage</h1>
<p><b>Vorlagen-Nr.:</b> VO/2024/0578</p>
<p>Datum: 3. März 2024</p>
<p>Federführung: Amt für Stadtentwicklung</p>
<p>Berichterstattung: Frau Beispiel</p>
<h2>Beratungsfolge</h2>
<table><tr><th>Gremium</th><th>Datum</th><th>Zuständigkeit</th><th>Status</th></tr>
<tr><td>Ausschuss für Planung und Umwelt</td><td>12.03.2024</td><td>Kenntnisnahme</td>
<td>Ö</td></tr>
<tr><td>Rat der Stadt</td><td>21.03.2024</td><td>Kenntnisnahme</td><td>N</td></tr>
</table>
<h2>Gegenstand:</h2><p>Breitbandausbau &amp; Glasfaser 2024</p>
<h2>Sachverhalt:</h2><p>Der Ausbau schreitet voran.</p><p>Weitere Schritte folgen.</p>
<h2>Finanzielle Auswirkungen</h2>
<p><input type="checkbox" checked> keine</p><p><input type="checkbox"> folgende</p>
<h2>Anlagen:</h2><ul><li>Karte Ausbaugebiete</li><li>Zeitplan</li></ul>
</body></html>"""


def test_html_export_with_table_and_checkboxes():
    r = recognise(extract(HTML_PAPER.encode(), "paper.html"))
    assert r.value("reference") == "VO/2024/0578"
    assert r.value("date") == "2024-03-03"
    assert r.value("paper_type") == "mitteilungsvorlage"
    assert r.value("unit") == "Amt für Stadtentwicklung"
    assert r.value("reporter") == "Frau Beispiel"
    assert r.value("subject") == "Breitbandausbau & Glasfaser 2024"
    assert r.value("reasoning") == "Der Ausbau schreitet voran.\nWeitere Schritte folgen."
    assert [(c.organization, c.date, c.role, c.is_public) for c in r.consultations] == [
        ("Ausschuss für Planung und Umwelt", "2024-03-12", "kenntnisnahme", True),
        ("Rat der Stadt", "2024-03-21", "kenntnisnahme", False),
    ]
    [financial] = r.impacts
    assert financial.kind == "finanziell" and financial.ticked == ["keine"]
    assert r.value("attachments") == ["Karte Ausbaugebiete", "Zeitplan"]
    assert "<" not in r.text


MARKDOWN_PAPER = """# Drucksachen-Nr. 24/0578

**Vorlagenart:** Antrag der Fraktion Grün
Stand: 2024-09-01

## Beratungsfolge

| Gremium | Sitzung | Rolle | Öffentlichkeit |
|---|---|---|---|
| Bezirksvertretung Nord | 05.09.2024 | Vorberatung | öffentlich |
| Hauptausschuss | 19.09.2024 | Entscheidung | nicht öffentlich |

## Tagesordnungspunkt
Bebauungsplan Nord, 2. Änderung

## Beschlussempfehlung
Der Hauptausschuss beschließt den Bebauungsplan.

## Begründung
Es ist nötig.

- [x] hat keine personellen Auswirkungen
- [ ] hat personelle Auswirkungen
"""


def test_markdown_export_with_table_and_task_boxes():
    r = recognise(MARKDOWN_PAPER)
    assert r.value("reference") == "24/0578"
    assert r.value("date") == "2024-09-01"
    assert r.value("paper_type") == "antrag"
    assert r.value("subject") == "Bebauungsplan Nord, 2. Änderung"
    assert r.value("proposal") == "Der Hauptausschuss beschließt den Bebauungsplan."
    assert r.value("reasoning") == "Es ist nötig."
    assert [(c.organization, c.role, c.is_public) for c in r.consultations] == [
        ("Bezirksvertretung Nord", "vorberatung", True),
        ("Hauptausschuss", "entscheidung", False),
    ]
    [staff] = r.impacts
    assert staff.kind == "personell"
    assert staff.ticked == ["hat keine personellen Auswirkungen"]


TAB_PAPER = (
    "Beschlussvorlage\n"
    "Drucksache:\t2023/117\n"
    "Datum\t14.02.23\n\n"
    "Beratungsfolge:\n"
    "14.03.2023\tFinanzausschuss\tVorberatung\tnichtöffentlich\tTOP 4.1\n"
    "28.03.2023\tStadtrat\tEntscheidung\töffentlich\n\n"
    "Betreff: Neubau der Feuerwache\n\n"
    "Beschlussentwurf:\nDer Stadtrat beschließt den Neubau.\n\n"
    "Erläuterungen:\nDie alte Wache ist zu klein.\n\n"
    "Der Oberbürgermeister\n\ngez. Hans Muster\n"
)


def test_tab_export_with_date_first_rows_and_short_year():
    r = recognise(TAB_PAPER)
    assert r.value("reference") == "2023/117"
    assert r.value("date") == "2023-02-14"
    assert r.value("paper_type") == "beschlussvorlage"
    assert r.value("subject") == "Neubau der Feuerwache"
    assert r.value("proposal") == "Der Stadtrat beschließt den Neubau."
    assert r.value("reasoning") == "Die alte Wache ist zu klein."
    assert r.value("signature") == "Hans Muster"
    first, second = r.consultations
    assert (first.organization, first.role, first.is_public, first.agenda_item) == (
        "Finanzausschuss",
        "vorberatung",
        False,
        "4.1",
    )
    assert (second.organization, second.date, second.role) == (
        "Stadtrat",
        "2023-03-28",
        "entscheidung",
    )


def test_decision_with_counted_vote():
    r = recognise(
        "Vorlage Nr. 12/2022\nBeschlussvorschlag:\nDer Rat stimmt zu.\n\n"
        "Ergebnis: abgelehnt\nAbstimmungsergebnis: 12 Ja, 20 Nein, 1 Enthaltung\n"
        "Beschluss-Nr.: B-2022/44\n"
    )
    assert r.value("reference") == "12/2022"
    assert r.value("outcome") == "abgelehnt"
    assert r.value("vote") == "12 Ja, 20 Nein, 1 Enthaltung"
    assert r.value("decision_number") == "B-2022/44"


def test_normalise_keeps_checkboxes_and_drops_markup():
    text = normalise("<p>A&nbsp;<i>b</i></p><p><input checked> ja ☐ nein</p>")
    assert text == "A b\n[x] ja [ ] nein"


def docx(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


def test_docx_tables_become_rows():
    data = docx(
        "<w:p><w:r><w:t>Vorlage Nr.: 22/0001</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Beratungsfolge</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:t>Rat</w:t></w:p></w:tc><w:tc><w:p><w:t>01.02.2022"
        "</w:t></w:p></w:tc><w:tc><w:p><w:t>Entscheidung</w:t></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:t>Betreff: Schule &amp; Sport</w:t></w:p>"
    )
    r = recognise(extract(data, "x.docx"))
    assert r.value("reference") == "22/0001"
    assert r.value("subject") == "Schule & Sport"
    assert [(c.organization, c.date) for c in r.consultations] == [("Rat", "2022-02-01")]


def test_odt_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            "<office:text><text:p>Drucksache Nr. 9/2020</text:p>"
            "<text:h>Begründung</text:h><text:p>Weil es gut ist.</text:p></office:text>",
        )
    r = recognise(extract(buffer.getvalue(), "x.odt"))
    assert r.value("reference") == "9/2020"
    assert r.value("reasoning") == "Weil es gut ist."


def test_pdf_without_text_layer_is_refused_in_german():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    from django.utils import translation

    with translation.override("de"), pytest.raises(RecognitionError) as error:
        extract(buffer.getvalue(), "scan.pdf")
    assert "Textebene" in str(error.value)


def test_unknown_binary_is_refused():
    with pytest.raises(RecognitionError):
        extract(b"\x00\x01\x02binary", "x.doc")


def test_pdf_text_layer_made_with_weasyprint():
    from weasyprint import HTML

    lines = [
        "Sitzungsvorlage",
        "Drucksache Nr.: 24/0578",
        "Datum: 11.05.2024",
        "Beratungsfolge Sitzungstermin Behandlung",
        "Bauausschuss 02.06.2024 nicht öffentlich / Vorberatung",
        "Betreff",
        "Bebauungsplan Nord",
        "Beschlussvorschlag:",
        "Der Rat beschließt den Bebauungsplan Nord.",
    ]
    page = "".join(f"<p>{line}</p>" for line in lines)
    data = HTML(string=f"<html lang='de'><body>{page}</body></html>").write_pdf()
    r = recognise(extract(data, "vorlage.pdf"))
    assert r.value("reference") == "24/0578"
    assert r.value("date") == "2024-05-11"
    assert r.value("subject") == "Bebauungsplan Nord"
    assert r.value("proposal") == "Der Rat beschließt den Bebauungsplan Nord."
    assert [(c.organization, c.date, c.role, c.is_public) for c in r.consultations] == [
        ("Bauausschuss", "2024-06-02", "vorberatung", False)
    ]


OTHER_TOWN = """Stadt Beispielhausen                                    Vorlage: 2024/0123
Der Bürgermeister                                       öffentlich
Fachdienst: 61 Stadtplanung
Sitzungsdatum und Gremium:
Ausschuss für Umwelt und Verkehr (Vorberatung) 12.03.2024 Ö
Gemeinderat (Beschlussfassung) 26.03.2024 Ö

Betreff: Radwegekonzept 2030

Beschlussvorschlag der Verwaltung:
Der Gemeinderat beschließt das Radwegekonzept 2030.

Begründung des Antrags
Das Konzept verbindet die Ortsteile.

Beschluss des Gemeinderates:
mehrheitlich beschlossen
"""


def test_other_layout_with_qualified_headings():
    r = recognise(OTHER_TOWN)
    assert r.value("reference") == "2024/0123"
    assert r.value("unit") == "61 Stadtplanung"
    assert r.value("subject") == "Radwegekonzept 2030"
    assert r.value("proposal") == "Der Gemeinderat beschließt das Radwegekonzept 2030."
    assert r.value("reasoning") == "Das Konzept verbindet die Ortsteile."
    assert r.value("outcome") == "beschlossen"
    assert r.value("vote") == "mehrheitlich"
    assert r.value("date") is None  # the dates belong to the Beratungsfolge
    assert [(c.organization, c.date, c.role, c.is_public) for c in r.consultations] == [
        ("Ausschuss für Umwelt und Verkehr", "2024-03-12", "vorberatung", True),
        ("Gemeinderat", "2024-03-26", "entscheidung", True),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"abcÄöß:.-/|\t\n 0123456789<>[]x",
                *("Betreff", "Beratungsfolge", "Drucksache Nr.", "Beschluss", "Datum: ", "<td>"),
            ]
        ),
        max_size=120,
    ).map("".join)
)
def test_recognise_never_fails_and_spans_stay_in_the_text(raw):
    r = recognise(raw)
    for found in r.fields.values():
        assert 0 <= found.start <= found.end <= len(r.text)
    for step in r.consultations:
        assert 0 <= step.start <= step.end <= len(r.text)
