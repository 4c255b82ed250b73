"""Authentication of API calls by personal tokens (``Authorization: Bearer lotse_…``)."""

from ninja.security import HttpBearer

from lotse.accounts.services import user_for_token


class PersonalToken(HttpBearer):
    """Accepts an active token of a user who may still hold one. Each write endpoint then
    asks ``rules`` whether that user may act on the object."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None or not user.has_perm("accounts.hold_api_token"):
            return None
        request.user = user
        return user
