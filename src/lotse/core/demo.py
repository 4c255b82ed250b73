"""Demo bodies: the district Musterkreis with the towns Musterstadt and Beispielstadt."""

from lotse.core.models import Body

BODIES = [
    {
        "slug": "musterkreis",
        "name": "Musterkreis",
        "short_name": "Musterkreis",
        "kind": Body.Kind.KREIS,
        "ags": "05999000",
        "rgs": "059990000000",
        "parent": None,
        "website": "https://www.musterkreis.example",
        "contact_email": "digitalisierung@musterkreis.example",
        "contact_phone": "+49 123 4567-0",
        "address": "Kreishaus, Musterplatz 1, 12345 Musterstadt",
        "accent_colour": "#1d5e3a",
    },
    {
        "slug": "musterstadt",
        "name": "Stadt Musterstadt",
        "short_name": "Musterstadt",
        "kind": Body.Kind.STADT,
        "ags": "05999004",
        "rgs": "059990004004",
        "parent": "musterkreis",
        "website": "https://www.musterstadt.example",
        "contact_email": "digitale-agenda@musterstadt.example",
        "contact_phone": "+49 123 9876-0",
        "address": "Rathaus, Marktplatz 1, 12345 Musterstadt",
        "accent_colour": "#005a9c",
    },
    {
        "slug": "beispielstadt",
        "name": "Stadt Beispielstadt",
        "short_name": "Beispielstadt",
        "kind": Body.Kind.STADT,
        # A yellow town colour: the platform darkens it to keep contrast.
        "ags": "05999008",
        "rgs": "059990008008",
        "parent": "musterkreis",
        "website": "https://www.beispielstadt.example",
        "contact_email": "digital@beispielstadt.example",
        "contact_phone": "+49 123 5555-0",
        "address": "Rathaus, Am Brunnen 3, 12346 Beispielstadt",
        "accent_colour": "#f2c200",
    },
]


def load(out) -> None:
    for spec in BODIES:
        values = dict(spec)
        slug = values.pop("slug")
        parent = values.pop("parent")
        values["parent"] = Body.objects.get(slug=parent) if parent else None
        body = Body.objects.filter(slug=slug).first()
        if body is None:
            body = Body(slug=slug, **values)
            body.full_clean()
            body.save()
            out.write(f"  Körperschaft angelegt: {body.name}")
