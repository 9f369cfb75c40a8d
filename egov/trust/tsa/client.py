"""Ask a time-stamp authority over HTTP (时间戳客户端), RFC 3161 section 3.4.

Pure: no Django, standard library HTTP only, so a department's system can use
it as it is. ``request_time_stamp(url, digest, hash_oid, trusted=...)`` sends a
TimeStampReq with a fresh nonce and certReq, and returns the token only when
it verifies: status granted, signature, the TSA certificate's critical
id-kp-timeStamping and its chain to ``trusted``, the imprint and the nonce.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence

from egov.trust.errors import ErrorCode, TrustError
from egov.trust.tsa.protocol import VerifiedToken, build_request, new_nonce, verify_response

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
MAX_REPLY_BYTES = 256 * 1024
DEFAULT_TIMEOUT = 10.0
FIELD = "tsa_url"


def _unavailable(reason: str) -> TrustError:
    return TrustError(ErrorCode.INVALID_INPUT, FIELD, reason)


def post_query(url: str, query: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """POST ``query`` to the TSA at ``url``; the reply's body, refused unless a timestamp-reply."""
    if not url.startswith(("http://", "https://")):
        raise _unavailable("must be an http:// or https:// URL")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=query, method="POST", headers={"Content-Type": QUERY_TYPE}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            content_type = answer.headers.get_content_type()
            body: bytes = answer.read(MAX_REPLY_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise _unavailable(f"the TSA at {url} did not answer: {exc}") from None
    if content_type != REPLY_TYPE:
        raise _unavailable(f"the TSA answered {content_type}, not {REPLY_TYPE}")
    if len(body) > MAX_REPLY_BYTES:
        raise _unavailable(f"the TSA's reply is larger than {MAX_REPLY_BYTES} bytes")
    return body


def request_time_stamp(
    url: str,
    digest: bytes,
    hash_oid: str,
    *,
    trusted: Sequence[bytes | str],
    timeout: float = DEFAULT_TIMEOUT,
) -> VerifiedToken:
    """A verified time-stamp token over ``digest`` from the TSA at ``url``."""
    nonce = new_nonce()
    reply = post_query(url, build_request(digest, hash_oid, nonce=nonce), timeout=timeout)
    return verify_response(reply, digest=digest, hash_oid=hash_oid, nonce=nonce, trusted=trusted)
