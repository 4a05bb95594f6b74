"""``steward organisations load``: load the NHS organisation reference data.

``steward organisations set-risk ODS LEVEL --reason …``: record an organisation's
risk level (low, medium, high or not_assessed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from steward.organisations.services import (
    DATA_DIR,
    ReferenceDataError,
    organisation_risk_set,
    organisations_load_reference_data,
)

ACTOR = "steward organisations load"


class Command(BaseCommand):
    help = "Work with the NHS organisation reference data."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subcommands.required = True
        load = subcommands.add_parser(
            "load",
            help="Create or update regions, organisations and successions from the "
            "reference files. Safe to run again: a second run changes nothing.",
        )
        load.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="A folder holding regions.csv, nhs_organisations.csv and reorganisations.csv "
            "(default: the data that comes with Steward).",
        )
        load.add_argument(
            "--reason",
            default="Load the NHS organisation reference data",
            help="Why the data is being loaded, for the audit trail.",
        )

        risk = subcommands.add_parser(
            "set-risk", help="Record an organisation's risk level, with a reason."
        )
        risk.add_argument("ods_code")
        risk.add_argument("risk_level", choices=["not_assessed", "low", "medium", "high"])
        risk.add_argument("--reason", required=True, help="Why, for the audit trail.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            self.load(data_dir=options["data_dir"], reason=options["reason"])
        elif subcommand == "set-risk":
            self.set_risk(options["ods_code"], options["risk_level"], options["reason"])

    def set_risk(self, ods_code: str, risk_level: str, reason: str) -> None:
        from django.core.exceptions import ValidationError

        from steward.organisations.models import Organisation

        organisation = Organisation.objects.filter(ods_code__iexact=ods_code.strip()).first()
        if organisation is None:
            raise CommandError(f"No organisation has the ODS code {ods_code}.")
        try:
            organisation_risk_set(
                organisation=organisation,
                risk_level=risk_level,
                actor="steward organisations set-risk",
                reason=reason,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{organisation.name} ({organisation.ods_code}): risk level "
            f"{organisation.get_risk_level_display().lower()}."
        )

    def load(self, *, data_dir: Path, reason: str) -> None:
        console = Console(file=self.stdout, width=100)
        console.print(f"Loading NHS organisation reference data from {data_dir}")
        with Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=not console.is_terminal,
            disable=not console.is_terminal,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            try:
                result = organisations_load_reference_data(
                    actor=ACTOR, reason=reason, data_dir=data_dir, progress=progress
                )
            except ReferenceDataError as exc:
                raise CommandError(str(exc)) from exc

        table = Table(title="NHS organisation reference data")
        for column in ("", "In the files", "Created", "Updated"):
            table.add_column(column, justify="left" if not column else "right")
        table.add_row(
            "Regions",
            str(result.regions_in_files),
            str(result.regions_created),
            str(result.regions_updated),
        )
        table.add_row(
            "Organisations",
            str(result.organisations_in_files),
            str(result.organisations_created),
            str(result.organisations_updated),
        )
        table.add_row(
            "Successions",
            str(result.successions_in_files),
            str(result.successions_created),
            str(result.successions_updated),
        )
        console.print(table)
        if result.changed:
            console.print(f"Done: {result.created} created, {result.updated} updated.")
        else:
            console.print("Done: everything was already up to date (0 created, 0 updated).")
