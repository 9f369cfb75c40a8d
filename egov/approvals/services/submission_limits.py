"""How many applications an account, and an address, may file (申请频次限制).

``EGOV_SUBMISSION_RATE`` bounds each citizen or enterprise account and
``EGOV_SUBMISSION_RATE_PER_ADDRESS`` each client address (``20/h`` and
``60/h`` unless configured; ``off`` lifts one). The uses are counted in the
database (:func:`egov.core.services.ratelimit.take_rate`) inside the
submission's transaction, so every web process shares the count and a
refused or failed submission is not counted.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.core.models import User
from egov.core.ratelimit import Rate, parse_rate
from egov.core.services.ratelimit import take_rate

SCOPE = "approvals.submission"


class Limit(NamedTuple):
    """One count a submission is held to: its scope, whose it is, the rate."""

    scope: str
    holder: str
    rate: Rate


def limits(applicant: User, address: str | None) -> list[Limit]:
    """The counts this submission is held to, as configured (``off`` drops one)."""
    configured = [(f"{SCOPE}:account:{applicant.pk}", "account", settings.EGOV_SUBMISSION_RATE)]
    if address is not None:
        per_address = settings.EGOV_SUBMISSION_RATE_PER_ADDRESS
        configured.append((f"{SCOPE}:address:{address}", "address", per_address))
    return [
        Limit(scope, holder, rate)
        for scope, holder, text in configured
        if (rate := parse_rate(text)) is not None
    ]


def count_submission(*, applicant: User, address: str | None, now: dt.datetime) -> None:
    """Count one online application, or refuse it (RATE_LIMITED, with the wait in seconds)."""
    for limit in limits(applicant, address):
        wait = take_rate(scope=limit.scope, rate=limit.rate, now=now)
        if wait is not None:
            raise ApprovalError(
                ErrorCode.RATE_LIMITED,
                f"too many applications from this {limit.holder}: at most {limit.rate}; "
                f"try again in {wait} seconds",
                retry_after=wait,
            )
