"""The voting guarantees, tested against the real server (gunicorn, two worker processes with
threads) over HTTP: 200 members voting at once are each counted exactly once and cannot vote
twice; a server killed with SIGKILL mid-poll loses no vote it confirmed; after the close and
for anyone not entitled, every vote is refused. Runs on SQLite, and on PostgreSQL when
DATABASE_URL is set; the server gets a database of its own (see liveserver.py)."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.voting.liveserver import Client, LiveServer, ServerDatabase, option_for

# The test database is only copied for the server; these tests never write to it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def live_db(django_db_setup, django_db_blocker):
    """A copy of the migrated, empty test database, for the server alone."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    assert "memory" in name or "test" in name, f"refusing to copy {name}"
    database = ServerDatabase("live")
    try:
        with django_db_blocker.unblock():
            if database.vendor == "postgresql":
                connection.close()  # a template must have no one connected
                database.copy_of(name)
            else:
                connection.ensure_connection()
                database.copy_of(connection.connection)
        yield database
    finally:
        database.drop()


class Servers:
    """The module's server, started again when a test has killed it."""

    def __init__(self, database):
        self.database, self.running = database, None

    def current(self) -> LiveServer:
        if self.running is None or self.running.process.poll() is not None:
            self.running = LiveServer(self.database).start()
        return self.running


@pytest.fixture(scope="module")
def servers(live_db):
    started = Servers(live_db)
    try:
        yield started
    finally:
        if started.running is not None:
            started.running.stop()


@pytest.fixture
def server(servers):
    return servers.current()


def clients(server, fixture) -> list[Client]:
    return [Client(server.port, voter["session"]) for voter in fixture["voters"]]


def all_at_once(calls: list) -> list:
    """Run the calls in as many threads, released together; an exception is a result."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        try:
            return call()
        except OSError as error:
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def tally(database, poll_id: int) -> dict:
    """What the database holds for a poll: the votes cast as written at the close (0 while it
    runs: a vote never writes the poll's row), the voted-list, the filled ballots or the
    votes per option."""
    cast, kind, state = database.rows(
        'SELECT "cast", kind, state FROM voting_poll WHERE id = %s', poll_id
    )[0]
    table = "voting_ballot" if kind == "geheim" else "voting_vote"
    options = database.rows(
        f"SELECT option, COUNT(*) FROM {table} WHERE poll_id = %s AND option <> '' GROUP BY option",
        poll_id,
    )
    voted = database.rows(
        "SELECT person_id FROM voting_voter WHERE poll_id = %s AND has_voted", poll_id
    )
    return {
        "cast": cast,
        "state": state,
        "voted": {person for (person,) in voted},
        "options": Counter(dict(options)),
    }


def close(server, fixture) -> None:
    answer = Client(server.port, fixture["chair"]).post(fixture["urls"]["close"], {})
    assert answer.status == 302, answer.body[:500]


def test_two_hundred_members_vote_at_once_and_each_is_counted_once(live_db, server):
    fixture = live_db.committee(200, "geheim")
    members = clients(server, fixture)
    assert fixture["eligible"] == 200

    first = all_at_once(
        [lambda c=c, n=n: c.vote(fixture, option_for(n)) for n, c in enumerate(members)]
    )

    statuses = Counter(getattr(a, "status", type(a).__name__) for a in first)
    assert statuses == {303: 200}
    accepted = {
        voter["person"]: option_for(n)
        for n, (voter, answer) in enumerate(zip(fixture["voters"], first, strict=True))
        if answer.status == 303
    }
    held = tally(live_db, fixture["poll"])
    assert held["cast"] == 0  # the votes left the poll's row alone
    assert held["voted"] == set(accepted)
    assert held["options"] == Counter(accepted.values())

    again = all_at_once([lambda c=c: c.vote(fixture, "nein") for c in members])
    assert Counter(a.status for a in again) == {409: 200}
    assert tally(live_db, fixture["poll"]) == held

    close(server, fixture)
    yes, no, abstain, state = live_db.rows(
        "SELECT yes, no, abstain, state FROM voting_poll WHERE id = %s", fixture["poll"]
    )[0]
    assert state == "geschlossen"
    counted = Counter(accepted.values())
    assert (yes, no, abstain) == (counted["ja"], counted["nein"], counted["enthaltung"])
    assert tally(live_db, fixture["poll"])["cast"] == len(accepted) == 200
    assert server.server_errors() == []


def test_votes_racing_the_close_are_counted_once_or_refused(live_db, server):
    """The chair closes while members vote: every vote answered 303 is in the count the close
    wrote, nothing is written after it, and every vote sent after the close's answer is
    refused. (A vote never writes the poll's row; the close waits for the votes in flight.)"""
    fixture = live_db.committee(150, "geheim")
    members = clients(server, fixture)
    answered = threading.Semaphore(0)
    closed_at: list[float] = []

    def vote(number, member):
        sent = time.monotonic()
        try:
            answer = member.vote(fixture, option_for(number))
        except OSError as error:
            return sent, error
        answered.release()
        return sent, answer

    with ThreadPoolExecutor(max_workers=24) as pool:
        futures = [pool.submit(vote, n, m) for n, m in enumerate(members)]
        for _ in range(30):  # the poll is under way
            assert answered.acquire(timeout=120)
        closing = Client(server.port, fixture["chair"]).post(fixture["urls"]["close"], {})
        closed_at.append(time.monotonic())
        held = tally(live_db, fixture["poll"])
        results = [future.result() for future in futures]

    assert closing.status == 302, closing.body[:500]
    statuses = Counter(getattr(answer, "status", type(answer).__name__) for _s, answer in results)
    assert set(statuses) == {303, 409}, statuses  # the race happened, and nothing failed
    accepted = Counter(
        option_for(n) for n, (_sent, answer) in enumerate(results) if answer.status == 303
    )
    for sent, answer in results:
        if sent > closed_at[0]:
            assert answer.status == 409
        if answer.status == 409:
            assert "Diese Abstimmung ist nicht geöffnet." in answer.body
    after = tally(live_db, fixture["poll"])
    assert after == held  # nothing was written after the close
    assert after["state"] == "geschlossen"
    assert after["options"] == accepted
    assert len(after["voted"]) == after["cast"] == accepted.total()
    yes, no, abstain = live_db.rows(
        "SELECT yes, no, abstain FROM voting_poll WHERE id = %s", fixture["poll"]
    )[0]
    assert (yes, no, abstain) == (accepted["ja"], accepted["nein"], accepted["enthaltung"])
    assert server.server_errors() == []


def test_a_vote_confirmed_before_a_crash_survives_it(live_db, servers):
    """SIGKILL to the whole server while members vote; after the restart every vote that got
    its 303 is there with its option, the books agree, and the poll closes and counts."""
    fixture = live_db.committee(80, "namentlich")
    first = servers.current()
    members = clients(first, fixture)
    confirmed = threading.Semaphore(0)

    def vote(number, member):
        try:
            answer = member.vote(fixture, option_for(number))
        except OSError as error:
            return error
        if answer.status == 303:
            confirmed.release()
        return answer

    with ThreadPoolExecutor(max_workers=24) as pool:
        futures = [pool.submit(vote, n, m) for n, m in enumerate(members)]
        for _ in range(20):  # the poll is well under way
            assert confirmed.acquire(timeout=120)
        first.kill()
        answers = [future.result() for future in futures]

    accepted = {
        voter["person"]: option_for(n)
        for n, (voter, answer) in enumerate(zip(fixture["voters"], answers, strict=True))
        if getattr(answer, "status", None) == 303
    }
    unanswered = [n for n, answer in enumerate(answers) if isinstance(answer, OSError)]
    assert len(accepted) >= 20
    assert unanswered, "the kill came too late to interrupt anyone"
    assert all(getattr(a, "status", 303) == 303 for a in answers)

    second = servers.current()
    assert second is not first
    held = tally(live_db, fixture["poll"])
    options = dict(
        live_db.rows(
            "SELECT voter.person_id, vote.option FROM voting_vote vote "
            "JOIN voting_voter voter ON voter.id = vote.voter_id WHERE vote.poll_id = %s",
            fixture["poll"],
        )
    )
    assert {person: options.get(person) for person in accepted} == accepted
    assert held["state"] == "laeuft"
    assert len(held["voted"]) == sum(held["options"].values())

    # Who got no answer tries again: refused if the vote was taken before the kill.
    members = clients(second, fixture)
    retried = all_at_once([lambda n=n: members[n].vote(fixture, option_for(n)) for n in unanswered])
    for number, answer in zip(unanswered, retried, strict=True):
        taken = fixture["voters"][number]["person"] in held["voted"]
        assert answer.status == (409 if taken else 303)

    close(second, fixture)
    after = tally(live_db, fixture["poll"])
    assert after["state"] == "geschlossen"
    assert after["voted"] == {voter["person"] for voter in fixture["voters"]}
    yes, no, abstain = live_db.rows(
        "SELECT yes, no, abstain FROM voting_poll WHERE id = %s", fixture["poll"]
    )[0]
    assert yes + no + abstain == len(after["voted"]) == after["cast"] == 80
    assert second.server_errors() == []


def test_after_the_close_and_for_anyone_not_entitled_every_vote_is_refused(live_db, server):
    fixture = live_db.committee(6, "offen", ineligible=True)
    outsider = fixture["ineligible"]

    # Entitled to nothing: the session holds no vote, whatever is posted.
    for reason, status in [
        ("absent", 409),
        ("befangen", 409),
        ("advisory", 409),
        ("other_committee", 403),
        ("other_body", 403),
    ]:
        answer = Client(server.port, outsider[reason]).vote(fixture, "ja")
        assert answer.status == status, reason
    anonymous = Client(server.port).vote(fixture, "ja")
    assert anonymous.status == 302
    assert "/login/" in anonymous.headers["Location"]
    assert tally(live_db, fixture["poll"])["voted"] == set()

    members = clients(server, fixture)
    for number, member in enumerate(members[:3]):
        assert member.vote(fixture, option_for(number)).status == 303
    close(server, fixture)
    held = tally(live_db, fixture["poll"])
    assert held["state"] == "geschlossen"
    assert held["cast"] == len(held["voted"]) == sum(held["options"].values()) == 3

    late = [member.vote(fixture, "ja") for member in members]
    assert [answer.status for answer in late] == [409] * 6
    assert "Diese Abstimmung ist nicht geöffnet." in late[-1].body
    assert tally(live_db, fixture["poll"]) == held
    assert server.server_errors() == []
