"""``steward token create|revoke|list``: API tokens for a user."""

from django.core.management.base import BaseCommand, CommandError

from steward.accounts import services
from steward.accounts.models import ApiToken, User

ACTOR = "steward token"


class Command(BaseCommand):
    help = "Create, list or revoke API bearer tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token (shown once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")
        revoke = sub.add_parser("revoke", help="Revoke one token, or all of a user's tokens.")
        group = revoke.add_mutually_exclusive_group(required=True)
        group.add_argument("--email", help="Revoke every active token of this user.")
        group.add_argument("--prefix", help="Revoke the token with this prefix.")
        listing = sub.add_parser("list", help="List a user's tokens (prefixes only).")
        listing.add_argument("--email", required=True)

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user signs in with {email}.")
        return user

    def handle(self, *args, action, **options):
        if action == "create":
            issued = services.token_create(
                user=self._user(options["email"]), name=options["name"], actor=ACTOR
            )
            self.stdout.write(issued.secret)
        elif action == "list":
            for token in ApiToken.objects.filter(user=self._user(options["email"])):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.prefix}\t{state}\t{token.name}\t{token.created_at:%Y-%m-%d}"
                )
        elif action == "revoke":
            if options.get("prefix"):
                tokens = ApiToken.objects.filter(prefix=options["prefix"])
                if not tokens.exists():
                    raise CommandError(f"No token has the prefix {options['prefix']}.")
            else:
                tokens = ApiToken.objects.filter(user=self._user(options["email"]))
            count = 0
            for token in tokens.filter(revoked_at__isnull=True):
                services.token_revoke(token=token, actor=ACTOR)
                count += 1
            self.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''}.")
