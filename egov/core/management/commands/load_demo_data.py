"""``egov load_demo_data``: load the demo organisations and accounts, print the accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.core.demo import load_demo_data
from egov.core.management.commands.demo import accounts_table


class Command(BaseCommand):
    help = "Load demo organisations and one account per role (idempotent); print the accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo_data()
        self.stdout.write("demo accounts (演示账户):\n" + accounts_table(accounts) + "\n")
