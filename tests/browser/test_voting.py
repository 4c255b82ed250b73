"""A live meeting in real browsers: the chair console, the member page, the confirmation and
the public display pass axe without CSP or console errors; and the demo meeting runs as the
issue's done-when says — the chair opens it, marks attendance and opens a secret poll, three
members vote in their own browsers (one by keyboard), the display and the console follow
without a reload, and after the close the display shows totals only and the meeting page the
agenda item's decision."""

import re
import threading
import time

import pytest
from playwright.sync_api import expect

from lotse.accounts.demo import DEMO_PASSWORD
from lotse.accounts.models import User
from lotse.council.models import Meeting
from lotse.voting import demo as voting_demo
from lotse.voting import selectors, services
from lotse.voting.models import LiveSession, Poll, Presence, Voter
from tests.browser.conftest import AXE, Visitor
from tests.browser.helpers import sign_in_with_totp
from tests.browser.pages import LIVE_CHAIR_PAGES

pytestmark = pytest.mark.browser

CHAIR = "ratsmitglied@musterstadt.example"
# Long enough for the event stream's one-second poll of the database on a busy machine.
LIVE = 15_000


@pytest.fixture(autouse=True)
def short_streams(settings, orm):
    """Event streams end after three seconds and the browser reconnects, which the live
    updates must survive; and a stream left by a closed page ends soon."""
    settings.LOTSE_LIVE_STREAM_SECONDS = 3
    yield
    wait_for_streams_to_end()


def wait_for_streams_to_end(seconds=10):
    """The server ends an event stream when its time is up, even after the page has gone;
    the shared test database must not be written by the test while one still reads it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.1)


@pytest.fixture
def tabs(browser, server):
    """Opens further browser contexts (one per person), closed after the test."""
    contexts = []

    def open_tab(email=None):
        context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
        context.add_init_script(path=str(AXE))
        contexts.append(context)
        visitor = Visitor(context.new_page(), server.url)
        if email:
            sign_in(visitor, email)
        return visitor

    yield open_tab
    for context in contexts:
        context.close()


def sign_in(visitor, email):
    if email == CHAIR:
        # The chair runs binding votes and signs in with a second factor; the demo's voting
        # members of Musterstadt do not need one (the demo switches Body.voters_need_mfa off).
        sign_in_with_totp(visitor, email)
        return
    visitor.login(email, DEMO_PASSWORD)
    visitor.page.wait_for_load_state()
    assert "/konto/login/" not in visitor.page.url, f"{email} could not sign in"
    assert "/2fa/" not in visitor.page.url, f"{email} was sent to set up TOTP"


def clean(visitor, what, axe=True):
    """No axe violations (``axe=False`` where the axe test has checked the page already), no
    CSP violations, no console errors."""
    if axe:
        assert visitor.axe_violations() == [], what
    assert visitor.csp_violations == [], what
    assert visitor.console_errors == [], what


def submit(page, action, **fields):
    """Fill and submit the form posting to ``…/<action>/`` and wait for the next page."""
    form = page.locator(f"form[action$='/{action}/']").first
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def mark_present(page, people, presence="s"):
    """Marks ``people`` in the attendance form (``s`` in the room, ``o`` online, ``a``
    absent) and saves it once; the form answers in place (htmx)."""
    for someone in people:  # a Person or a row of the attendance board
        pk = getattr(someone, "person_id", None) or someone.pk
        page.select_option(f"select[name=p{pk}]", presence)
    saved = page.locator("#attendance [role=status]")
    before = saved.inner_text() if saved.count() else None
    page.click("#attendance button[type=submit]")
    expect(saved).to_contain_text("Anwesenheit gespeichert")
    if before:
        expect(saved).not_to_have_text(before)


def tab_to(page, selector, limit=80):
    """Moves the focus with the Tab key until it reaches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable by keyboard")


def text_of(page):
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


def demo(orm):
    meeting = Meeting.objects.get(name=voting_demo.MEETING_NAME)
    members = [User.objects.get(email=email) for _label, email in voting_demo.demo_logins()]
    return meeting, members


def person(user):
    return user.council_persons.get()


def test_live_pages_pass_axe(visitor, tabs, orm):
    """A second meeting built like the demo's, brought to a running open poll through the
    services while no live page is open, then to a published result in the browser."""
    _meeting, members = demo(orm)
    chair = User.objects.get(email=CHAIR)
    committee = person(chair).memberships.get(role="vorsitz").organization
    meeting = voting_demo._meeting(committee.body, committee)
    meeting.name = "Sitzung für die Prüfung der Barrierefreiheit"
    meeting.save(update_fields=["name"])
    base = f"/musterstadt/sitzungen/{meeting.pk}/"

    sign_in(visitor, CHAIR)
    visitor.goto(base + "sitzungsleitung/")
    clean(visitor, "console before the live meeting")
    visitor.page.goto("about:blank")

    session = services.start_session(chair, meeting)
    session = services.open_session(chair, session)
    for user in [chair, *members]:
        services.set_presence(chair, session, person(user), Presence.ROOM)
    item = meeting.agenda_items.get(number="Ö 3")
    services.set_current_item(chair, session, item)
    poll = services.create_poll(
        chair, session, item, "offen", "Ausbau wie vorgeschlagen.", "einfach"
    )
    services.open_poll(chair, poll)

    visitor.goto(base + "sitzungsleitung/")
    clean(visitor, "console with a running poll")
    member = tabs(members[0].email)
    member.goto(base + "abstimmen/")
    expect(member.page.locator("#vote-yes")).to_be_visible()
    clean(member, "member page")
    with member.page.expect_navigation():
        member.page.click("#vote-no")
    expect(member.page.locator("h1")).to_have_text("Stimme bestätigen")
    clean(member, "confirmation")
    public = tabs()
    public.goto(base + "live/")
    clean(public, "display with a running poll")

    second = tabs(members[1].email)
    second.goto(base + "abstimmen/")
    with second.page.expect_navigation():
        second.page.click("#vote-yes")
    second.page.click("main form button[type=submit]")  # answered in place (htmx)
    expect(second.page.locator("#cast-answer")).to_contain_text("Sie haben abgestimmt")
    clean(second, "vote cast, answered in place")
    submit(visitor.page, f"abstimmungen/{poll.pk}/schliessen")
    submit(visitor.page, f"abstimmungen/{poll.pk}/veroeffentlichen")
    public.goto(base + "live/")
    expect(public.page.locator("main")).to_contain_text("Stimmen je Fraktion")
    clean(public, "display with an open poll's result")
    visitor.goto(base + "sitzungsleitung/")
    clean(visitor, "console with a result")


def test_without_an_event_stream_the_member_page_polls_the_stamp_without_cookies(
    browser, server, orm
):
    """A browser without EventSource: the member page polls the public stamp every two
    seconds, without cookies (no session or user is loaded for it), and a poll started by
    the chair appears without a reload."""
    _meeting, members = demo(orm)
    chair = User.objects.get(email=CHAIR)
    committee = person(chair).memberships.get(role="vorsitz").organization
    meeting = voting_demo._meeting(committee.body, committee)
    meeting.name = "Sitzung ohne Ereignisstrom"
    meeting.save(update_fields=["name"])
    session = services.open_session(chair, services.start_session(chair, meeting))
    for user in [chair, *members]:
        services.set_presence(chair, session, person(user), Presence.ROOM)
    item = meeting.agenda_items.get(number="Ö 3")
    poll = services.create_poll(chair, session, item, "offen", "Ohne Ereignisstrom.", "einfach")

    context = browser.new_context(locale="de-DE")
    context.add_init_script(script="delete window.EventSource;")
    try:
        member = Visitor(context.new_page(), server.url)
        sign_in(member, members[0].email)
        polls = []
        member.page.on("request", lambda r: "/live/stempel/" in r.url and polls.append(r))
        member.goto(f"/musterstadt/sitzungen/{meeting.pk}/abstimmen/")
        expect(member.page.locator("#vote-yes")).to_have_count(0)
        member.page.evaluate("window.stillTheSamePage = true")
        services.open_poll(chair, poll)
        expect(member.page.locator("#vote-yes")).to_be_visible(timeout=LIVE)
        assert member.page.evaluate("window.stillTheSamePage === true")
        assert polls, "the page did not poll the stamp"
        assert all("cookie" not in request.all_headers() for request in polls)
        assert member.page.context.cookies(), "the member is signed in"
        clean(member, "member page polling the stamp", axe=False)
    finally:
        context.close()


def test_demo_meeting_runs_live_with_a_secret_poll(visitor, tabs, orm):
    meeting, members = demo(orm)
    base = f"/musterstadt/sitzungen/{meeting.pk}/"
    chair = visitor.page

    # The chair opens the prepared demo meeting and marks who is in the room.
    sign_in(visitor, CHAIR)
    visitor.goto(base)
    chair.click("a[href$='/sitzungsleitung/']")
    chair.wait_for_url("**/sitzungsleitung/")
    submit(chair, "eroeffnen")
    mark_present(
        chair, [person(User.objects.get(email=CHAIR)), *(person(user) for user in members[1:])]
    )
    clean(visitor, "console", axe=False)

    # The first member checks in online herself, so six of the eleven seats are present.
    voters = [tabs(user.email) for user in members[:3]]
    for voter in voters:
        voter.goto(base + "abstimmen/")
    with voters[0].page.expect_navigation():
        voters[0].page.click("form[action$='/abstimmen/anwesenheit/'] button")
    checked_in = "form[action$='/abstimmen/anwesenheit/'] input[name=presence][value=abwesend]"
    expect(voters[0].page.locator(checked_in)).to_have_count(1)  # she may check out again
    chair.reload()
    expect(chair.locator(".live-status .badge-ok")).to_have_count(1)
    submit(chair, "beschlussfaehigkeit")
    expect(chair.locator(".messages")).to_contain_text("Beschlussfähigkeit festgestellt")

    item = meeting.agenda_items.get(number="Ö 2")
    submit(chair, "top", agenda_item=str(item.pk))
    submit(
        chair,
        "abstimmung",
        agenda_item=str(item.pk),
        motion="Der Unterausschuss empfiehlt dem HFDA, die Richtlinie zu beschließen.",
        kind="geheim",
        majority="einfach",
    )
    poll = Poll.objects.get(session__meeting=meeting, agenda_item=item)

    display = tabs()
    display.goto(base + "live/")
    for page in (display.page, *(voter.page for voter in voters)):
        page.evaluate("window.stillTheSamePage = true")
    submit(chair, f"abstimmungen/{poll.pk}/starten")
    chair.evaluate("window.stillTheSamePage = true")

    # The member pages and the display learn of the poll without a reload.
    expect(display.page.locator(".live-display")).to_contain_text(
        "0 von 6 Stimmen abgegeben", timeout=LIVE
    )
    for voter in voters:
        expect(voter.page.locator("#vote-yes")).to_be_visible(timeout=LIVE)
        assert voter.page.evaluate("window.stillTheSamePage === true"), "a member page reloaded"
    clean(voters[0], "member page with a running poll", axe=False)
    clean(display, "display with a running poll", axe=False)

    # The first member votes by keyboard only: Tab to "Ja", Enter, Enter on the confirmation.
    keyboard = voters[0].page
    tab_to(keyboard, "#vote-yes")
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    expect(keyboard.locator("h1")).to_have_text("Stimme bestätigen")
    clean(voters[0], "confirmation", axe=False)
    if not keyboard.evaluate("document.activeElement.matches('button[type=submit]')"):
        tab_to(keyboard, "main button[type=submit]")
    keyboard.evaluate("window.stillTheConfirmation = true")
    keyboard.keyboard.press("Enter")
    # Answered in place (htmx, no page load): the form is replaced by the answer in the live
    # region, the focus on it, and the way back to the voting page next by Tab.
    answer = keyboard.locator("#cast-answer[aria-live=polite] .live-done")
    expect(answer).to_contain_text("Ihre Stimme wurde abgegeben und gezählt.")
    expect(answer).to_contain_text("Sie haben abgestimmt")
    expect(answer).to_be_focused()
    assert keyboard.evaluate("window.stillTheConfirmation === true"), "the cast loaded a page"
    assert keyboard.locator("#cast-answer form").count() == 0
    keyboard.keyboard.press("Tab")
    assert keyboard.evaluate(
        "document.activeElement.matches('#cast-answer a[href$=\"/abstimmen/\"]')"
    )
    clean(voters[0], "vote cast, answered in place")
    expect(display.page.locator(".live-display")).to_contain_text(
        "1 von 6 Stimmen abgegeben", timeout=LIVE
    )
    expect(chair.locator(".live-status")).to_contain_text("1 von 6 Stimmen abgegeben", timeout=LIVE)

    # The second member's vote is taken meanwhile elsewhere (another device of hers): her
    # confirmation is refused, with the reason in place of the form.
    twice = voters[1].page
    with twice.expect_navigation():
        twice.click("#vote-yes")
    services.cast_vote(members[1], poll, "ja")
    twice.click("main form button[type=submit]")
    refused = twice.locator("#cast-answer [role=alert]")
    expect(refused).to_contain_text("bereits abgestimmt")
    expect(refused).to_be_focused()
    # The browser logs the refusal's status (409, as designed) as a failed resource; nothing
    # else may be logged.
    assert voters[1].console_errors == [
        "Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]
    voters[1].console_errors.clear()
    clean(voters[1], "vote refused, answered in place")
    third = voters[2].page
    with third.expect_navigation():
        third.click("#vote-no")
    third.click("main form button[type=submit]")
    expect(third.locator("#cast-answer")).to_contain_text("Sie haben abgestimmt")
    expect(display.page.locator(".live-display")).to_contain_text(
        "3 von 6 Stimmen abgegeben", timeout=LIVE
    )
    expect(chair.locator(".live-status")).to_contain_text("3 von 6 Stimmen abgegeben", timeout=LIVE)
    for page in (display.page, chair):
        assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"

    # Close, count, publish: the display shows the totals and the protocol, nobody's vote.
    submit(chair, f"abstimmungen/{poll.pk}/schliessen")
    expect(chair.locator(".messages")).to_contain_text("Angenommen: 2 Ja, 1 Nein, 0 Enthaltungen")
    # The member who voted from the confirmation learns there that the poll is over, and will
    # see the next poll there too, without a reload.
    expect(keyboard.locator("#cast-answer .live-vote")).to_contain_text(
        "Zurzeit läuft keine Abstimmung", timeout=LIVE
    )
    assert keyboard.evaluate("window.stillTheConfirmation === true"), "the confirmation reloaded"
    submit(chair, f"abstimmungen/{poll.pk}/veroeffentlichen")
    result = display.page.locator(".live-result")
    expect(result).to_contain_text("Angenommen", timeout=LIVE)
    assert display.page.evaluate("window.stillTheSamePage === true"), "the display reloaded"
    expect(result).to_contain_text("Protokoll der geheimen Abstimmung")
    shown = text_of(display.page)
    for user in members:
        assert person(user).family_name not in shown
    assert "Stimmen je Fraktion" not in shown and "Namentliche Abstimmung" not in shown
    totals = display.page.locator(".live-result table").first
    assert re.sub(r"\s+", " ", totals.inner_text()).split() == [
        "Ergebnis",
        "Ja",
        "Nein",
        "Enthaltung",
        "2",
        "1",
        "0",
    ]
    clean(display, "display with the result")

    # The agenda item's decision on the public meeting page.
    visitor_page = tabs()
    visitor_page.goto(base)
    agenda = visitor_page.page.locator("ol.council-agenda li", has_text=item.name)
    expect(agenda).to_contain_text("beschlossen")
    expect(agenda).to_contain_text("Ja: 2, Nein: 1, Enthaltungen: 0")
    item.refresh_from_db()
    expect(agenda).to_contain_text(item.decision.number)
    clean(visitor_page, "meeting page with the decision")


def no_sideways_scrolling(page):
    wide = page.evaluate(
        """() => document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] :
        [...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll')
          && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
          .map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == [], f"wider than the window: {wide}"
    return True


def check_live_pages(visitor, meeting, state):
    """Every live page of the chair in ``state``: axe, CSP and the console (pages.py)."""
    for path in LIVE_CHAIR_PAGES:
        visitor.goto(path.format(meeting=meeting.pk))
        clean(visitor, f"{path} – {state}")
    visitor.goto(LIVE_CHAIR_PAGES[0].format(meeting=meeting.pk))


@pytest.mark.parametrize("size", [(1280, 800), (375, 740)], ids=["desktop", "phone"])
def test_a_chair_walks_attendance_quorum_poll_and_result(browser, server, orm, size):
    """As a chair new to the console, on a desktop and on a phone: mark attendance in one
    save and read who counts, find the meeting not beschlussfähig and see the poll refused,
    establish the quorum when more arrive, run an open poll to its published result, and read
    it on the projector page at 1920×1080."""
    width, height = size
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": height})
    context.add_init_script(path=str(AXE))
    try:
        visitor = Visitor(context.new_page(), server.url)
        chair_user = User.objects.get(email=CHAIR)
        committee = person(chair_user).memberships.get(role="vorsitz").organization
        meeting = voting_demo._meeting(committee.body, committee)
        meeting.name = f"Sitzung für den Rundgang der Sitzungsleitung ({width} px)"
        meeting.save(update_fields=["name"])
        base = f"/musterstadt/sitzungen/{meeting.pk}/"
        page = visitor.page

        sign_in(visitor, CHAIR)
        visitor.goto(base + "sitzungsleitung/")
        submit(page, "vorbereiten")
        submit(page, "eroeffnen")
        check_live_pages(visitor, meeting, "opened")
        session = LiveSession.objects.get(meeting=meeting)
        board = selectors.attendance_board(session)
        seats = [row for row in board.rows if row.standing == selectors.SEAT]
        others = [row for row in board.rows if row.standing != selectors.SEAT]
        needed, statutory = board.summary.needed, board.summary.statutory

        # Who has a vote, who is advisory or a deputy, is written in each row.
        table = page.locator("#attendance table")
        expect(table).to_contain_text("mit Stimme")
        if others:
            expect(table).to_contain_text(str(others[0].standing_label))
        # Too few members with a vote, and an advisory member who does not count.
        present = [row for row in seats[: needed - 1]]
        for row in present:
            page.select_option(f"select[name=p{row.person_id}]", "s")
        if others:
            page.select_option(f"select[name=p{others[0].person_id}]", "s")
        page.click("#attendance button[type=submit]")
        expect(page.locator("#attendance [role=status]")).to_contain_text("Anwesenheit gespeichert")
        status = page.locator(".live-status")
        expect(status).to_contain_text(
            f"{needed - 1} von {statutory} Mitgliedern mit Stimme anwesend ({needed} nötig)"
        )
        assert no_sideways_scrolling(page), "the console scrolls sideways"

        # Found not beschlussfähig: a poll is created but cannot start.
        submit(page, "beschlussunfaehigkeit")
        expect(page.locator(".messages")).to_contain_text("nicht beschlussfähig")
        item = meeting.agenda_items.get(number="Ö 3")
        submit(
            page,
            "abstimmung",
            agenda_item=str(item.pk),
            motion="Der Unterausschuss stimmt dem Ausbau zu.",
            kind="offen",
            majority="einfach",
        )
        poll = Poll.objects.get(session=session)
        submit(page, f"abstimmungen/{poll.pk}/starten")
        expect(page.locator(".messages")).to_contain_text("§ 49 GO NRW")
        poll.refresh_from_db()
        assert poll.state == "angelegt"
        check_live_pages(visitor, meeting, "found not beschlussfähig")

        # One more arrives: the quorum is established and the poll starts.
        mark_present(page, [seats[needed - 1]], presence="s")
        expect(status).to_contain_text(f"{needed} von {statutory} Mitgliedern mit Stimme")
        submit(page, "beschlussfaehigkeit")
        expect(page.locator(".messages")).to_contain_text("Beschlussfähigkeit festgestellt")
        submit(page, f"abstimmungen/{poll.pk}/starten")
        expect(page.locator(".messages")).to_contain_text("Die Abstimmung läuft")
        check_live_pages(visitor, meeting, "poll running")

        # The members with a login vote (here through the service): all yes, one abstains.
        voters = [
            voter
            for voter in Voter.objects.filter(poll=poll).select_related("cast_by__user")
            if voter.cast_by.user_id
        ]
        assert voters, "no member of the demo committee with a login is present"
        for number, voter in enumerate(voters):
            services.cast_vote(voter.cast_by.user, poll, "enthaltung" if number == 0 else "ja")
        poll.refresh_from_db()
        expect(status).to_contain_text(f"{len(voters)} von {poll.eligible}", timeout=LIVE)
        submit(page, f"abstimmungen/{poll.pk}/schliessen")
        expect(page.locator(".messages")).to_contain_text("1 Enthaltung.")
        submit(page, f"abstimmungen/{poll.pk}/veroeffentlichen")
        check_live_pages(visitor, meeting, "result published")
        assert no_sideways_scrolling(page), "the console scrolls sideways"
    finally:
        context.close()

    # The projector: large type, the item and the result on one screen.
    projector = browser.new_context(locale="de-DE", viewport={"width": 1920, "height": 1080})
    projector.add_init_script(path=str(AXE))
    try:
        display = Visitor(projector.new_page(), server.url)
        display.goto(base + "live/")
        outcome = display.page.locator(".live-outcome")
        expect(outcome).to_have_text(re.compile("Angenommen"))
        clean(display, "projector with the result")
        size_of = "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
        assert display.page.evaluate(size_of, ".live-big") >= 64  # the current item
        assert display.page.evaluate(size_of, ".live-outcome") >= 96
        assert display.page.evaluate(size_of, ".live-totals td") >= 96
        box = outcome.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 1080, "result below the screen"
        assert no_sideways_scrolling(display.page)
        assert display.page.locator("style, [style]").count() == 0
    finally:
        projector.close()
