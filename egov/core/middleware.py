"""Request middleware of the platform shell."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from egov.core.api_errors import is_api_request, is_json, status_problem


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


class ApiAnswersJsonMiddleware:
    """Every error answer under ``/api/`` is JSON in the error format (接口错误统一为 JSON).

    Django's own pages (a 405 from ninja, a CSRF 403, an error page of a handler
    that did not know the path) are replaced by the JSON body for their status;
    the ``Allow`` header of a 405 is kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_request(request) or is_json(response):
            return response
        answer = status_problem(response.status_code)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
