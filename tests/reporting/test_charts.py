"""The SVG charts: well-formed, one image with a title, its table matches the data, every
text escaped."""

import xml.etree.ElementTree as ET

from django.utils import translation

from lotse.reporting import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def texts(root: ET.Element) -> list[str]:
    # A label's lines are tspans of one text (issue 14: labels wrap instead of being cut).
    return [" ".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_bar_chart_is_an_image_with_a_title():
    chart = charts.bar_chart(
        "status", "Maßnahmen nach Status", [("in Umsetzung", 3), ("abgeschlossen", 1)], column="n"
    )

    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Maßnahmen nach Status"
    assert root.get("aria-labelledby") == title.get("id") == "status-svg-title"
    assert chart.chart_id == "status"
    assert chart.title == "Maßnahmen nach Status"


def test_bar_chart_rows_and_bars_match_the_data():
    with translation.override("de"):
        chart = charts.bar_chart(
            "progress",
            "Fortschritt",
            [("Verwaltung", 80), ("Bildung", 40.5), ("Leer", 0)],
            column="Mittlerer Fortschritt",
            unit="%",
            max_value=100,
            decimals=1,
        )

    assert chart.columns == ["", "Mittlerer Fortschritt"]
    assert chart.rows == [["Verwaltung", "80,0 %"], ["Bildung", "40,5 %"], ["Leer", "0,0 %"]]
    root = parse(chart)
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    span = charts.WIDTH - charts.LABEL_WIDTH - 70
    assert widths == [round(span * 0.8, 1), round(span * 0.405, 1), 0.0]
    assert "Verwaltung" in texts(root) and "40,5 %" in texts(root)


def test_bar_chart_scales_to_its_largest_value_and_colours_each_bar():
    chart = charts.bar_chart(
        "lights",
        "Ampeln",
        [("grün", 4), ("rot", 2)],
        column="Maßnahmen",
        colours=[charts.GREEN, charts.RED],
    )

    rects = list(parse(chart).iter(f"{SVG}rect"))
    span = charts.WIDTH - charts.LABEL_WIDTH - 70
    assert [float(r.get("width")) for r in rects] == [span, span / 2]
    assert [r.get("fill") for r in rects] == [charts.GREEN, charts.RED]


def test_an_empty_bar_chart_is_still_well_formed():
    chart = charts.bar_chart("empty", "Nichts", [], column="n")

    root = parse(chart)
    assert chart.rows == []
    assert list(root.iter(f"{SVG}rect")) == []
    assert int(root.get("height")) > 0


def test_text_is_escaped():
    nasty = '<script>alert("x")</script> & Co und Partner'
    chart = charts.bar_chart("x", f"Titel {nasty}", [(nasty, 1)], column="n")

    svg = str(chart.svg)
    assert "<script>" not in svg
    root = parse(chart)  # still well-formed XML
    assert root.find(f"{SVG}title").text == f"Titel {nasty}"
    # The label wraps into lines on the image (issue 14); the table keeps it whole (and is
    # escaped by the template that shows it).
    assert texts(root)[0] == nasty
    assert chart.rows[0][0] == nasty


def test_line_chart():
    points = [("01/2026", 10), ("02/2026", 35), ("03/2026", 50)]
    chart = charts.line_chart(
        "trend", "Fortschritt über die Zeit", points, column="Fortschritt", label_column="Monat"
    )

    root = parse(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Fortschritt über die Zeit"
    assert chart.columns == ["Monat", "Fortschritt"]
    assert chart.rows == [["01/2026", "10 %"], ["02/2026", "35 %"], ["03/2026", "50 %"]]
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    polyline = root.find(f"{SVG}polyline")
    ys = [float(pair.split(",")[1]) for pair in polyline.get("points").split()]
    assert ys[0] > ys[1] > ys[2]  # rising progress draws upwards
    assert {"01/2026", "03/2026"} <= set(texts(root))


def test_line_chart_escapes_and_copes_with_one_point():
    chart = charts.line_chart(
        "one", "<b>Eins</b>", [("<Jan>", 20)], column="Fortschritt", label_column="Monat"
    )

    root = parse(chart)
    assert root.find(f"{SVG}title").text == "<b>Eins</b>"
    assert "<Jan>" in texts(root)
    assert "<b>" not in str(chart.svg) and "<Jan>" not in str(chart.svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 1
