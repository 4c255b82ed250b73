"""Markdown of what people write: sanitised, and the fast path for plain text gives the same
HTML as the parser."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.core import markdown
from lotse.core.markdown import render_markdown


def parsed(text: str) -> str:
    """What the full parser makes of a text (the fast path switched off)."""
    original = markdown.PLAIN
    markdown.PLAIN = markdown.re.compile(r"(?!)")
    try:
        return render_markdown(text)
    finally:
        markdown.PLAIN = original


plain_text = st.text(
    alphabet=st.sampled_from(list("abcxyzÄöüß019 .,;:?!'\"/%@()=+#-\n\r\t ")),
    min_size=0,
    max_size=120,
)


@settings(max_examples=500, deadline=None)
@given(plain_text)
def test_fast_path_renders_like_the_parser(text):
    assert render_markdown(text) == parsed(text)


def test_plain_comment_takes_the_fast_path_and_keeps_paragraphs():
    assert render_markdown("Gute Idee!\n\nAuch am Bahnhof?") == parsed(
        "Gute Idee!\n\nAuch am Bahnhof?"
    )
    assert render_markdown("Erste Zeile\nzweite Zeile") == "<p>Erste Zeile\nzweite Zeile</p>"


def test_markup_is_sanitised():
    html = render_markdown("Hallo <script>alert(1)</script> [x](javascript:alert(1)) **fett**")
    assert "<script" not in html and "javascript:" not in html
    assert "<strong>fett</strong>" in html


def test_headings_start_at_h3():
    assert render_markdown("# Titel").startswith("<h3>")
