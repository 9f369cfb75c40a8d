"""The ``egov`` command: Django's management commands plus the platform's own.

A command may be spelled with hyphens (``egov login-sign``) for the module
``login_sign``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:]
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = arguments[0].replace("-", "_")
    execute_from_command_line(["egov", *arguments])
