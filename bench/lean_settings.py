"""Lotse with only the middleware its apps insist on (allauth's), and one more URL in front
of the cast: ``bench/lean_urls.py`` answers a vote with the vote's own work alone. Bench
only: never used by an installation (it skips CSRF's origin checks, the MFA requirement and
every response header)."""

from lotse.settings import *  # noqa: F403

MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
ROOT_URLCONF = "bench.lean_urls"
