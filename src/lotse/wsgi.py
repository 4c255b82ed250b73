"""WSGI entry point for production servers (``gunicorn lotse.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process: keep
# it out of the garbage collector's full passes, which otherwise walk all of it now and then
# in the middle of a request (a large OParl page's p95 went from 158 to 39 ms).
gc.collect()
gc.freeze()
