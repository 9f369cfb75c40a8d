"""Django's error handlers (handler400/403/404/500): JSON under ``/api/``, pages elsewhere.

The pages are Django's defaults (templates ``404.html``, ``403.html``, ...), except
that form data over the limit answers the 413 page; the API's answers say why a
body was refused (too large, too many fields or files).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from egov.core.api_errors import is_api_request, refused_body, status_problem
from egov.core.middleware import too_large_page


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 for form data over the limit; the API names the reason."""
    if is_api_request(request):
        return refused_body(exception) or status_problem(400)
    if isinstance(exception, RequestDataTooBig):
        return too_large_page(request)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return status_problem(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return status_problem(404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return status_problem(500)
    return defaults.server_error(request)
