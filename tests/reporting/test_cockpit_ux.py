"""The cockpit reads well (issue 14, point 8): long labels wrap instead of being cut, a Kreis
opens with its towns, and each chart's table is a disclosure under the chart."""

import re

from django.urls import reverse

from lotse.reporting import charts
from tests.factories import BodyFactory
from tests.reporting.test_cockpit import on_as_of  # noqa: F401  (fixture)

LONG = "Ökonomische und ökologische Nachhaltigkeit der Digitalisierung in der Region"


def test_long_labels_wrap_into_lines_that_fit_the_label_column():
    chart = charts.bar_chart("c", "Titel", [(LONG, 3), ("Kurz", 1)], column="Maßnahmen")
    svg = str(chart.svg)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(lines) >= 3  # two or more for the long label, one for "Kurz"
    assert "Ökonomische und ökologische" in lines[0]
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    # Every word is drawn (nothing cut at the left), the table keeps the whole label.
    assert "Nachhaltigkeit" in svg
    assert chart.rows[0][0] == LONG
    # The SVG grows with the lines, so they do not overlap the next bar.
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert height > charts.GAP + 2 * (charts.BAR_HEIGHT + charts.GAP)


def test_cockpit_tables_are_disclosures_under_their_charts(town, client, on_as_of):  # noqa: F811
    html = client.get(reverse("reporting:cockpit", args=[town.body.slug])).content.decode()
    figures = re.findall(r'<figure class="chart".*?</figure>', html, re.S)
    assert figures
    for figure in figures:
        assert '<details class="chart-data">' in figure
        assert figure.index("<svg") < figure.index("<details") < figure.index("<table")


def test_kreis_without_own_data_opens_with_its_towns(town, kreis, client, on_as_of):  # noqa: F811
    town.body.parent = kreis
    town.body.save()
    BodyFactory(parent=kreis, name="Stadt Zweitstadt")
    html = client.get(reverse("reporting:cockpit", args=[kreis.slug])).content.decode()
    assert 'id="h-region"' in html
    assert 'id="h-key-figures"' not in html  # no charts of zeros
    assert "keine eigenen Maßnahmen" in html
    # The town's own cockpit still has its charts.
    town_html = client.get(reverse("reporting:cockpit", args=[town.body.slug])).content.decode()
    assert 'id="h-key-figures"' in town_html
