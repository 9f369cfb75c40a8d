"""The moment the test suite runs at (``EGOV_TEST_TODAY``), for tests only.

``EGOV_TEST_TODAY=YYYY-MM-DD[THH:MM]`` (Asia/Shanghai) makes the whole suite run
as if that were the current moment: the root conftest starts one session-wide
time-machine travel there, and the clock ticks on from it. A date alone means
midnight, the start of that day. Unset, the suite runs on the real clock; tests
whose outcome depends on the date state the moment they need themselves.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
VARIABLE = "EGOV_TEST_TODAY"


class BadTestMomentError(ValueError):
    """``EGOV_TEST_TODAY`` is not a date or a date and time."""


def parse_test_moment(text: str) -> dt.datetime:
    """``2026-10-01`` or ``2026-10-01T09:30`` as an aware Asia/Shanghai moment."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadTestMomentError(
            f"{VARIABLE}={text!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (Asia/Shanghai)"
        ) from error
    if moment.tzinfo is not None:
        raise BadTestMomentError(f"{VARIABLE}={text!r}: give local time, without an offset")
    return moment.replace(tzinfo=SHANGHAI)
