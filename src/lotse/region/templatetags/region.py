"""Template tags through which other apps' pages show the district's shared work without
importing this app (they include its templates only if it is installed)."""

from django import template

from lotse.region import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def measure_region(context, measure):
    """A measure's library entry with its adoptions, its origin and its joint measure."""
    return selectors.measure_region(measure, context["request"].user)


@register.simple_tag
def regional_contributions(kreis):
    """Each regional field of a Kreis with the towns' contributions (public only)."""
    return selectors.contributions(kreis)


@register.simple_tag
def region_figures(kreis):
    return selectors.region_figures(kreis)
