"""Typed views of a request: its signed-in user, its htmx details (请求的类型).

``request.user`` is ``User | AnonymousUser``. Behind ``login_required`` or an API
endpoint with ``auth=django_auth`` it is always a ``User``; :func:`signed_in_user`
says so to the type checker, and answers 403 should an anonymous visitor reach it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from egov.core.models import User


class HtmxRequest(HttpRequest):
    """A request through django-htmx's middleware, which sets ``request.htmx``."""

    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` when signed in; otherwise PermissionDenied (403)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
