"""``POST /tsa`` refuses what is not a good time-stamp query (RFC 3161 3.4), as a security event.

Faults in the request itself are TimeStampResp rejections with their failInfo;
what is not a time-stamp query at all gets the HTTP error in the JSON error
format. Every refusal is recorded, and nothing else is written.
"""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from egov.core.models import SecurityEvent
from egov.trust.models import Certificate, TimeStampingUnit
from egov.trust.pki.cms import SHA256_OID
from egov.trust.tsa.protocol import MAX_REQUEST_BYTES, SHA1_OID, TimeStampResp, build_request

QUERY = "application/timestamp-query"
DIGEST = hashlib.sha256(b"entry").digest()


def post(body: bytes, content_type: str = QUERY, path: str = "/tsa/intl"):
    return Client().post(path, data=body, content_type=content_type)


def status_of(reply: bytes) -> tuple[str, set[str]]:
    status = TimeStampResp.load(reply)["status"]
    return status["status"].native, set(status["fail_info"].native or ())


def refusal_events() -> list[dict[str, object]]:
    return [e.detail for e in SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_REFUSED)]


def with_policy(policy: str) -> bytes:
    from asn1crypto import tsp

    request = tsp.TimeStampReq.load(build_request(DIGEST, SHA256_OID))
    request["req_policy"] = policy
    return request.dump(force=True)


@pytest.mark.parametrize(
    ("body", "fail_info"),
    [
        (b"\x30\x03\x02\x01", "bad_data_format"),  # truncated DER
        (b"not DER at all", "bad_data_format"),
        (build_request(hashlib.sha1(b"entry").digest(), SHA1_OID), "bad_alg"),  # noqa: S324
        (build_request(hashlib.md5(b"e").digest(), "1.2.840.113549.2.5"), "bad_alg"),  # noqa: S324
        (build_request(DIGEST[:20], SHA256_OID), "bad_data_format"),  # imprint of the wrong size
        (with_policy("1.2.3.4"), "unaccepted_policy"),
    ],
)
def test_bad_request_gets_rejection_with_fail_info(
    tsa_intl: TimeStampingUnit, body: bytes, fail_info: str
) -> None:
    certificates = Certificate.objects.count()
    answer = post(body)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/timestamp-reply"
    assert status_of(answer.content) == ("rejection", {fail_info})
    assert refusal_events() == [
        {"object": "trust.tsa", "fail_info": fail_info, "reason": refusal_events()[0]["reason"]}
    ]
    assert Certificate.objects.count() == certificates


@pytest.mark.parametrize(
    ("method", "content_type", "body", "status", "code"),
    [
        ("get", QUERY, b"", 405, "method_not_allowed"),
        ("post", "application/octet-stream", b"\x30\x00", 415, "unsupported_media_type"),
        ("post", "text/plain", b"hello", 415, "unsupported_media_type"),
        ("post", QUERY, b"\x30" * (MAX_REQUEST_BYTES + 1), 413, "too_large"),
    ],
)
def test_what_is_no_time_stamp_query_gets_http_error_as_json(
    tsa_intl: TimeStampingUnit, method: str, content_type: str, body: bytes, status: int, code: str
) -> None:
    client = Client()
    if method == "get":
        answer = client.get("/tsa/intl")
    else:
        answer = client.post("/tsa/intl", data=body, content_type=content_type)
    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert answer.json()["errors"][0]["reason"]
    assert [e["fail_info"] for e in refusal_events()] == [f"http_{status}"]


def test_unknown_suite_is_not_found(tsa_intl: TimeStampingUnit) -> None:
    answer = post(build_request(DIGEST, SHA256_OID), path="/tsa/rsa")
    assert answer.status_code == 404
    assert answer.json()["field"] == "suite"


def test_without_a_tsa_the_answer_is_system_failure(ca_intl: object) -> None:
    answer = post(build_request(DIGEST, SHA256_OID))
    assert status_of(answer.content) == ("rejection", {"system_failure"})
    assert not TimeStampingUnit.objects.exists()
    assert [e["fail_info"] for e in refusal_events()] == ["system_failure"]


def test_a_good_query_writes_no_security_event(tsa_intl: TimeStampingUnit) -> None:
    answer = post(build_request(DIGEST, SHA256_OID, nonce=5))
    assert status_of(answer.content) == ("granted", set())
    assert refusal_events() == []
