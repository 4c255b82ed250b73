"""Paper recognition (issue 18): field-level precision and recall over the sample papers in
``../shared/samples/papers`` against a hand-made key, and the throughput of text extraction
plus recognition on generated PDFs.

The PDFs are made with WeasyPrint from the text of sample 002 (each with its own reference
number); only ``--pdfs`` of them are made and read (default 50, bounded so the bench stays
short on a shared machine) and the time for 1,000 is extrapolated linearly from the measured
rate, which the output says. Peak memory is the peak of Python allocations while reading
(tracemalloc, in a second pass so tracing does not slow the timed one) and the process's
maximum resident size. No database is used. It measures; it never passes or fails.

    .venv/bin/python bench/paperimport.py [--pdfs 50]
"""

import argparse
import html
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# The key: what a careful reader finds in each export. Long texts are keyed by their first
# and last words; None means the export does not hold the field.
KEY = {
    "001_2c5b73d19ea0aeb9.txt": {
        "reference": None,
        "date": None,
        "paper_type": "beschlussvorlage",
        "subject": None,
        "proposal": ("1. Die Stadt Gladbeck beteiligt", "(ZIRE) aufgebracht."),
        "reasoning": ("Dieses Ziel zu erreichen", "Vestischen Digitalpakts berichtet werden."),
        "signature": "Bettina Weist",
        "consultations": [],
        "impacts": ["finanziell", "klima"],
        "outcome": None,
        "vote": None,
        "decision_number": None,
    },
    "002_cd84caa8cd3642a8.txt": {
        "reference": "21/0219",
        "date": "2021-05-11",
        "paper_type": "beschlussvorlage",
        "subject": "Erarbeitung einer IT- und Digitalisierungsstrategie",
        "proposal": ("Der Haupt- und Digitalisierungsausschuss beauftragt", "strategie."),
        "reasoning": ("Die Digitalisierung ist nicht nur", "Maßnahmen ableiten lassen."),
        "signature": "Dr. Max Leitterstorf",
        "consultations": [
            ("Haupt- und Digitalisierungsausschuss", "2021-06-02", "entscheidung", True)
        ],
        "impacts": ["finanziell", "inklusion"],
        "outcome": None,
        "vote": None,
        "decision_number": None,
    },
    "004_00edcc0599b51224.txt": {
        "reference": None,
        "date": None,
        "paper_type": "beschlussvorlage",
        "subject": None,
        "proposal": ("Der Stadtrat beschließt das", "Haushaltsplanung zu berücksichtigen."),
        "reasoning": ("Die Digitalisierung von Verwaltungsleistungen", "Papier erstellt werden."),
        "signature": None,
        "consultations": [],
        "impacts": [],
        "outcome": "ungeaendert",
        "vote": "einstimmig",
        "decision_number": "567/24",
    },
}


def samples_dir() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "samples" / "papers"
        if folder.is_dir():
            return folder
    return None


def found_value(result, name):
    if name == "consultations":
        return [(c.organization, c.date, c.role, c.is_public) for c in result.consultations] or None
    if name == "impacts":
        return [i.kind for i in result.impacts] or None
    return result.value(name)


def correct(found, expected) -> bool:
    if isinstance(expected, tuple):
        return (
            isinstance(found, str) and found.startswith(expected[0]) and found.endswith(expected[1])
        )
    return found == expected


def scores(folder: Path) -> None:
    from lotse.paperimport.recognise import extract, recognise

    totals: dict[str, list[int]] = {}
    print("Field-level scores over the samples (tp = found and right, fp = found but wrong or")
    print("not in the export, fn = in the export but missed or wrong):")
    for name, key in KEY.items():
        path = folder / name
        if not path.exists():
            print(f"  {name}: missing, skipped")
            continue
        result = recognise(extract(path.read_bytes(), name))
        for field, expected in key.items():
            expected = expected or None
            found = found_value(result, field)
            tp_fp_fn = totals.setdefault(field, [0, 0, 0])
            if found is not None and expected is not None and correct(found, expected):
                tp_fp_fn[0] += 1
            else:
                if found is not None:
                    tp_fp_fn[1] += 1
                    print(f"  {name} {field}: found {str(found)[:60]!r}, key {expected!r}")
                if expected is not None:
                    tp_fp_fn[2] += 1
    print(f"  {'field':<16} {'tp':>3} {'fp':>3} {'fn':>3} {'precision':>10} {'recall':>8}")
    all_tp = all_fp = all_fn = 0
    for field, (tp, fp, fn) in totals.items():
        all_tp, all_fp, all_fn = all_tp + tp, all_fp + fp, all_fn + fn
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "–"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "–"
        print(f"  {field:<16} {tp:>3} {fp:>3} {fn:>3} {precision:>10} {recall:>8}")
    print(
        f"  {'all fields':<16} {all_tp:>3} {all_fp:>3} {all_fn:>3} "
        f"{all_tp / max(all_tp + all_fp, 1):>10.2f} {all_tp / max(all_tp + all_fn, 1):>8.2f}"
    )


def make_pdfs(text: str, count: int) -> list[bytes]:
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    pdfs = []
    for number in range(count):
        page = body.replace("21/0219", f"21/{number:04d}")
        pdfs.append(HTML(string=f"<html lang='de'><body>{page}</body></html>").write_pdf())
    return pdfs


def throughput(folder: Path, count: int) -> None:
    from lotse.paperimport.recognise import extract, recognise

    text = (folder / "002_cd84caa8cd3642a8.txt").read_text(encoding="utf-8")
    started = time.perf_counter()
    pdfs = make_pdfs(text, count)
    made = time.perf_counter() - started
    size = sum(len(p) for p in pdfs) / len(pdfs)
    print(f"\n{count} PDFs made with WeasyPrint in {made:.1f} s ({size / 1024:.0f} KB each)")

    started = time.perf_counter()
    right = 0
    for number, data in enumerate(pdfs):
        result = recognise(extract(data, "x.pdf"))
        right += (
            result.value("reference") == f"21/{number:04d}"
            and result.value("subject") == "Erarbeitung einer IT- und Digitalisierungsstrategie"
            and len(result.consultations) == 1
            and bool(result.value("proposal"))
        )
    seconds = time.perf_counter() - started
    tracemalloc.start()
    for data in pdfs[: min(10, count)]:
        recognise(extract(data, "x.pdf"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_minute = count / seconds * 60
    print(
        f"read and recognised {count} PDFs in {seconds:.2f} s: {per_minute:.0f} papers per minute"
    )
    print(f"reference, subject, Beratungsfolge and proposal right in {right} of {count} PDFs")
    if count >= 1000:
        print(f"1,000 PDFs: {seconds * 1000 / count / 60:.1f} minutes (measured)")
    else:
        print(
            f"1,000 PDFs: about {1000 / per_minute:.1f} minutes (extrapolated linearly from "
            f"{count}, not measured; --pdfs 1000 measures it)"
        )
    print(f"peak Python allocations while reading one paper: {peak / 1024 / 1024:.1f} MB")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (whole process, WeasyPrint included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdfs", type=int, default=50)
    args = parser.parse_args()
    from django.conf import settings

    settings.configure(USE_I18N=False)
    folder = samples_dir()
    if folder is None:
        print("../shared/samples/papers is absent: nothing to measure.")
        return
    scores(folder)
    throughput(folder, max(1, args.pdfs))


if __name__ == "__main__":
    main()
