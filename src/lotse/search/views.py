"""The search pages: one body's (``/<body>/suche/``) and the installation's (``/suche/``)."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.search import engine

PARAMETERS = {
    "kind": "art",
    "organization": "gremium",
    "year": "jahr",
    "state": "status",
    "field": "feld",
}
MAX_QUERY = 200


def _with(get, **changes) -> str:
    params = get.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


class SearchMixin:
    template_name = "search/search.html"

    def search(self, bodies, body_id):
        get = self.request.GET
        q = get.get("q", "")[:MAX_QUERY].strip()
        selected = {name: get.get(param, "")[:40] for name, param in PARAMETERS.items()}
        sort = "datum" if get.get("sortierung") == "datum" else "relevanz"
        result = None
        if q:
            result = engine.search(
                self.request.user,
                q,
                bodies,
                body_id=body_id,
                selected=selected,
                sort=sort,
                page=get.get("seite", 1),
            )
        facets = []
        if result is not None:
            labels = {
                "kind": _("Kind"),
                "organization": _("Committee"),
                "year": _("Year"),
                "state": _("State or type"),
                "field": _("Action field"),
            }
            for name in engine.FACETS:
                values = result.facets.get(name)
                if not values:
                    continue
                for value in values:
                    params = get.copy()
                    params.pop("seite", None)
                    if value.selected:
                        params.pop(PARAMETERS[name], None)
                    else:
                        params[PARAMETERS[name]] = value.value
                    value.link = "?" + params.urlencode()
                facets.append((labels[name], values))
        return {
            "q": q,
            "facets": facets,
            "sort": sort,
            "result": result,
            "selected": {k: v for k, v in selected.items() if v},
            "parameters": PARAMETERS,
            "sort_links": {
                key: "?" + _with(get, sortierung=key, seite=None) for key in ("relevanz", "datum")
            },
        }


class BodySearchView(BodyMixin, SearchMixin, TemplateView):
    def get_context_data(self, **kwargs):
        kwargs.update(self.search([self.body], self.body.pk))
        return super().get_context_data(**kwargs)


class SiteSearchView(SearchMixin, TemplateView):
    def get_context_data(self, **kwargs):
        bodies = list(Body.objects.order_by("name"))
        kwargs.update(self.search(bodies, None))
        kwargs["bodies"] = {b.pk: b for b in bodies}
        kwargs["site_wide"] = True
        return super().get_context_data(**kwargs)
