"""What every bench shares: a Django set up on its own database, a client whose queries can be
counted, and the timing of one page."""

import os
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass


def setup_django() -> None:
    """Configure Lotse for a bench: a fresh SQLite file in a temporary directory unless
    DATABASE_URL is set, migrated, with the cache table."""
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("LOTSE_DATA_DIR", tempfile.mkdtemp(prefix="lotse-bench-"))
    os.environ.setdefault("LOTSE_STATIC_MANIFEST", "0")
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def measuring_client():
    """A test client on one kept connection (as in tests), so queries can be counted."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)


@dataclass
class Timing:
    p50: float
    p95: float
    per_second: float
    queries: int


def time_page(client, url: str, requests: int) -> Timing | int:
    """Server time of ``url`` over ``requests`` requests, or the HTTP status if it fails."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        return response.status_code
    queries = len(captured)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        # Streaming responses (exports) do their work while being read.
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return Timing(
        p50=statistics.median(timings),
        p95=timings[max(int(len(timings) * 0.95) - 1, 0)],
        per_second=1000 / statistics.mean(timings),
        queries=queries,
    )


def failure(status: int) -> str:
    return "missing" if status == 404 else f"HTTP {status}"


def print_peak_memory() -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (whole process)")
