"""The OParl 1.1 conformance checker of ../shared/standards/oparl-1.1 against a live server.

Runs on the council scene with files (public and non-public), a withdrawn paper (a tombstone
under ``modified_since``) and a deleted meeting, so the checker sees every kind of object.
"""

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.oparl.scene import add_demo_files, oparl_scene

ROOT = Path(__file__).resolve().parents[2]
# ../shared next to the repository (a worktree sits one level deeper, under wt/).
VALIDATE = next(
    (
        candidate / "shared/standards/oparl-1.1/validate.py"
        for candidate in (ROOT.parent, ROOT.parent.parent)
        if (candidate / "shared/standards/oparl-1.1/validate.py").exists()
    ),
    ROOT.parent / "shared/standards/oparl-1.1/validate.py",
)


@pytest.mark.skipif(
    not VALIDATE.exists(), reason=f"the OParl checker is missing: {VALIDATE} (../shared absent)"
)
@pytest.mark.django_db(transaction=True)
def test_validate_py_passes_on_a_live_server(live_server, body):
    scene = oparl_scene(body)
    scene.upcoming.delete()
    withdrawn = scene.public_paper
    withdrawn.is_public = False
    withdrawn.save()
    withdrawn.is_public = True
    withdrawn.save()
    validate(live_server)


def validate(live_server, *options):
    result = subprocess.run(
        [
            sys.executable,
            str(VALIDATE),
            f"{live_server.url}/oparl/v1.1/system",
            "--file-sample",
            "5",
            "--quiet",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.skipif(
    not VALIDATE.exists(), reason=f"the OParl checker is missing: {VALIDATE} (../shared absent)"
)
@pytest.mark.django_db(transaction=True)
def test_validate_py_passes_on_the_demo(live_server):
    """What ``make run`` serves: the demo (with files added, which it lacks), all bodies."""
    call_command("demo", stdout=StringIO())
    from lotse.core.models import Body

    add_demo_files(Body.objects.get(slug="musterstadt"))
    output = validate(live_server)
    # The checker walked every type, files included.
    for kind in ("Paper", "Meeting", "AgendaItem", "Consultation", "File", "Membership"):
        row = re.search(rf"^\s*{kind}\s+(\d+)", output, re.MULTILINE)
        assert row and int(row.group(1)) > 0, output
