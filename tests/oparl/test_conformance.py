"""The OParl 1.1 conformance checker of ../shared/standards/oparl-1.1 against a live server
(on the demo: tests/browser/test_oparl_validator.py, which serves it already).

Runs on the council scene with files (public and non-public), a withdrawn paper (a tombstone
under ``modified_since``) and a deleted meeting, so the checker sees every kind of object.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.oparl.scene import oparl_scene

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
