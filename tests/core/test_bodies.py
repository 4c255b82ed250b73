"""Bodies: AGS/RGS validation, the district hierarchy, reserved slugs, branding contrast."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lotse.core.branding import SURFACE, WHITE, accessible_accent, contrast_ratio, parse_hex
from lotse.core.models import Body
from lotse.core.validators import validate_ags, validate_rgs
from tests.factories import BodyFactory, KreisFactory

digits = st.text(alphabet="0123456789", min_size=1, max_size=14)


@given(land=st.integers(1, 16), rest=st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_every_eight_digit_ags_with_a_land_code_is_valid(land, rest):
    validate_ags(f"{land:02d}{rest}")


@given(value=digits)
def test_ags_of_other_length_is_refused(value):
    if len(value) == 8 and 1 <= int(value[:2]) <= 16:
        return
    with pytest.raises(ValidationError):
        validate_ags(value)


@pytest.mark.parametrize("value", ["0531500", "053150000", "0531500a", "17315000", "00315000", ""])
def test_bad_ags_examples(value):
    with pytest.raises(ValidationError):
        validate_ags(value)


@pytest.mark.parametrize("value", ["05315000000", "0531500000000", "17315000000x", "993150000000"])
def test_bad_rgs_examples(value):
    with pytest.raises(ValidationError):
        validate_rgs(value)


def test_ags_error_is_german():
    with pytest.raises(ValidationError) as error:
        validate_ags("123")
    assert "genau 8 Ziffern" in error.value.messages[0]


@pytest.mark.django_db
def test_rgs_must_contain_the_ags():
    body = BodyFactory.build(ags="05315000", rgs="053150000001")
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert "rgs" in error.value.message_dict


@pytest.mark.django_db
def test_town_must_lie_in_its_kreis():
    kreis = KreisFactory(ags="05958000", rgs="059580000000")
    inside = BodyFactory.build(parent=kreis, ags="05958004", rgs="059580000004")
    inside.full_clean()
    outside = BodyFactory.build(parent=kreis, ags="05315000", rgs="053150000000")
    with pytest.raises(ValidationError) as error:
        outside.full_clean()
    assert "ags" in error.value.message_dict


@pytest.mark.django_db
def test_only_a_kreis_contains_bodies(body):
    child = BodyFactory.build(parent=body, ags=body.ags[:5] + "999", rgs=body.ags[:5] + "0000999")
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "parent" in error.value.message_dict
    kreis = KreisFactory()
    nested = KreisFactory.build(parent=kreis)
    with pytest.raises(ValidationError):
        nested.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["admin", "api", "konto", "impressum", "health", "oparl"])
def test_platform_paths_are_not_body_slugs(slug):
    body = BodyFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert "slug" in error.value.message_dict


@given(colour=st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_accent_is_always_readable_on_white(colour):
    accent = accessible_accent(colour)
    assert contrast_ratio(parse_hex(accent), WHITE) >= 4.5
    assert contrast_ratio(parse_hex(accent), SURFACE) >= 4.5


def test_accent_keeps_a_colour_that_is_already_dark_enough():
    assert accessible_accent("#005a9c") == "#005a9c"
    assert accessible_accent("#f2c200") != "#f2c200"


@pytest.mark.django_db
def test_body_accent_uses_the_accessible_shade():
    body = BodyFactory(accent_colour="#ffff00")
    assert contrast_ratio(parse_hex(body.accent), WHITE) >= 4.5
    assert body.kind == Body.Kind.STADT
