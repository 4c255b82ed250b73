"""Every public page of the demo. Adding a page to the accessibility checks is one line."""

PUBLIC_PAGES = [
    "/",
    "/musterkreis/",
    "/musterstadt/",
    "/beispielstadt/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
    "/gibt-es-nicht/",
]
