"""Data for the scale-out journey on a freshly migrated primary: a town with an open
participation process, an idea by someone else and a citizen who signs in.

Run as ``python -m tests.scaleout.setup_data`` with the app processes' environment."""

import django

django.setup()

from tests.factories import PASSWORD, BodyFactory, UserFactory  # noqa: E402
from tests.participation.factories import IdeaFactory, ProcessFactory  # noqa: E402

body = BodyFactory(slug="skalierstadt", name="Stadt Skalierstadt", short_name="Skalierstadt")
process = ProcessFactory(body=body, title="Digitale Skalierstadt", slug="digital")
IdeaFactory(process=process, title="Kostenloses WLAN in der Stadtbibliothek")
UserFactory(email="buergerin@skalierstadt.example", display_name="Berta Bürgerin")
print(f"body=skalierstadt process={process.pk} password={PASSWORD}")
