"""Body branding that cannot break contrast: the accent colour is darkened until text in it
reaches WCAG 2.1's 4.5:1 on the palest grey the pages use (and so on white, and white text
on it)."""

MIN_CONTRAST = 4.5
WHITE = (255, 255, 255)
# --surface in lotse.css, the darkest background accent-coloured text stands on.
SURFACE = (243, 244, 246)


def parse_hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accessible_accent(colour: str) -> str:
    """The given colour, darkened in small steps until it reaches 4.5:1 against the surface.

    A body may choose its town colour; a light yellow would make links unreadable, so the
    platform uses the nearest darker shade instead of refusing the choice.
    """
    rgb = parse_hex(colour)
    factor = 1.0
    candidate = rgb
    while contrast_ratio(candidate, SURFACE) < MIN_CONTRAST:
        factor -= 0.02
        candidate = tuple(max(0, round(c * factor)) for c in rgb)  # type: ignore[assignment]
    return to_hex(candidate)
