"""Each bad input of issue 13 is refused with its reason code, recorded as a security
event, and leaves no message and no event behind."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from egov.core.models import Event, SecurityEvent
from egov.exchange import services
from egov.exchange.envelope import sign_document
from egov.exchange.models import Message
from egov.exchange.testing import make_member, system_certificate
from egov.exchange.tests.helpers import document, post
from egov.trust import services as trust_services
from egov.trust.pki.certificates import load_certificate

pytestmark = pytest.mark.django_db


def refused(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code
    if field is not None:
        assert body["field"] == field
    assert not Message.objects.exists()
    assert not Event.objects.filter(event_type__startswith="Exchange").exists()
    recorded = SecurityEvent.objects.get(kind="access_refused")
    assert recorded.detail["channel"] == "exchange"
    assert recorded.detail["code"] == code


def test_a_wrong_signature(member, moment):
    envelope = member.envelope(document(), created=moment)
    other = member.envelope(document("别的"), created=moment)
    envelope["signature"]["value"] = other["signature"]["value"]
    refused(post(envelope), 403, "bad_signature", "signature.value")


def test_a_valid_signature_over_other_bytes(member, moment):
    envelope = member.envelope(document(), created=moment)
    envelope["recipients"] = ["egov-platform", "harbin-node"]
    refused(post(envelope), 403, "bad_signature")


def test_a_signed_digest_that_is_not_the_payloads(member, moment):
    envelope = member.envelope(document(), created=moment)
    envelope["payload"]["title"] = "篡改"
    envelope = sign_document(
        envelope,
        key=member.key,
        certificate_der=load_certificate(member.certificate.certificate_pem).der,
    )
    refused(post(envelope), 403, "digest_mismatch", "digest.value")


def test_an_unknown_member(member, moment):
    envelope = member.envelope(document(), created=moment)
    envelope["sender"] = "nobody-here"
    refused(post(envelope), 403, "unknown_member", "sender")


def test_a_suspended_member_is_stopped_at_once(member, moment):
    services.suspend_member(actor="system", code=member.code, reason="test")
    refused(post(member.envelope(document(), created=moment)), 403, "member_suspended")


def test_a_revoked_certificate(member, moment):
    trust_services.revoke_certificate(
        actor="ca-officer", serial=member.certificate.serial, reason="keyCompromise"
    )
    SecurityEvent.objects.all().delete()  # the revocation's own security event
    refused(post(member.envelope(document(), created=moment)), 403, "certificate_revoked")


def test_an_expired_certificate(node, moment):
    short = make_member("short-lived", "230102-SCJG")
    key, certificate = system_certificate("short-lived-2", short.member.organisation, days=1)
    short.member.certificate_serial = certificate.serial
    short.member.save()
    short.key, short.certificate = key, certificate
    later = moment + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        refused(post(short.envelope(document(), created=later)), 403, "certificate_expired")


def test_a_certificate_that_is_not_the_members(member, moment):
    _, other = system_certificate("intruder", member.member.organisation)
    envelope = member.envelope(document(), created=moment)
    other_member = make_member("other-docs", "230102-SCJG")
    envelope = other_member.envelope(document(), created=moment)
    envelope["sender"] = member.code
    refused(post(envelope), 403, "certificate_mismatch")
    assert other.serial != member.certificate.serial


def test_an_unregistered_type(member, moment):
    refused(
        post(member.envelope({"x": 1}, message_type="weather", created=moment)),
        400,
        "unknown_type",
        "type",
    )


def test_a_type_the_member_may_not_send(node, moment):
    member = make_member("case-only", "230102-SCJG", may_send=("case-event",))
    refused(post(member.envelope(document(), created=moment)), 403, "type_not_allowed", "type")


def test_a_payload_failing_its_schema(member, moment):
    payload = document()
    del payload["filename"]
    refused(post(member.envelope(payload, created=moment)), 400, "invalid_payload", "payload")


def test_a_replay_outside_the_window(member, moment):
    stale = member.envelope(document(), created=moment - dt.timedelta(minutes=11))
    refused(post(stale), 400, "stale_message", "created")


def test_a_message_from_the_future(member, moment):
    ahead = member.envelope(document(), created=moment + dt.timedelta(minutes=6))
    refused(post(ahead), 400, "stale_message", "created")


def test_a_message_for_another_node(member, moment):
    envelope = member.envelope(document(), created=moment, recipients=("harbin-node",))
    refused(post(envelope), 403, "wrong_recipient", "recipients")


def test_an_oversized_message(member, moment, settings):
    settings.EGOV_EXCHANGE_MAX_MESSAGE_BYTES = 4096
    payload = document()
    payload["content"] = "QUFB" * 1500
    refused(post(member.envelope(payload, created=moment)), 413, "too_large", "envelope")


def test_malformed_json(member):
    refused(post(b'{"version": 1, "id": ', raw=True), 400, "malformed_json", "body")


def test_an_envelope_missing_its_signature(member, moment):
    envelope = member.envelope(document(), created=moment)
    del envelope["signature"]
    refused(post(envelope), 400, "invalid_envelope", "signature")


def test_the_same_id_with_other_content_is_a_conflict(member, moment):
    first = member.envelope(document(), created=moment)
    assert post(first).status_code == 200
    second = member.envelope(document("另一份"), created=moment, message_id=first["id"])
    response = post(second)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Message.objects.count() == 1
    assert Message.objects.get().envelope == first
    assert json.loads(json.dumps(SecurityEvent.objects.get().detail))["code"] == "conflict"
