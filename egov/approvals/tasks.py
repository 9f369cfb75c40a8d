"""Background tasks of approvals (huey): deemed acceptance (视为受理) every 15 minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.approvals.services import accept_deemed_applications


@db_periodic_task(crontab(minute="*/15"))
def accept_deemed_applications_periodically() -> list[str]:
    """Record deemed acceptance (行政许可法第三十二条) for applications past their window.

    The same service as ``egov accept_deemed_applications``; the numbers settled.
    """
    return accept_deemed_applications()
