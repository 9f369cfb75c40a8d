from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from egov.exchange.testing import TestMember, make_member, write_node_identity

# The tests' moment: envelopes are dated by it and the freshness window is judged by it.
MOMENT = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def moment() -> Any:
    with time_machine.travel(MOMENT, tick=False):
        yield MOMENT


@pytest.fixture
def node(db: None, regions: None, settings: Any, tmp_path: Path, moment: dt.datetime) -> Path:
    settings.EGOV_EXCHANGE_NODE_DIR = tmp_path / "node"
    write_node_identity(tmp_path / "node")
    return tmp_path / "node"


@pytest.fixture
def member(node: Path) -> TestMember:
    return make_member("daoli-docs", "230102-SCJG")
