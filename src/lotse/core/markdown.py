"""Markdown for texts people write (measures, later ideas), rendered to sanitised HTML."""

import re
import threading

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One converter per thread: building one loads its extensions, which costs more than
    converting a comment (a page with 200 comments would spend most of its time there)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"])
    return converter


# Text in which Markdown and HTML find nothing to do: no character that means something
# anywhere, no line that starts a list, heading, quote or rule. Such text is paragraphs only.
PLAIN = re.compile(r"[^*_`\[\]|<>&\\]*")
BLOCK_START = re.compile(r"^\s*(\d+[.)]|[-+=#])", re.MULTILINE)
LAYOUT = re.compile(r"\t| {2,}(\n|$)|^ {4}", re.MULTILINE)  # code blocks, hard line breaks


def _plain_paragraphs(text: str) -> str:
    """Paragraphs as the parser makes them: blank lines separate, a paragraph's first line
    loses its indentation, everything else is kept."""
    paragraphs, lines = [], []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            lines.append(line)
        elif lines:
            paragraphs.append("<p>" + "\n".join(lines).lstrip() + "</p>")
            lines = []
    return "\n".join(paragraphs)


def render_markdown(text: str) -> str:
    """HTML from Markdown with everything but plain formatting removed: no scripts, no
    styles, no images from elsewhere, links get rel=noopener. Headings start at h3 because
    the page already has its h1 and h2."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if PLAIN.fullmatch(text) and not BLOCK_START.search(text) and not LAYOUT.search(text):
        # Most comments are plain sentences: the same HTML without the parser's cost.
        return _plain_paragraphs(text)
    html = _converter().reset().convert(text)
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
