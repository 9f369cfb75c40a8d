"""Two RA officers approve the same application at once: one certificate, one refusal.

Meaningful on PostgreSQL (the application row is locked with SELECT ... FOR
UPDATE; the second officer waits, then finds it issued). On SQLite the
IMMEDIATE transactions serialise the two; the in-memory test database answers
"table is locked" at once instead of waiting, so there the loser retries, as a
file database's busy timeout would. The outcome is asserted on both.
"""

from __future__ import annotations

import threading

from django.db import OperationalError, connection

from egov.core.models import Event
from egov.trust import registration
from egov.trust.errors import TrustError
from egov.trust.models import Certificate
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import apply_generated


def attempt(officer, number: str) -> str:
    for _ in range(300):
        try:
            registration.approve_application(
                actor=officer, number=number, identity_check="核验身份证原件", passphrase=PASSPHRASE
            )
        except TrustError as exc:
            return str(exc.code)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            threading.Event().wait(0.01)
            continue
        return "issued"
    return "gave up"


def test_two_concurrent_approvals_issue_one_certificate(
    emptied_audit_chain_afterwards, ca_sm, citizen, ra_officer_province, ra_officer_harbin
):
    application = apply_generated(citizen)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(officer) -> None:
        try:
            barrier.wait()
            outcomes.append(attempt(officer, application.number))
        finally:
            connection.close()

    officers = (ra_officer_province, ra_officer_harbin)
    threads = [threading.Thread(target=approve, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["issued", "not_pending"]
    assert Certificate.objects.filter(holder=citizen).count() == 1
    aggregate = f"certificate_application:{application.number}"
    assert (
        Event.objects.filter(
            aggregate=aggregate, event_type="CertificateApplicationApproved"
        ).count()
        == 1
    )
