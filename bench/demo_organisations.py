"""Time of loading the demo organisation chart (≈1,250 organisations) in bulk.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL):

    .venv/bin/python -m bench.demo_organisations
    .venv/bin/python -m bench.demo_organisations postgres://postgres@127.0.0.1:5432/egov_bench_regions

Migrates an empty database (which loads the regions), then times
``load_demo_organisations()`` (one bulk insert and one bulk path update per tree
depth, one audit entry) and the idempotent second run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def setup(url: str | None) -> None:
    var_dir = tempfile.mkdtemp(prefix="egov-bench-")
    os.environ["EGOV_VAR_DIR"] = var_dir
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def main() -> None:
    setup(sys.argv[1] if len(sys.argv) > 1 else None)
    from egov.core.demo import load_demo_organisations
    from egov.core.models import Organisation

    started = time.perf_counter()
    created = load_demo_organisations()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = load_demo_organisations()
    second = time.perf_counter() - started
    print(
        f"organisations: {created} created in {first:.2f} s; second run {again} in {second:.2f} s"
    )
    print(f"total in table: {Organisation.objects.count()}")


if __name__ == "__main__":
    main()
