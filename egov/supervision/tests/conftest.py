"""Supervision tests run at a stated moment, after the stories they replay.

The factories' case stories, catalogue items and demo months are dated in
2026, up to the end of November, and the intake refuses events from the future
(``impossible_time``). So every supervision test runs on Wednesday 2 December
2026 at 10:00 in Asia/Shanghai, whatever the real date or ``EGOV_TEST_TODAY``;
a test that needs another moment moves there itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from egov.core.testing import shanghai

AFTER_THE_STORIES = shanghai(2026, 12, 2, 10)


@pytest.fixture(autouse=True)
def _after_the_stories(time_machine: Any) -> None:
    time_machine.move_to(AFTER_THE_STORIES)
