"""Settings of a scaled-out deployment (ADR 0052, docs/deployment.md): the database
through PgBouncer in transaction mode, and the cache in Redis.

Each consecutive transaction may run on another server connection, so the web
processes that go through the pooler must use no server-side cursors and no
prepared statements; SQLite and direct connections keep their settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from egov.settings import database_from_url

POSTGRES = "postgres://egov@127.0.0.1:6432/egov"
PROBE_DATABASE = """
import json
from django.conf import settings
default = settings.DATABASES["default"]
print(json.dumps({
    "no_server_cursors": default.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "options": default.get("OPTIONS", {}),
    "cache": settings.CACHES["default"],
}))
"""


def test_through_a_transaction_pooler_no_server_cursors_or_prepared_statements() -> None:
    config = database_from_url(POSTGRES, transaction_pooler=True)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert config["OPTIONS"]["prepare_threshold"] is None
    assert config["CONN_MAX_AGE"] == 60  # the client side still keeps its connection


def test_a_direct_connection_keeps_server_cursors_and_prepared_statements() -> None:
    config = database_from_url(POSTGRES)
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS", False)
    assert "prepare_threshold" not in config.get("OPTIONS", {})


def test_sqlite_ignores_the_pooler_flag() -> None:
    config = database_from_url("sqlite:////tmp/egov-test.sqlite3", transaction_pooler=True)
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS", False)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_environment_turns_the_pooler_settings_on(tmp_path: Path) -> None:
    found = probe(tmp_path, EGOV_DATABASE_URL=POSTGRES, EGOV_DATABASE_TRANSACTION_POOLER="1")
    assert found["no_server_cursors"] is True
    assert found["options"] == {"prepare_threshold": None}
    unset = probe(tmp_path, EGOV_DATABASE_URL=POSTGRES)
    assert unset["no_server_cursors"] is False
    assert "prepare_threshold" not in unset["options"]


def probe(var_dir: Path, **environment: str) -> dict:
    """The database settings of ``egov.settings`` loaded in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {"DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(var_dir)}
    env |= environment
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE_DATABASE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_the_cache_is_redis_when_named_and_process_memory_otherwise(tmp_path: Path) -> None:
    shared = probe(tmp_path, EGOV_CACHE_URL="redis://127.0.0.1:6379/2")["cache"]
    assert shared == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
    }
    local = probe(tmp_path)["cache"]
    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
