"""The ``egov`` command: Django's management commands plus the platform's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["egov", *sys.argv[1:]])
