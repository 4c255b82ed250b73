"""An id filter beyond what a database column holds is a 422 in the documented error shape,
not an overflow in the database driver (schemathesis found 513831831835807947312594944)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "513831831835807947312594944"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("council/meetings", "organization"),
        ("council/papers", "organization"),
        ("council/decisions", "organization"),
        ("ideas", "action_field"),
        ("measures", "action_field"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "0"])
def test_an_id_filter_out_of_range_is_a_422(client, body, path, parameter, value):
    response = client.get(f"/api/v1/bodies/{body.slug}/{path}?{parameter}={value}")
    assert response.status_code == 422, response.content
    assert "detail" in response.json()


def test_a_real_id_filter_still_answers(client, body):
    response = client.get(f"/api/v1/bodies/{body.slug}/council/papers?organization=1")
    assert response.status_code == 200
