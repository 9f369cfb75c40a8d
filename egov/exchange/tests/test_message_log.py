"""GET /api/v1/exchange/log: auditors read received messages in their scope, checkable offline."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.exchange.envelope import check_envelope, check_receipt, parse_envelope
from egov.exchange.testing import make_member
from egov.exchange.tests.helpers import document, post

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/log"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_auditor_reads_and_checks_the_messages_of_their_scope(
    member, moment, make_staff, clerk_harbin_daoli
):
    qiqihar = make_member("qiqihar-docs", "230200-SCJG")
    sent = member.envelope(document(), created=moment)
    post(sent)
    post(qiqihar.envelope(document("齐齐哈尔"), created=moment))
    auditor = make_staff("auditor_harbin", "230100-GOV", ("auditor",))

    entries = as_user(auditor).get(URL).json()["items"]
    assert [e["sender"] for e in entries] == ["daoli-docs"]
    entry = entries[0]
    assert entry["message_id"] == sent["id"]
    check_envelope(parse_envelope(entry["envelope"]))  # offline, from the log alone
    check_receipt(entry["receipt"], entry["envelope"])
    assert as_user(auditor).get(URL, {"message_type": "case-event"}).json()["items"] == []
    assert as_user(clerk_harbin_daoli).get(URL).json()["items"] == []


def test_anonymous_callers_are_refused(node):
    assert Client().get(URL).status_code == 401
