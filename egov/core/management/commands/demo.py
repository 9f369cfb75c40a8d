"""``egov demo``: a working platform on this machine in one command (演示环境).

Migrates the database (SQLite under EGOV_VAR_DIR unless EGOV_DATABASE_URL says
otherwise), loads the demo data (idempotent: a second run adds nothing),
collects static files, prints the address and the demo accounts, then runs the
web server and the task worker like ``egov serve`` until Ctrl-C or SIGTERM.

The demo is served over plain http on localhost, where secure-only cookies
would never be sent back: the children get EGOV_INSECURE_COOKIES=1. Before
loading, ``EGOV_BIND`` is set to ``--bind`` (the demo inventory probes the
platform there) and each app's demo settings that are unset (the backup
password of the demo's own repository) are set and printed. Never use
``egov demo`` for a real deployment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.core.management.commands.serve import DEFAULT_BIND, serve

ACCOUNT_COLUMNS = ("username", "password", "role", "organisation", "kind")


def accounts_table(accounts: Iterable[Any]) -> str:
    """The demo accounts as a plain-text table with aligned columns."""
    rows = [ACCOUNT_COLUMNS] + [
        tuple(str(getattr(account, column)) for column in ACCOUNT_COLUMNS) for account in accounts
    ]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(ACCOUNT_COLUMNS))]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def settings_lines(applied: Iterable[Any]) -> str:
    """The demo settings ``egov demo`` set, one ``VARIABLE=value  # what it is`` a line."""
    return "".join(
        f"{setting.variable}={setting.value}  # {setting.description}\n" for setting in applied
    )


class Command(BaseCommand):
    help = "Migrate, load demo data, and run web + worker on http://127.0.0.1:8000/ (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("EGOV_BIND", DEFAULT_BIND),
            help="address:port to listen on (EGOV_BIND, default %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("EGOV_WEB_WORKERS", "2")),
            help="gunicorn worker processes (EGOV_WEB_WORKERS, default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from egov.core.demo import apply_demo_settings, load_demo_data

        os.environ["EGOV_BIND"] = options["bind"]
        applied = apply_demo_settings(os.environ)
        self.stdout.write("migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("loading demo data ...")
        accounts = load_demo_data()
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("\ndemo accounts (演示账户):\n" + accounts_table(accounts) + "\n")
        if applied:
            self.stdout.write("\ndemo settings (演示设置, demo only):\n" + settings_lines(applied))
        env = {**os.environ, "EGOV_INSECURE_COOKIES": "1"}
        self.stdout.write(
            f"open http://{options['bind']}/ — staff log in at /login/, "
            "citizens and enterprises at /account/login/. Ctrl-C stops.\n"
        )
        status = serve(
            bind=options["bind"],
            web_workers=options["workers"],
            with_worker=True,
            env=env,
            out=self.stdout,
        )
        if status:
            raise CommandError("a child process exited unexpectedly", returncode=status)
