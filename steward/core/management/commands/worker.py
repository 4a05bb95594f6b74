"""``steward worker``: the background worker (django-q2, the database as broker)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker: deadlines, reminders, expiries, audit checkpoints."

    def handle(self, *args, **options):
        call_command("qcluster")
