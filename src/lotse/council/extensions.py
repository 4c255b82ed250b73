"""Links that later apps add to the council pages without council importing them: an app
registers a function ``(request, meeting) -> [(label, url), …]`` in its ``ready()``."""

from collections.abc import Callable

MeetingLinks = Callable[[object, object], list[tuple[str, str]]]
_meeting_links: list[MeetingLinks] = []


def register_meeting_links(function: MeetingLinks) -> None:
    if function not in _meeting_links:
        _meeting_links.append(function)


def meeting_links(request, meeting) -> list[tuple[str, str]]:
    return [link for function in _meeting_links for link in function(request, meeting)]
