"""Reading another system's OParl 1.0 or 1.1 endpoint, politely and forgivingly.

One HTTP connection (an ``httpx.Client``), retries with backoff on 5xx answers and timeouts,
a configurable pause between requests, and the deviations real servers show turned into
what the spec means:

- a 404 or ``[]`` instead of an empty list page; a list answering one object; ``data``
  holding one object instead of an array; a ``next`` link that loops;
- objects without ``type`` (the type is taken from where they were found);
- single objects where arrays belong and arrays where one object belongs;
- ``"N/A"``, ``"-"`` or blank strings for "no value";
- control characters in the JSON text;
- timestamps with microseconds, with ``Z`` or without any zone (read as German time);
- ``http:`` links on an ``https:`` system (followed as ``https:``).
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import httpx

ZONE = ZoneInfo("Europe/Berlin")
BLANK = {"", "n/a", "na", "-", "--", "null", "none", "k.a.", "keine angabe"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FetchError(Exception):
    """A URL that could not be read; ``reason`` says why (for the report)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


# ----------------------------------------------------------------- values


def text(value) -> str:
    """A string, or "" for what means "nothing"."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, dict):
        return ""
    value = CONTROL.sub("", str(value)).strip()
    return "" if value.lower() in BLANK else value


def many(value) -> list:
    """A list for an array, one value, or nothing."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v not in (None, "")]
    return [value]


def one(value):
    """One value for one value or an array of them."""
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "")), None)
    return value


def moment(value) -> datetime.datetime | None:
    """A date-time with or without microseconds, ``Z`` or zone; without a zone, German time."""
    value = text(value)
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.datetime.combine(
                datetime.date.fromisoformat(value[:10]), datetime.time()
            )
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZONE)
    return parsed


def day(value) -> datetime.date | None:
    value = text(value)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def flag(value, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    value = text(value).lower()
    if value in ("true", "1", "ja", "yes"):
        return True
    if value in ("false", "0", "nein", "no"):
        return False
    return default


def kind_of(obj: dict, expected: str) -> str:
    """The OParl type name (``Paper``) from ``type``, or the expected one if it is missing."""
    declared = text(obj.get("type"))
    if declared:
        return declared.rstrip("/").rsplit("/", 1)[-1]
    return expected


def loads(content: bytes):
    """JSON that may carry control characters (in strings or between tokens)."""
    raw = content.decode("utf-8-sig", errors="replace")
    try:
        return json.loads(raw, strict=False)
    except json.JSONDecodeError:
        return json.loads(CONTROL.sub("", raw), strict=False)


# ----------------------------------------------------------------- HTTP


class Fetcher:
    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        delay: float = 0.0,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 30.0,
        sleep=time.sleep,
    ):
        self.client = client or httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"Accept": "application/json", "User-Agent": "Lotse-OParl-Import/1.0"},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.https = False
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def fix(self, url: str) -> str:
        """``http:`` links on an ``https:`` system are followed as ``https:``."""
        url = text(url)
        parts = urlsplit(url)
        if self.https and parts.scheme == "http":
            return urlunsplit(("https", *parts[1:]))
        return url

    def response(self, url: str, *, stream: bool = False):
        url = self.fix(url)
        if not url.startswith(("http://", "https://")):
            raise FetchError(url, "not an http(s) URL")
        attempt = 0
        while True:
            if self.requests and self.delay:
                self.sleep(self.delay)
            self.requests += 1
            try:
                if stream:
                    request = self.client.build_request("GET", url)
                    answer = self.client.send(request, stream=True)
                else:
                    answer = self.client.get(url)
            except (httpx.TimeoutException, httpx.TransportError) as problem:
                reason = f"{type(problem).__name__}"
            else:
                if answer.status_code < 500:
                    return answer
                reason = f"HTTP {answer.status_code}"
                answer.close()
            attempt += 1
            if attempt > self.retries:
                raise FetchError(url, reason)
            self.sleep(self.backoff * 2 ** (attempt - 1))

    def json(self, url: str):
        """The JSON at ``url``; ``None`` for 404/410."""
        answer = self.response(url)
        if answer.status_code in (404, 410):
            return None
        if answer.status_code >= 400:
            raise FetchError(url, f"HTTP {answer.status_code}")
        try:
            return loads(answer.content)
        except (ValueError, UnicodeDecodeError) as problem:
            raise FetchError(url, f"no JSON ({problem})") from problem

    def objects(self, url: str, expected: str, *, params: dict | None = None) -> Iterator[dict]:
        """Every object of an external list, whatever shape its pages have."""
        url = self.fix(url)
        if params:
            url = str(httpx.URL(url).copy_merge_params(params))
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            page = self.json(url)
            if page is None or page == []:
                return
            if isinstance(page, list):
                items, url = page, None
            elif isinstance(page, dict) and "data" in page:
                items = many(page.get("data"))
                links = page.get("links") if isinstance(page.get("links"), dict) else {}
                nxt = text(links.get("next"))
                url = self.fix(nxt) if nxt else None
            elif isinstance(page, dict) and (page.get("id") or page.get("type")):
                items, url = [page], None  # one object instead of a list
            else:
                return
            for item in items:
                if isinstance(item, dict):
                    item.setdefault("type", expected)
                    yield item

    def download(self, url: str, max_bytes: int) -> bytes:
        answer = self.response(url, stream=True)
        try:
            if answer.status_code >= 400:
                raise FetchError(url, f"HTTP {answer.status_code}")
            declared = answer.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(url, f"larger than {max_bytes} bytes")
            data = bytearray()
            for chunk in answer.iter_bytes():
                data += chunk
                if len(data) > max_bytes:
                    raise FetchError(url, f"larger than {max_bytes} bytes")
            return bytes(data)
        finally:
            answer.close()
