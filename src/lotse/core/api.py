"""The one error shape of the REST API and the helpers every app's router uses to answer
and document errors.

Every error answer is ``{"detail": "<one sentence>", "errors": [{"field": …, "message": …}]}``:
``detail`` says what went wrong as a whole, ``errors`` lists the problems per field (empty
when there is none). ``field`` is the field's name, a dotted path for request parts
(``query.page``, ``body.title``) or ``""`` for the request as a whole.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.pagination import PageNumberPagination
from ninja.responses import Status
from pydantic import BeforeValidator

NON_FIELD = "__all__"


class FieldError(Schema):
    field: str = Field(
        ..., description="The field, a dotted path of the request part, or empty for the whole."
    )
    message: str


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in one sentence.")
    errors: list[FieldError] = Field(default_factory=list, description="Problems per field.")


def _iso_date(value):
    """Dates only as ``YYYY-MM-DD`` (pydantic would also take a number as a Unix time)."""
    if isinstance(value, datetime.date) or value is None:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD.")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


# Text parameters: PostgreSQL text cannot hold NUL, so the schema says it is not allowed.
NO_NUL = r"^[^\x00]*$"

MAX_PAGE = 1_000_000
# The largest id a database column holds (64-bit signed): a larger number in a filter is a
# 422, not an overflow in the database driver.
MAX_ID = 2**63 - 1


class Pagination(PageNumberPagination):
    """Ninja's page numbers, bounded so that a huge page number is a 422, not a database
    overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, for ``response={200: X, **errors(404)}``."""
    return dict.fromkeys(codes, ErrorOut)


def body(detail: str, field_errors: list[dict] | None = None) -> dict:
    return {"detail": str(detail), "errors": field_errors or []}


def from_validation_error(error: ValidationError) -> list[dict]:
    """A Django ValidationError (from a service or a model's ``full_clean``) as field errors."""
    if hasattr(error, "error_dict"):
        return [
            {"field": "" if name == NON_FIELD else name, "message": str(message)}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": str(message)} for message in error.messages]


def from_request_errors(items: list[dict]) -> list[dict]:
    """Ninja's (pydantic's) validation errors of path, query and body as field errors."""
    result = []
    for item in items:
        location = [str(part) for part in item.get("loc", ())]
        # ninja puts the argument name of the body schema after "body"; it says nothing.
        if len(location) > 2 and location[0] == "body" and location[1] == "payload":
            location = [location[0], *location[2:]]
        result.append({"field": ".".join(location), "message": str(item.get("msg", ""))})
    return result


def write(status: int, change, *, extra: dict | None = None):
    """Run a service call for a write endpoint: 403 when ``rules`` refuse, 422 with the
    messages per field when validation does, else ``status`` with the result. ``extra`` maps
    further exception types to a function that returns the error answer."""
    try:
        return Status(status, change())
    except PermissionDenied:
        return Status(403, body(_("You may not do this.")))
    except ValidationError as error:
        return Status(422, body(_("The data could not be saved."), from_validation_error(error)))
    except Exception as error:
        for kind, answer in (extra or {}).items():
            if isinstance(error, kind):
                return answer(error)
        raise


def unprocessable(field: str, message: str) -> Status:
    return Status(
        422, body(_("The data could not be saved."), [{"field": field, "message": message}])
    )


def install_error_handlers(api) -> None:
    """Make every error of ``api`` answer in the one shape (ninja's own answers included)."""

    def respond(request, status: int, detail: str, field_errors=None):
        return api.create_response(request, body(detail, field_errors), status=status)

    def request_invalid(request, error: RequestValidationError):
        return respond(
            request, 422, _("The request is not valid."), from_request_errors(error.errors)
        )

    def not_found(request, error):
        return respond(request, 404, _("Not found."))

    def unauthenticated(request, error):
        return respond(request, 401, _("A valid personal token is needed (Bearer …)."))

    def http_error(request, error: HttpError):
        if error.status_code == 400:
            return respond(request, 400, _("The request body is not valid JSON."))
        return respond(request, error.status_code, error.message)

    def forbidden(request, error):
        return respond(request, 403, _("You may not do this."))

    def value_error(request, error: Exception):
        # PostgreSQL cannot hold NUL in text; psycopg refuses such a parameter (as a
        # DataError). Anything else stays a server error.
        if "NUL" not in str(error):
            raise error
        return respond(
            request,
            422,
            _("The request is not valid."),
            [{"field": "", "message": _("The request contains a NUL character.")}],
        )

    api.add_exception_handler(ValueError, value_error)
    api.add_exception_handler(DataError, value_error)
    api.add_exception_handler(RequestValidationError, request_invalid)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(PermissionDenied, forbidden)
