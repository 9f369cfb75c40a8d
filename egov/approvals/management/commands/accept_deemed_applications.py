"""``egov accept_deemed_applications``: settle deemed acceptance (视为受理) for waiting cases.

Run periodically (cron or a huey periodic task): every application left
unanswered past its 5-working-day acceptance window is recorded as accepted on
the fifth working day (《中华人民共和国行政许可法》第三十二条).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.approvals.services import accept_deemed_applications


class Command(BaseCommand):
    help = "Record deemed acceptance for applications unanswered past the 5-working-day window."

    def handle(self, *args: Any, **options: Any) -> None:
        settled = accept_deemed_applications()
        for number in settled:
            self.stdout.write(number)
        self.stdout.write(f"deemed accepted: {len(settled)}")
