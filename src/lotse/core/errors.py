"""Error pages in the site's layout and language."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    from lotse.core.middleware import busy_response, is_busy_database_error

    # A busy database outside the view (e.g. in a middleware) is "try again", not an error.
    if is_busy_database_error(sys.exc_info()[1]):
        return busy_response(request)
    # Rendered without context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def permission_denied(request, exception):
    return render(request, "403.html", status=403)
