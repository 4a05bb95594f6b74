"""Django's ``flush``, able to empty the append-only audit tables in tests only.

Test cases that commit (``transaction=True``, live-server browser tests) are
cleaned up with ``flush``. The audit tables refuse DELETE and TRUNCATE, so
this override tells the database triggers that this one purge is allowed,
but only when ``DEBUG`` or ``STEWARD_TESTING`` is on. In production the
triggers still refuse and ``flush`` fails rather than erase the trail.
"""

from django.core.management.commands import flush
from django.db import connections

from steward.audit import guards


class Command(flush.Command):
    def handle(self, **options):
        with guards.purge_allowed(connections[options["database"]]):
            return super().handle(**options)
