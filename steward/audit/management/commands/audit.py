"""``steward audit``: verify the audit trail, sign a checkpoint, show the public key.

``steward audit verify`` exits 0 when the trail is intact and 1 (naming the
first bad event) when it is not, so it can run from cron or CI.
"""

import base64
import sys

from django.core.management.base import BaseCommand

from steward.audit import services, signing
from steward.audit.verification import DEFAULT_CHUNK_SIZE, verify


class Command(BaseCommand):
    help = "Verify the audit trail, sign a checkpoint now, or show the checkpoint public key."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,checkpoint,public-key}"
        )
        check = commands.add_parser(
            "verify", help="Recompute every hash and checkpoint; exit 1 at the first problem."
        )
        check.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Events read per query (default {DEFAULT_CHUNK_SIZE}).",
        )
        commands.add_parser("checkpoint", help="Sign a checkpoint over every event so far.")
        commands.add_parser("public-key", help="Show the key that signs checkpoints.")

    def handle(self, *args, **options):
        handler = {
            "verify": self.verify,
            "checkpoint": self.checkpoint,
            "public-key": self.public_key,
        }[options["subcommand"]]
        handler(**options)

    def verify(self, *, chunk_size: int, **options):
        if chunk_size < 1:
            self.stderr.write("--chunk-size must be at least 1.")
            sys.exit(2)
        if self.stdout.isatty():
            result = self._verify_with_progress_bar(chunk_size)
        else:
            result = verify(chunk_size=chunk_size)
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.summary()))
            return
        problem = result.problem
        self.stderr.write(self.style.ERROR(result.summary()))
        if problem.seq is not None:
            self.stderr.write(f"First bad event: {problem.seq} ({problem.kind})")
        if problem.checkpoint_id is not None:
            self.stderr.write(f"Checkpoint: {problem.checkpoint_id} ({problem.kind})")
        self.stderr.write(
            f"Checked {result.events_checked} events and {result.checkpoints_checked} "
            "checkpoints before the problem."
        )
        sys.exit(1)

    def _verify_with_progress_bar(self, chunk_size: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("Verifying audit events", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return verify(chunk_size=chunk_size, progress=progress)

    def checkpoint(self, **options):
        try:
            checkpoint = services.checkpoint_create(actor="steward audit checkpoint")
        except services.AuditTrailBroken as exc:
            self.stderr.write(self.style.ERROR(f"No checkpoint signed. {exc}"))
            sys.exit(1)
        if checkpoint is None:
            self.stdout.write("No new audit events since the last checkpoint: nothing to sign.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Signed a checkpoint of {checkpoint.tree_size} events "
                f"(root hash {checkpoint.root_hash})."
            )
        )
        self.stdout.write(checkpoint.note(), ending="")

    def public_key(self, **options):
        key = bytes(signing.verify_key())
        self.stdout.write(f"Origin: {signing.ORIGIN}")
        self.stdout.write("Algorithm: Ed25519")
        self.stdout.write(f"Key ID: {signing.key_id(key)}")
        self.stdout.write(f"Public key (hex): {key.hex()}")
        self.stdout.write(f"Public key (base64): {base64.b64encode(key).decode()}")
        self.stdout.write(f"Verifier key (C2SP): {signing.verifier_key(key)}")
