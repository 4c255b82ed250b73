"""A large report (more than documents.COMPACT_FROM measures) lists each measure as one entry
of a list per action field: the same facts, tagged, with contents and charts, and fast enough
for a town's 2,000 measures (figures in bench/reporting.py)."""

import re

import pytest

from lotse.reporting import documents
from tests.reporting.conftest import PREVIOUS_PERIOD
from tests.reporting.test_documents import flat, publish, read

pytestmark = pytest.mark.django_db


def test_a_large_report_lists_its_measures_compactly_and_stays_tagged(town, monkeypatch):
    monkeypatch.setattr(documents, "COMPACT_FROM", 1)
    previous = publish(town.body, PREVIOUS_PERIOD, number="2/2025", render=False)
    report = publish(town.body, previous=previous)
    pdf = report.pdf.open("rb").read()
    reader, pages = read(pdf)
    text = flat("\n".join(pages))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "de"
    # Each measure's facts in one entry: status, progress and change, budget, milestones.
    assert "Tablets für Grundschulen" in text
    assert "+30)" in text
    assert "4.000,00 € ausgegeben von 10.000,00 € geplant" in text
    assert "Meilenstein erreicht: Terminbuchung live (fällig am 01.03.2026, erreicht am" in text
    assert "Meilenstein verfehlt: Bezahlfunktion (fällig am 01.04.2026, nicht erreicht)" in text
    assert "Interne Firewall-Erneuerung" not in text
    # Contents with page numbers and the charts stay.
    assert re.search(r"Digitale Verwaltung \.{3,} ?\d+", flat(pages[0]))
    assert "Mittlerer Fortschritt je Handlungsfeld" in text
    # The entries are a tagged list (L/LI), not untagged text.
    assert {"/L", "/LI"} <= structure_types(reader)


def structure_types(reader) -> set[str]:
    """The structure types (/S) in the PDF's tag tree."""
    from pypdf.generic import ArrayObject, DictionaryObject

    seen, stack = set(), [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object() if hasattr(stack[-1], "get_object") else stack.pop()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                seen.add(str(node["/S"]))
            if "/K" in node:
                stack.append(node["/K"])
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return seen


def test_a_small_report_keeps_one_block_per_measure(town):
    report = publish(town.body, render=False)
    context = documents.report_context(report, report.snapshot)
    assert context["compact"] is False
