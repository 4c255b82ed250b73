"""The Sachstandsmeldung form asks instead of presetting (issue 14, point 6)."""

import re

import pytest

from lotse.strategy.models import StatusUpdate

pytestmark = pytest.mark.django_db


def test_form_has_no_preselected_light_and_prefills_the_last_progress(
    client, body, measure, make_member
):
    measure.progress = 35
    measure.save(update_fields=["progress"])
    client.force_login(make_member(body, "staff"))
    html = client.get(f"/{body.slug}/verwaltung/massnahmen/{measure.pk}/sachstand/").content
    html = html.decode()
    assert "---------" not in html
    radios = re.findall(r'<input type="radio" name="traffic_light"[^>]*>', html)
    assert len(radios) == 3
    assert not any("checked" in radio for radio in radios)
    assert re.search(r'name="progress" value="35"', html)
    assert "Fortschritt in Prozent" in html
    assert "Wie steht die Maßnahme?" in html  # the legend of the radio group


def test_a_missing_light_is_asked_for_in_german(client, body, measure, make_member):
    client.force_login(make_member(body, "staff"))
    response = client.post(
        f"/{body.slug}/verwaltung/massnahmen/{measure.pk}/sachstand/",
        {"reported_on": "2026-11-01", "progress": 40},
    )
    assert "Bitte wählen Sie grün, gelb oder rot." in response.content.decode()
    assert not StatusUpdate.objects.exists()
