"""The status report and the City Cockpit at a large town's scale (issue 7).

Loads the demo with ``--scale large`` (2,000 extra measures with 20 Sachstandsmeldungen each in
Musterstadt), adds 50,000 ideas with ``lotse participation_scale`` and, with ``--papers``, the
council's twenty years with ``lotse council_scale`` (slow: about 11 minutes for 100,000). Then
prints: the time to compute a half-year report's figures and to render its PDF, the PDF's size
and pages, the peak memory of the process; p50/p95 server time of the cockpit pages of
Musterstadt, Beispielstadt and the Musterkreis, served from the cache (as visitors get them)
and computed afresh (the first visitor after a change). Runs on a fresh SQLite file in a
temporary directory, or on the database in DATABASE_URL. It measures; it never passes or fails.

    .venv/bin/python bench/reporting.py [--requests 20] [--ideas 50000] [--papers 0]

The PDF of the half-year report of `demo --scale large` (1,835 public measures), rendered alone
(2 shared CPU cores under a load average of 10, so wall times are inflated; CPU time is the
figure an idle machine reaches):

    before (one floated block per measure): 301.6 s wall, 32.4 s CPU, 371 pages, peak 824 MB
    after  (compact list from 61 measures):  17.0 s wall,  4.9 s CPU,  84 pages, peak 244 MB

cProfile showed where the time went: WeasyPrint's line layout of ~7,300 floated <dt>s and
nested blocks on 371 pages (each laid out again for the contents' page numbers); a table per
action field instead was still 0.5 s a page; in a plain list, the outside list markers (one
positioned box each, 6 of 16 s profiled) and an anchor per measure.

Profiled again for issue 13 (compact list, 1,835 measures, 84 pages; 19.9 s profiled): the
Django template 9 %, HTML parsing and the CSS cascade 14 %, layout 38 % (of it Pango's line
breaking of ~7,600 lines), drawing and writing the PDF 30 % (the PDF/UA structure tree 5 %,
compression 3 %). Fonts cost nothing measurable (one family, DejaVu Sans, loaded once) and
there are no per-row images (the logo once, a few SVG charts). Variants of the same HTML,
WeasyPrint alone, CPU time: as it is 4.3 s; links without bold 4.5 s; no link per measure
3.3 s (but the PDF's readers lose the way to each measure's page); no hyphenation 4.6 s;
without PDF/UA 4.2 s. So the layout stays: render_report_pdf takes 4.1–4.4 s CPU and peaks
at 254–258 MB; its wall time is the shared machine's (6.5 s at a load average of 5.5, 10.6 s
at 7.4, 47.8 s at 8.6), and the task worker renders outside any transaction.
"""

import argparse
import io
import resource
import statistics
import time
from io import StringIO

from common import failure, measuring_client, print_peak_memory, setup_django, time_page


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _uncached(client, url: str, requests: int) -> tuple[float, float] | int:
    """p50/p95 of ``url`` with the cache emptied before every request."""
    from django.core.cache import cache

    timings = []
    for _ in range(requests):
        cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            return response.status_code
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--ideas", type=int, default=50_000)
    parser.add_argument("--papers", type=int, default=0)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.utils import timezone
    from pypdf import PdfReader

    from lotse.core.models import Body
    from lotse.reporting import documents, figures, periods
    from lotse.reporting.models import StatusReport
    from lotse.strategy.models import Measure, StatusUpdate

    started = time.perf_counter()
    call_command("demo", scale="large", stdout=StringIO())
    print(f"demo --scale large: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command(
        "participation_scale",
        body="musterstadt",
        ideas=args.ideas,
        interactions=args.ideas,
        stdout=StringIO(),
    )
    print(f"participation_scale ({args.ideas} ideas): {time.perf_counter() - started:.1f} s")
    if args.papers:
        started = time.perf_counter()
        call_command(
            "council_scale",
            body="musterstadt",
            papers=args.papers,
            files=args.papers * 2,
            years=20,
            stdout=StringIO(),
        )
        print(f"council_scale ({args.papers} papers): {time.perf_counter() - started:.1f} s")

    body = Body.objects.get(slug="musterstadt")
    measures = Measure.objects.filter(body=body, is_public=True).count()
    updates = StatusUpdate.objects.filter(measure__body=body).count()
    print(f"Musterstadt: {measures} public measures, {updates} Sachstandsmeldungen")

    period = periods.last_half_year(timezone.localdate())
    before = _peak_mb()
    started = time.perf_counter()
    snapshot = figures.build(body, period.start, period.end)
    built = time.perf_counter() - started
    shown = sum(len(field["measures"]) for field in snapshot["fields"])
    print(f"report figures {period.code}: {built * 1000:.0f} ms for {shown} measures")
    report = StatusReport(
        body=body,
        title="Sachstandsbericht (Bench)",
        period_start=period.start,
        period_end=period.end,
        number="1/2026",
    )
    # The task worker renders with WeasyPrint and the German hyphenation already loaded: warm
    # up with a small report first, so the figure is the report's own (cold start: + ~2 s).
    first = snapshot["fields"][0] if snapshot["fields"] else None
    warm_up = {**snapshot, "fields": [{**first, "measures": first["measures"][:5]}]}
    documents.render_report_pdf(report, warm_up if first else snapshot)
    started, cpu = time.perf_counter(), time.process_time()
    pdf = documents.render_report_pdf(report, snapshot)
    rendered, cpu = time.perf_counter() - started, time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    layout = "compact list" if shown > documents.COMPACT_FROM else "one block per measure"
    print(
        f"report PDF ({layout}): {rendered:.1f} s ({cpu:.1f} s CPU), "
        f"{len(pdf) / 1024 / 1024:.1f} MB, {pages} pages; "
        f"peak memory {_peak_mb():.0f} MB (before the report: {before:.0f} MB)"
    )

    client = measuring_client()
    print(f"\n{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'queries':>8}")
    for slug in ("musterstadt", "beispielstadt", "musterkreis"):
        url = f"/{slug}/cockpit/"
        timing = time_page(client, url, args.requests)
        if isinstance(timing, int):
            print(f"{url + ' (cached)':<34} {failure(timing)}")
            continue
        print(
            f"{url + ' (cached)':<34} {timing.p50:>8.1f} {timing.p95:>8.1f} "
            f"{timing.per_second:>7.1f} {timing.queries:>8}"
        )
        fresh = _uncached(client, url, max(3, args.requests // 4))
        if isinstance(fresh, int):
            print(f"{url + ' (fresh)':<34} {failure(fresh)}")
        else:
            print(f"{url + ' (fresh)':<34} {fresh[0]:>8.1f} {fresh[1]:>8.1f}")
    print_peak_memory()


if __name__ == "__main__":
    main()
