"""``POST /tsa``: the time-stamp authority over HTTP (RFC 3161 section 3.4).

A DER TimeStampReq in the body with ``Content-Type: application/timestamp-query``
gets a DER TimeStampResp with ``Content-Type: application/timestamp-reply``;
refusals of the request itself (malformed DER, unknown hash, policy, extensions)
are TimeStampResp rejections with their failInfo, as the RFC asks. What is not
a time-stamp query at all (another method or content type, a body over
:data:`~egov.trust.tsa.protocol.MAX_REQUEST_BYTES`) gets the HTTP error and the
platform's JSON error body. Every refusal is a security event.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from egov.core.api_errors import problem_response
from egov.core.errors import ErrorCode as HttpErrorCode
from egov.trust.crypto import SUITE_NAMES
from egov.trust.errors import ErrorCode
from egov.trust.tsa.client import QUERY_TYPE, REPLY_TYPE
from egov.trust.tsa.protocol import MAX_REQUEST_BYTES
from egov.trust.tsa.services import answer_query, record_refusal


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refuse(request: HttpRequest, status: int, code: str, message: str, field: str) -> HttpResponse:
    record_refusal(http_request=request, fail_info=f"http_{status}", reason=message)
    response = problem_response(status, code, message, field)
    if status == 405:
        response["Allow"] = "POST"
    return response


@csrf_exempt  # a machine protocol: no cookies, nothing changes on the caller's behalf
def time_stamp(request: HttpRequest, suite_name: str | None = None) -> HttpResponse:
    """Answer one RFC 3161 time-stamp query (时间戳请求), by the TSA of ``suite_name``."""
    if suite_name is not None and suite_name not in SUITE_NAMES:
        return _refuse(request, 404, HttpErrorCode.NOT_FOUND, "no such suite: sm or intl", "suite")
    if request.method != "POST":
        return _refuse(request, 405, HttpErrorCode.METHOD_NOT_ALLOWED, "use POST", "method")
    if request.content_type != QUERY_TYPE:
        return _refuse(
            request,
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type must be {QUERY_TYPE}",
            "body",
        )
    if _declared_length(request) > MAX_REQUEST_BYTES or len(request.body) > MAX_REQUEST_BYTES:
        return _refuse(
            request, 413, HttpErrorCode.TOO_LARGE, f"larger than {MAX_REQUEST_BYTES} bytes", "body"
        )
    reply = answer_query(request.body, http_request=request, suite_name=suite_name)
    return HttpResponse(reply, content_type=REPLY_TYPE)
