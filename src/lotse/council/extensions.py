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


# Which of some meetings are running now by a later app's account (a live meeting opened and
# not yet closed): a function ``(meeting_ids) -> set of ids``, one query each.
RunningMeetings = Callable[[list[int]], set[int]]
_running_meetings: list[RunningMeetings] = []


def register_running_meetings(function: RunningMeetings) -> None:
    if function not in _running_meetings:
        _running_meetings.append(function)


def running_meetings(meeting_ids: list[int]) -> set[int]:
    if not meeting_ids:
        return set()
    return {pk for function in _running_meetings for pk in function(meeting_ids)}
