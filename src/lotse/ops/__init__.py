"""Running Lotse on more than one app process: the read replica's router, Prometheus metrics.

Not an app (no models): settings name the middleware and the router, urls.py the view."""
