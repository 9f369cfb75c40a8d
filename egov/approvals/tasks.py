"""Background tasks of approvals (huey): deemed acceptance (视为受理) every 15 minutes,
and the daily refresh of the stored case clocks just after midnight (ADR 0047)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.approvals.services import accept_deemed_applications
from egov.approvals.services.clocks import refresh_case_clocks


@db_periodic_task(crontab(minute="*/15"))
def accept_deemed_applications_periodically() -> list[str]:
    """Record deemed acceptance (行政许可法第三十二条) for applications past their window.

    The same service as ``egov accept_deemed_applications``; the numbers settled.
    """
    return accept_deemed_applications()


# Huey's crontabs are in UTC (as backup's): 16:05 UTC is 00:05 Beijing time, just
# after the clock moves (it moves only at midnight, on case steps and on calendar changes).
@db_periodic_task(crontab(minute="5", hour="16"))
def refresh_case_clocks_daily() -> dict[str, int]:
    """00:05 Beijing time: the daily refresh of the stored clocks (``egov refresh_case_clocks``)."""
    return refresh_case_clocks()
