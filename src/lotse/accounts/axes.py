"""Tell django-axes which account a login attempt was for.

allauth passes the address as ``email`` in the credentials; the form posts it as ``login``.
Lower-casing makes "Anna@…" and "anna@…" count against the same lockout.
"""


def login_identifier(request, credentials) -> str | None:
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login")
    return value.strip().lower() if value else None
