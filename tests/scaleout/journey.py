"""The scale-out journey over HTTP, hopping between two app processes that share a PostgreSQL
primary (with a streaming replica that lags on purpose) and Redis.

Usage: python -m tests.scaleout.journey URL_A URL_B  (LOTSE_METRICS_TOKEN in the environment)

A citizen signs in on A, submits an idea on B, sees it at once on A (own write, primary),
supports another idea on A and sees the support on B, finds the idea by search on B;
anonymous visitors read public pages from the replica on both and find the idea once the
replica has it. Two members vote in the running poll of a live meeting, one casting on A and
seeing it counted on B, the other the other way round. The programme owner publishes a status
report on B, watches the background task (run by the task worker) finish on A and finds the
report on B; anonymous readers get it from the replica. The metrics of both processes must
show replica reads."""

import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BODY = "skalierstadt"
EMAIL, PASSWORD = "buergerin@skalierstadt.example", "Richtig-Passwort-42"
OTHER_IDEA = "Kostenloses WLAN in der Stadtbibliothek"
NEW_IDEA = f"Sitzbänke mit Steckdosen am Marktplatz {int(time.time())}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser: a cookie jar used against either app process."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def csrf(self, url):
        status, _, page = self.get(url)
        assert status == 200, (url, status, page[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1), page

    def post(self, url, data, form_url=None):
        token, _ = self.csrf(form_url or url)
        return self.request(url, {**data, "csrfmiddlewaretoken": token}, {"Referer": url})

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def replica_reads(base):
    status, _, text = Browser().get(
        base + "/metrics", headers={"Authorization": f"Bearer {os.environ['LOTSE_METRICS_TOKEN']}"}
    )
    assert status == 200, status
    found = re.search(r'lotse_db_reads_routed_total\{database="replica"\} ([0-9.e+]+)', text)
    return float(found.group(1)) if found else 0.0


def step(text):
    print(f"  - {text}", flush=True)


def sign_in(base, email):
    browser = Browser()
    status, _, page = browser.post(base + "/konto/login/", {"login": email, "password": PASSWORD})
    assert status == 302, f"sign-in of {email}: {status} {page[:500]}"
    return browser


def vote(ids, a, b):
    meeting = f"/{BODY}/sitzungen/{ids['meeting']}/"
    cast = meeting + f"abstimmen/stimme/{ids['poll']}/"
    for number, (here, there) in enumerate(((a, b), (b, a)), start=1):
        member = sign_in(there, f"mitglied{number}@skalierstadt.example")
        status, _, page = member.get(here + meeting + "abstimmen/")
        assert status == 200 and "Wir stimmen zu." in page, f"member page: {status}"
        status, _, page = member.post(
            here + cast, {"option": "ja"}, form_url=here + meeting + "abstimmen/"
        )
        assert status == 200, f"confirm: {status} {page[:500]}"
        status, _, page = member.post(
            here + cast,
            {"option": "ja", "confirmed": "True"},
            form_url=here + meeting + "abstimmen/",
        )
        assert status in (302, 303), f"cast: {status} {page[:1000]}"
        status, _, page = member.get(there + meeting + "abstimmen/")
        assert "Sie haben abgestimmt." in page, "own vote counted on the other process"
        step(f"member {number} voted on {here[-5:]}, the vote shows on {there[-5:]}")


def publish(ids, a, b):
    workshop = f"/{BODY}/verwaltung/berichte/{ids['report']}/"
    owner = sign_in(a, "cdo@skalierstadt.example")
    status, headers, page = owner.post(b + workshop + "veroeffentlichen/", {})
    assert status == 302, f"publish: {status} {page[:1000]}"
    step("programme owner asked to publish on B (a background task)")
    deadline = time.monotonic() + 180
    while True:
        status, headers, page = owner.get(
            a + workshop + "veroeffentlichung/", headers={"HX-Request": "true"}
        )
        assert status in (200, 204), f"publication status: {status} {page[:500]}"
        if headers.get("HX-Refresh") == "true":
            break
        assert time.monotonic() < deadline, f"the publication did not finish: {page[:500]}"
        time.sleep(1)
    status, _, page = owner.get(b + f"/{BODY}/berichte/")
    assert status == 200 and "Sachstandsbericht Skalierung" in page, "report listed on B"
    step("the worker published it; the owner sees it at once on A and B")
    deadline = time.monotonic() + 30
    while True:
        status, _, page = Browser().get(a + f"/{BODY}/berichte/")
        if "Sachstandsbericht Skalierung" in page:
            break
        assert time.monotonic() < deadline, "the replica never got the report"
        time.sleep(0.5)
    step("anonymous readers on A get the report from the replica")


def main(a, b):
    ids = json.loads((Path(os.environ["LOTSE_DATA_DIR"]) / "scaleout.json").read_text())
    ideas = f"/{BODY}/ideen/"
    visitor = Browser()
    for base in (a, b):
        status, _, page = visitor.get(base + ideas)
        assert status == 200 and OTHER_IDEA in page, status
    assert visitor.cookie("lotse_primary") is None
    step("anonymous idea lists on A and B")

    citizen = Browser()
    status, headers, _ = citizen.post(a + "/konto/login/", {"login": EMAIL, "password": PASSWORD})
    assert status == 302, f"sign-in: {status}"
    assert citizen.cookie("lotse_primary") == "1"
    step("signed in on A (pinned to the primary)")

    token, form = citizen.csrf(b + ideas + "neu/")
    process = re.search(r'<option value="(\d+)"[^>]*selected', form).group(1)
    status, headers, page = citizen.request(
        b + ideas + "neu/",
        {"csrfmiddlewaretoken": token, "process": process, "title": NEW_IDEA,
         "text": "Damit man beim Warten das Telefon laden kann.", "hp_homepage": ""},
        {"Referer": b + ideas + "neu/"},
    )  # fmt: skip
    assert status == 302, f"submit: {status} {page[:2000]}"
    idea_url = headers["Location"]
    step(f"idea submitted on B: {idea_url}")
    status, _, page = citizen.get(a + idea_url)
    assert status == 200 and NEW_IDEA in page, f"own idea on A: {status}"
    step("own idea visible on A at once")

    status, _, page = citizen.get(a + ideas)
    other = re.search(r'href="(/' + BODY + r'/ideen/(\d+)/)"[^>]*>' + OTHER_IDEA, page)
    assert other, "other idea in the list"
    other_url, other_pk = other.group(1), other.group(2)
    status, _, page = citizen.post(a + other_url + "unterstuetzen/", {}, form_url=a + other_url)
    assert status in (200, 302), f"support: {status}"
    status, _, page = citizen.get(b + other_url)
    assert "Sie unterstützen diese Idee." in page, "own support on B"
    assert re.search(r'class="support-count">1 ', page), "support count on B"
    step(f"supported idea {other_pk} on A, support visible on B at once")

    word = NEW_IDEA.split()[0]
    status, _, page = citizen.get(b + ideas + "?" + urllib.parse.urlencode({"q": word}))
    assert status == 200 and NEW_IDEA in page, "own idea in search on B"
    step("search on B finds the own idea")

    # The replica applies changes with a delay (recovery_min_apply_delay): anonymous readers
    # get the idea a little later, from the replica, on either process.
    deadline = time.monotonic() + 30
    seen_late = False
    while True:
        status, _, page = Browser().get(b + ideas + "?" + urllib.parse.urlencode({"q": word}))
        if NEW_IDEA in page:
            break
        seen_late = True
        assert time.monotonic() < deadline, "the replica never got the idea"
        time.sleep(0.5)
    step(f"anonymous search on B finds it from the replica (lagged first: {seen_late})")

    vote(ids, a, b)
    publish(ids, a, b)

    reads = {base: replica_reads(base) for base in (a, b)}
    assert all(count > 0 for count in reads.values()), reads
    step(f"replica reads per process: {reads}")
    status, _, _ = Browser().get(a + "/metrics")
    assert status == 401


if __name__ == "__main__":
    started = time.monotonic()
    main(sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"))
    print(f"journey passed in {time.monotonic() - started:.1f} s")
