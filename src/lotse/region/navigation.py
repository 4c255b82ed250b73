"""The library's place in the body navigation: a Kreis and its towns have one."""

from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.core.navigation import register_body_nav


def has_library(body: Body) -> bool:
    return body.kind == Body.Kind.KREIS or body.parent_id is not None


register_body_nav(_("Library"), "region:library", order=120, exists=has_library)
register_body_nav(
    _("Regional links"),
    "region:links",
    order=820,
    permission="region.edit_links",
)
