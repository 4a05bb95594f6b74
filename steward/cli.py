"""The ``steward`` command: this project's ``manage.py``.

Every Django management command is available (``steward migrate``,
``steward createsuperuser`` …) beside the project's own (``steward demo``,
``steward serve``, ``steward worker``, ``steward token``, ``steward audit``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["steward", *(argv if argv is not None else sys.argv[1:])])
