"""A bare Django: no middleware and only the apps the task worker beside it needs,
answering "hello" at every path. The lowest floor of the bench. Bench only."""

from lotse.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_tasks",
    "django_tasks_db",
]
AUTH_USER_MODEL = "auth.User"
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_urls"
