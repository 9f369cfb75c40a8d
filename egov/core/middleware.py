"""Request middleware of the platform shell."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
        if request.path.startswith("/api/"):
            body = {
                "code": "invalid_input",
                "message": f"invalid input: {field}: {reason}",
                "field": field,
                "errors": [{"field": field, "reason": reason}],
            }
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(
            f"{field}: {reason}", content_type="text/plain; charset=utf-8"
        )
