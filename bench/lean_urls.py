"""A vote without the framework around it (see ``bench/lean_settings.py``): what the cast
itself costs through the same gunicorn, as a reference between the middleware floor and the
bare hello. The session and the user are read as Django's authentication reads them
(``auth.get_user``: the session's row, the user's row, the session hash), the form's token is
compared with the cookie, then the poll, the one statement of ``cast_vote`` and the fragment
the browser swaps in, as ``CastView`` answers htmx. Bench only."""

from django.conf import settings
from django.contrib import auth
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.module_loading import import_string

from lotse.urls import urlpatterns as lotse_urls
from lotse.voting import selectors, services
from lotse.voting.services import VoteRefused

SessionStore = import_string(settings.SESSION_ENGINE + ".SessionStore")


def cast(request, body_slug: str, pk: int, poll_pk: int):
    translation.activate(settings.LANGUAGE_CODE)
    request.session = SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    user = auth.get_user(request)
    token = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not user.is_authenticated or not token or request.POST.get("csrfmiddlewaretoken") != token:
        return HttpResponseForbidden()
    poll = selectors.poll_for_cast(body_slug, pk, poll_pk)
    if poll is None:
        return HttpResponseNotFound()
    urls = {
        "member_url": reverse("voting:member", args=(body_slug, pk)),
        "poll_url": reverse("voting:member_poll", args=(body_slug, pk)),
    }
    try:
        services.cast_vote(user, poll, request.POST.get("option", ""))
    except VoteRefused as refused:
        fragment = render_to_string("voting/_cast_refused.html", {**urls, "error": str(refused)})
        return HttpResponse(fragment, status=409)
    return HttpResponse(render_to_string("voting/_cast_done.html", urls))


urlpatterns = [
    path("<slug:body_slug>/sitzungen/<int:pk>/abstimmen/stimme/<int:poll_pk>/", cast),
    *lotse_urls,
]
