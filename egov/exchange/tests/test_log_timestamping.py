"""The message log time-stamped in batches, proven offline, kept for a period (issue 13 item 6).

Every test runs at a fixed moment (``moment`` / ``time_machine``), never the real clock:
the X-Road rule and the retention period are judged against given times.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from egov.exchange import outbound
from egov.exchange.logproof import verify_evidence
from egov.exchange.models import LogBatch, LogStamping, Message, OutboundMessage
from egov.exchange.tasks import timestamp_message_log_every_minute
from egov.exchange.testing import NODE_CODE, TestMember, ensure_tsa, make_member
from egov.exchange.tests.helpers import document, post
from egov.exchange.tests.test_outbound import MOMENT, queue
from egov.exchange.tests.test_outbound import peer as self_peer  # noqa: F401 - a fixture
from egov.exchange.timestamping import purge_expired, stamp_pending, stamping_status
from egov.trust import selectors as trust_selectors
from egov.trust.errors import TrustError
from egov.trust.registration import pem_blocks

pytestmark = pytest.mark.django_db


def received(member: TestMember, moment: dt.datetime, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        sent = member.envelope(document(title), created=moment)
        assert post(sent).status_code == 200
        ids.append(sent["id"])
    return ids


def evidence(user: Any, message_id: str, **params: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(f"/api/v1/exchange/log/{message_id}/evidence", params)


def trusted() -> list[bytes]:
    """What an auditor keeps beside the log export: our CA's certificates only."""
    return pem_blocks(trust_selectors.chain_pem("sm"))


def test_new_entries_are_stamped_in_one_batch_with_a_proof_each(member, moment):
    ensure_tsa()
    received(member, moment, "一", "二", "三")
    assert stamp_pending(now=moment) == 3
    batch = LogBatch.objects.get()
    assert (batch.size, batch.suite, batch.stamped_at) == (3, "sm", moment)
    entries = Message.objects.order_by("pk")
    assert [e.leaf_index for e in entries] == [0, 1, 2]
    assert all(e.log_batch_id == batch.pk and e.proof["size"] == 3 for e in entries)
    assert stamp_pending(now=moment) == 0  # nothing new: no empty batch
    assert LogBatch.objects.count() == 1
    assert LogStamping.objects.get().last_success_at == moment


def test_an_auditor_verifies_an_entry_offline_and_a_tampered_one_fails(member, moment, make_staff):
    ensure_tsa()
    first, second = received(member, moment, "一", "二")
    auditor = make_staff("auditor_harbin", "230100-GOV", ("auditor",))
    assert evidence(auditor, first).status_code == 409  # not stamped yet
    assert evidence(auditor, first).json()["code"] == "not_time_stamped"
    assert timestamp_message_log_every_minute.call_local() == (2, 0)

    answer = evidence(auditor, second)
    assert answer.status_code == 200
    proof = answer.json()
    verified = verify_evidence(proof, trusted())
    assert verified.digest.hex() == proof["root"]

    tampered = proof | {"envelope": proof["envelope"] | {"payload": document("改过的")}}
    with pytest.raises(TrustError) as refused:
        verify_evidence(tampered, trusted())
    assert refused.value.field == "proof"
    forged_receipt = proof | {"receipt": proof["receipt"] | {"received": "2026-11-16T01:00:00Z"}}
    with pytest.raises(TrustError):
        verify_evidence(forged_receipt, trusted())
    token = bytearray(base64.b64decode(proof["token"]))
    token[-5] ^= 0x01
    with pytest.raises(TrustError):
        verify_evidence(proof | {"token": base64.b64encode(bytes(token)).decode()}, trusted())
    with pytest.raises(TrustError):  # the proof of the other entry does not fit this one
        verify_evidence(proof | {"proof": evidence(auditor, first).json()["proof"]}, trusted())


def test_evidence_is_only_for_entries_in_the_callers_scope(
    member, moment, make_staff, clerk_harbin_daoli
):
    ensure_tsa()
    (message_id,) = received(member, moment, "一")
    stamp_pending(now=moment)
    outsider = make_staff("auditor_qiqihar", "230200-GOV", ("auditor",))
    answer = evidence(outsider, message_id)
    assert answer.status_code == 404
    assert answer.json()["code"] == "log_entry_not_found"
    assert evidence(clerk_harbin_daoli, message_id).status_code == 404
    assert Client().get(f"/api/v1/exchange/log/{message_id}/evidence").status_code == 401
    malformed = evidence(outsider, "not-a-uuid")
    assert malformed.status_code == 400
    assert malformed.json()["field"]


def refused_post(url: str, body: Any) -> tuple[int, Any]:
    return 503, {"code": "unavailable"}


def must_not_post(url: str, body: Any) -> tuple[int, Any]:
    raise AssertionError(f"sent to {url} although time-stamping failed for too long")


@pytest.fixture
def peer(node) -> TestMember:
    return make_member(
        "qiqihar-peer",
        "230200-SCJG",
        may_receive=("document",),
        endpoint_url="http://127.0.0.1:9",
    )


def test_a_failing_tsa_writes_nothing_and_after_max_age_the_node_stops_sending(
    member, peer, moment, settings
):
    settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = 3600
    received(member, moment, "一")  # no time-stamping unit yet: the TSA fails
    queued = outbound.queue_message(
        actor="system", recipient=peer.code, message_type="document", payload=document()
    )
    assert stamp_pending(now=moment) == 0
    assert not LogBatch.objects.exists()
    assert Message.objects.get().log_batch is None
    assert Message.objects.get().proof is None
    state = LogStamping.objects.get()
    assert state.last_failure_at == moment
    assert "egov ca tsa" in state.last_error

    within = moment + dt.timedelta(seconds=3600)
    assert not stamping_status(within).sending_blocked
    assert outbound.deliver_outbound(post=refused_post, now=within) == 0
    queued.refresh_from_db()
    assert queued.attempts == 1  # still sending within the period

    late = moment + dt.timedelta(seconds=3601)
    status = stamping_status(late)
    assert status.sending_blocked
    assert "egov ca tsa" in status.reason
    queued.next_attempt_at = late
    queued.save()
    assert outbound.deliver_outbound(post=must_not_post, now=late) == 0
    queued.refresh_from_db()
    assert (queued.attempts, queued.state) == (1, OutboundMessage.State.PENDING)

    ensure_tsa()  # time-stamping works again: sending resumes
    assert stamp_pending(now=late) == 1
    assert not stamping_status(late).sending_blocked
    assert outbound.deliver_outbound(post=refused_post, now=late) == 0
    queued.refresh_from_db()
    assert queued.attempts == 2


def test_status_command_tells_administrators_why_sending_stopped(member, moment, settings, capsys):
    settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = 60
    received(member, moment, "一")
    stamp_pending(now=moment)
    with time_machine.travel(moment + dt.timedelta(minutes=2), tick=False):
        call_command("exchange", "status")
    out = capsys.readouterr().out
    assert "log last time-stamped\tnever" in out
    assert "sending\tsending stopped: log entries unstamped since 2026-11-16 02:00:00" in out
    assert "egov ca tsa" in out
    ensure_tsa()
    stamp_pending(now=moment)
    with time_machine.travel(moment + dt.timedelta(minutes=2), tick=False):
        call_command("exchange", "status")
    assert "sending\tallowed" in capsys.readouterr().out


def test_entries_past_retention_are_purged_with_their_emptied_batches(member, moment, settings):
    settings.EGOV_EXCHANGE_LOG_RETENTION_DAYS = 30
    ensure_tsa()
    old_ids = received(member, moment, "旧一", "旧二")
    stamp_pending(now=moment)
    later = moment + dt.timedelta(days=20)
    with time_machine.travel(later, tick=False):
        (kept_id,) = received(member, later, "新")
    stamp_pending(now=later)
    old_batch, new_batch = LogBatch.objects.order_by("stamped_at")

    assert purge_expired(now=moment + dt.timedelta(days=30)) == 0  # not yet past 30 days
    assert purge_expired(now=moment + dt.timedelta(days=30, seconds=1)) == 2
    assert [str(i) for i in Message.objects.values_list("message_id", flat=True)] == [kept_id]
    assert list(LogBatch.objects.all()) == [new_batch]
    assert not Message.objects.filter(message_id__in=old_ids).exists()
    assert old_batch.pk not in LogBatch.objects.values_list("pk", flat=True)


@pytest.mark.django_db(transaction=True)
def test_a_sent_message_is_logged_with_the_peers_receipt_proven_and_purged_last(
    self_peer,  # noqa: F811 - the fixture imported above
    settings,
    make_staff,
):
    """This node is its own peer (test_outbound's live server): the message goes out over
    loopback, comes back in, and both sides of it are log entries of one batch."""
    settings.EGOV_EXCHANGE_LOG_RETENTION_DAYS = 30
    delivered = MOMENT + dt.timedelta(days=10)
    with time_machine.travel(MOMENT, tick=False):
        ensure_tsa()
        sent = queue("发出的")
        assert outbound.deliver_outbound(now=delivered) == 1
    assert stamp_pending(now=delivered) == 2
    auditor = make_staff("auditor_province", "230000-GOV", ("auditor",))
    answer = evidence(auditor, str(sent.message_id), recipient=NODE_CODE)
    assert answer.status_code == 200
    proof = answer.json()
    assert proof["direction"] == "out"
    assert proof["receipt"]["receiver"] == NODE_CODE
    verify_evidence(proof, trusted())
    with pytest.raises(TrustError):
        verify_evidence(proof | {"direction": "in"}, trusted())

    assert purge_expired(now=MOMENT + dt.timedelta(days=31)) == 1  # the message received
    assert LogBatch.objects.count() == 1  # still holds the message sent
    assert purge_expired(now=MOMENT + dt.timedelta(days=41)) == 1
    assert not LogBatch.objects.exists()
