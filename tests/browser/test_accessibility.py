"""WCAG 2.1 A/AA with axe-core, CSP, German lang, 320 px and the skip link, on every page."""

import pytest

from tests.browser.pages import PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.render_only]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_page_has_no_axe_violations_and_fits_a_320px_screen(visitor, path):
    page = visitor.page
    response = page.goto(visitor.base_url + path)
    assert response.status in (200, 404)
    assert page.get_attribute("html", "lang") == "de"
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == []
    assert visitor.console_errors == []
    # The same page on a small phone: the layout reflows without a horizontal scrollbar.
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_no_request_of_a_page_fails(visitor):
    failed = []
    visitor.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ["/", "/musterstadt/", "/konto/login/"]:
        visitor.goto(path)
    assert failed == []


@pytest.mark.parametrize("path", ["/", "/musterstadt/", "/barrierefreiheit/"])
def test_skip_link_moves_focus_to_main(visitor, path):
    page = visitor.page
    visitor.goto(path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_links(visitor):
    page = visitor.page
    visitor.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_every_link_of_the_start_page_is_reachable_by_keyboard(visitor):
    page = visitor.page
    visitor.goto("/")
    selector = "a[href], button, select"
    expected = set(page.eval_on_selector_all(selector, "els => els.map(e => e.outerHTML)"))
    reached = set()
    for _ in range(len(expected) + 2):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.outerHTML"))
    assert expected and expected <= reached


def test_pages_work_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(server.url + "/musterstadt/")
    assert page.locator("h1").inner_text().startswith("Digitale Agenda")
    page.select_option("#language-select", "en")
    page.click(".language button")
    assert page.get_attribute("html", "lang") == "en"
    context.close()
