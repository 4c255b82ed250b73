"""The OParl 1.1 checker of ../shared against what ``make run`` serves: the demo, all bodies.

It runs here, beside the browser tests, because they already serve the demo on a live server
(loaded once per process); the checker is a separate process that walks it over HTTP. The
demo lacks files, so the test adds some first (public and non-public).
"""

import re

import pytest

from tests.oparl.scene import add_demo_files
from tests.oparl.test_conformance import VALIDATE, validate


@pytest.mark.skipif(
    not VALIDATE.exists(), reason=f"the OParl checker is missing: {VALIDATE} (../shared absent)"
)
def test_validate_py_passes_on_the_demo(server, orm):
    from lotse.core.models import Body

    add_demo_files(Body.objects.get(slug="musterstadt"))
    # Eight objects of each type dereferenced with their references (the checker's default
    # is 20); the council scene in tests/oparl/test_conformance.py is checked with defaults.
    output = validate(server, "--sample", "8")
    # The checker walked every type, files included.
    for kind in ("Paper", "Meeting", "AgendaItem", "Consultation", "File", "Membership"):
        row = re.search(rf"^\s*{kind}\s+(\d+)", output, re.MULTILINE)
        assert row and int(row.group(1)) > 0, output
