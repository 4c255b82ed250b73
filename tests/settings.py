"""Test overrides on top of lotse.settings (which stays the one settings module)."""

import os

from lotse.settings import *  # noqa: F403
from lotse.settings import STORAGES

# Tests render templates without running collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Argon2 is deliberately slow; the production hasher is checked in tests/core/test_settings.py.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOTSE_SERVE_MEDIA = True
# Serve static files straight from the apps (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Live-server request threads must not keep connections open, or the test database cannot
# be dropped at the end of a PostgreSQL run.
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = 0
    # Runs side by side on one PostgreSQL server each get their own test database (the
    # suffix is inherited by servers a test starts, so they find the same one).
    if "postgresql" in _database["ENGINE"]:
        _suffix = os.environ.setdefault("LOTSE_TEST_DB_SUFFIX", str(os.getpid()))
        _database["TEST"] = {"NAME": f"test_{_database['NAME']}_{_suffix}"}
# Uploaded files of the tests go to a temporary folder, not into ./var.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

DATA_DIR = Path(tempfile.mkdtemp(prefix="lotse-test-"))
MEDIA_ROOT = DATA_DIR / "media"
