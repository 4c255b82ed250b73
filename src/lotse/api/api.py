"""The REST API under /api/v1/. Each app adds its router in ``api.add_router``."""

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Router

from lotse.accounts.models import BodyRole
from lotse.api.auth import PersonalToken
from lotse.api.schemas import BodyOut, MeOut
from lotse.api.views import LotseDocs
from lotse.core.api import errors, install_error_handlers
from lotse.core.models import Body
from lotse.council.api import router as council_router
from lotse.participation.api import router as participation_router
from lotse.strategy.api import router as strategy_router

api = NinjaAPI(
    title="Lotse API",
    version="1",
    description=(
        "Open data and write access for the Digitale Agenda of the bodies on this "
        "installation. Reading public data needs no token; writing needs a personal token "
        "(Authorization: Bearer lotse_…) created in the profile."
    ),
    urls_namespace="api",
    # The documentation is Lotse's own accessible German page, generated from the schema.
    docs=LotseDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

bodies = Router(tags=["Bodies"])


@bodies.get("", response=list[BodyOut], summary="List the bodies of this installation")
def list_bodies(request):
    return Body.objects.select_related("parent").order_by("name")


@bodies.get("/{slug}", response={200: BodyOut, **errors(404)}, summary="One body")
def get_body(request, slug: str):
    return get_object_or_404(Body.objects.select_related("parent"), slug=slug)


account = Router(tags=["Account"])


@account.get(
    "",
    response={200: MeOut, **errors(401)},
    auth=PersonalToken(),
    summary="The token's owner and roles",
)
def me(request):
    roles: dict[str, list[str]] = {}
    for slug, role in BodyRole.objects.filter(user=request.auth).values_list("body__slug", "role"):
        roles.setdefault(slug, []).append(role)
    return {"email": request.auth.email, "display_name": request.auth.display_name, "roles": roles}


api.add_router("/bodies", bodies)
api.add_router("/bodies", strategy_router)
api.add_router("/bodies", participation_router)
api.add_router("/bodies", council_router)
api.add_router("/me", account)
