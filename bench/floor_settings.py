"""Lotse's own settings with one more URL, ``/_floor/``: a fixed small page behind the very
same middleware stack (sessions, CSRF, auth, locale, CSP, MFA, rate limits, axes …), served
by the same gunicorn configuration. The bench measures Lotse's pages beside it. Bench only:
never used by an installation."""

from lotse.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
