"""``egov worker``: the task worker alone (huey consumer, Django's ``run_huey``).

Delivers outbox events and runs periodic jobs. Settings come from ``HUEY`` in
settings.py (SQLite queue under EGOV_VAR_DIR, or Redis with EGOV_REDIS_URL;
EGOV_WORKER_THREADS threads). SIGINT stops it gracefully, SIGTERM at once.
"""

import logging
from typing import Any

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = "Run the task worker (huey consumer) until SIGINT/SIGTERM."

    def handle(self, *args: Any, **options: Any) -> None:
        # The consumer gives the "huey" logger its own handler; without this its
        # lines would be printed twice, once more through the root logger's.
        logging.getLogger("huey").propagate = False
        super().handle(*args, **options)
