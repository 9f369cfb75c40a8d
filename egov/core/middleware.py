"""Request middleware of the platform shell."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from egov.core.api_errors import (
    body_too_large,
    is_api_request,
    is_json,
    problem_response,
    status_problem,
)
from egov.core.errors import ErrorCode
from egov.core.text_input import character_name, refused_character


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the visitor chose another language (界面语言).

    Django's own middleware follows the browser's Accept-Language, so an English
    browser would get an English government portal by default. Here only the
    choice made with the language switch (its cookie) counts.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


REPLACED_HEADERS = {"content-type", "content-length"}


class ApiAnswersJsonMiddleware:
    """Every error answer under ``/api/`` is JSON in the error format (接口错误统一为 JSON).

    Django's own pages (a 405 from ninja, a CSRF 403, an error page of a handler
    that did not know the path) are replaced by the JSON body for their status;
    their other headers (``Allow`` of a 405, ``Vary``, cookies) are kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_request(request) or is_json(response):
            return response
        answer = status_problem(response.status_code)
        for header, value in response.items():
            if header.lower() not in REPLACED_HEADERS:
                answer[header] = value
        answer.cookies = response.cookies
        return answer


def is_public(response: HttpResponse) -> bool:
    """Whether the view declared its answer the same for everyone (``Cache-Control: public``)."""
    directives = response.get("Cache-Control", "").lower().replace(" ", "").split(",")
    return "public" in directives


class PrivateAnswersNotStoredMiddleware:
    """No cache keeps what a signed-in person or the API was told (不缓存个人数据).

    Every answer to a signed-in user and every ``/api/`` answer carries
    ``Cache-Control: no-store, private``, so neither a shared proxy nor the
    browser's disk keeps case pages, account pages or API data after logout.
    Anonymous pages (the portal home) and answers a view declared ``public``
    (plotly.js, the CRL) stay cacheable; static files never reach this middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_public(response):
            return response
        user = getattr(request, "user", None)
        if is_api_request(request) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


def declared_length(request: HttpRequest) -> int:
    """The body size the client declared (``Content-Length``); 0 if absent or unreadable."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_page(request: HttpRequest) -> HttpResponse:
    """The 413 page (提交内容过大) for a form or upload over the limit."""
    megabytes = settings.EGOV_MAX_REQUEST_BYTES // (1024 * 1024)
    return render(request, "413.html", {"limit_megabytes": megabytes}, status=413)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413: JSON in the error format under ``/api/``, the page elsewhere."""
    return body_too_large() if is_api_request(request) else too_large_page(request)


class RequestSizeLimitMiddleware:
    """Refuse a body over ``EGOV_MAX_REQUEST_BYTES`` by its Content-Length, unread (413).

    Django would otherwise read (and spool to disk) a 120 MB upload before any
    view could refuse it; here the declared size is enough, and not a byte of
    the body is read. Bodies sent without a length are not read by Django at
    all; the proxy's own cap (nginx ``client_max_body_size``) stops them first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > settings.EGOV_MAX_REQUEST_BYTES:
            return request_too_large(request)
        return self.get_response(request)


def query_problem(request: HttpRequest) -> tuple[str, str] | None:
    """The path, or the first query parameter, holding a refused character, and why.

    The characters are :mod:`egov.core.text_input`'s.
    """
    char = refused_character(request.path)
    if char is not None:
        return "path", f"control character {character_name(char)} is not allowed"
    for key, values in request.GET.lists():
        for text in (key, *values):
            char = refused_character(text, multiline=True)
            if char is not None:
                return key, f"control character {character_name(char)} is not allowed"
    return None


class QueryTextMiddleware:
    """400 for a path or query string with control characters, before any view reads it.

    Filters and searches read the query string, and views look objects up by
    the path's codes and numbers; PostgreSQL cannot compare text holding NUL,
    so such a request would end in a 500. The API gets its usual
    ``invalid_input`` body naming the parameter; a page gets a short 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = query_problem(request)
        if problem is None:
            return self.get_response(request)
        field, reason = problem
        if is_api_request(request):
            return problem_response(400, str(ErrorCode.INVALID_INPUT), reason, field)
        return HttpResponseBadRequest(
            f"{field}: {reason}", content_type="text/plain; charset=utf-8"
        )
