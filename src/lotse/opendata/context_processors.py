"""``feeds``: the Atom and RSS feeds a page links in its head (``<link rel="alternate">``)."""

from lotse.opendata.feeds import KINDS, feed_links

# Page (namespace:url name) → the feeds that follow what it shows.
PAGE_FEEDS = {
    "council:papers": ("vorlagen",),
    "council:paper": ("vorlagen",),
    "council:decisions": ("beschluesse",),
    "council:follow_up_report": ("beschluesse",),
    "reporting:reports": ("berichte",),
    "reporting:report": ("berichte",),
    "strategy:measures": ("massnahmen",),
    "strategy:measure": ("massnahmen",),
    "participation:ideas": ("ideen",),
    "participation:idea": ("ideen",),
    "core:body": tuple(KINDS),
    "opendata:index": tuple(KINDS),
}


def feeds(request):
    body = getattr(request, "lotse_body", None)
    match = getattr(request, "resolver_match", None)
    if body is None or match is None:
        return {"feeds": []}
    kinds = PAGE_FEEDS.get(match.view_name, ())
    return {"feeds": feed_links(body, kinds) if kinds else []}
