"""``{% assessment_for measure as found %}``: lets the measure page's include fetch the
assessment itself, so the page that includes it needs to pass nothing but the measure."""

from django import template

from lotse.assessment.selectors import assessment_for as select_assessment

register = template.Library()


@register.simple_tag
def assessment_for(measure) -> dict:
    return select_assessment(measure)
