"""The OParl endpoint in the visibility matrix (issue 15, point 4): whoever asks, signed in
or not, member or council office, it serves the public view of the pages, every list and
object type alike (OParl responses are public and cached)."""

import pytest

from tests.council.test_pages import SECRET_DECISION, SECRET_ITEM, SECRET_PAPER
from tests.council.test_visibility import USERS, login  # noqa: F401  (fixture)
from tests.oparl.scene import oparl_scene
from tests.oparl.test_endpoint import everything


@pytest.fixture
def scene(body):
    return oparl_scene(body)


@pytest.mark.parametrize("who", USERS)
def test_oparl_shows_the_public_view_to_everyone(client, body, scene, login, who):  # noqa: F811
    login(who)
    text = everything(client, body)
    for secret in (SECRET_ITEM, SECRET_PAPER, SECRET_DECISION, "Kaufvertrag", "Personalakte"):
        assert secret not in text, who
    assert '"number":"N 1","public":false' in text  # the item, masked
    assert "Digitale Bürgerdienste ausbauen" in text
