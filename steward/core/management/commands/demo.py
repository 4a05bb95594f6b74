"""``steward demo``: idempotent demo data, and a table of the demo sign-ins."""

from django.conf import settings
from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from steward.core.demo import DEMO_DOMAIN, demo_load, demo_totp_code


class Command(BaseCommand):
    help = "Load the NHS organisations and a demo user for every role; print the sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            metavar="EMAIL",
            help="Print the current authenticator code for a demo user and stop.",
        )

    def handle(self, *args, code=None, **options):
        if code:
            if not code.endswith(f"@{DEMO_DOMAIN}"):
                self.stderr.write("Codes are only printed for demo users.")
                raise SystemExit(1)
            self.stdout.write(demo_totp_code(code))
            return
        sign_ins = demo_load()
        table = Table(title="Steward demo sign-ins", show_lines=False)
        for column in ("Role", "Where", "Email", "Password", "Authenticator secret"):
            table.add_column(column, overflow="fold")
        for s in sign_ins:
            table.add_row(s.role, s.where, s.email, s.password, s.totp_secret or "–")
        console = Console(file=self.stdout, width=200)
        console.print(table)
        if settings.DEMO_SKIP_MFA:
            console.print("DEMO_SKIP_MFA is on: no authenticator codes are asked for.")
        else:
            console.print(
                "Roles with an authenticator secret ask for a 6-digit code after the password: "
                "add the secret to any authenticator app, or run "
                "`steward demo --code EMAIL` for the current code."
            )
