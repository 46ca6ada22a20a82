"""The user name django-axes records for a sign-in attempt.

Axes keeps the name tried in a column of 255 characters; a longer one (no account has one) would
make recording the failure a database error, on PostgreSQL, and the sign-in page a server error.
"""

from django.conf import settings

RECORDED_LENGTH = 255


def username_tried(request, credentials: dict | None = None) -> str | None:
    """The name from the credentials (or the posted form), cut to what axes can record."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return value[:RECORDED_LENGTH] if isinstance(value, str) else value
