"""Template helpers shared by all apps."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from lotse.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Sanitised HTML from Markdown (nh3 removes anything but plain formatting)."""
    return mark_safe(render_markdown(text))  # sanitised by nh3 above


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (``None`` removes one), for
    sorting and pagination links that keep the filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def euro(value) -> str:
    """An amount as German readers expect it: 12.500,00 € (– when empty)."""
    if value is None or value == "":
        return "–"
    return f"{floatformat(value, '2g')} €"
