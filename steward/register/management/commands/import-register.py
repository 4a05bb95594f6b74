"""``steward import-register FILE.csv``: load or update the register from a workforce export.

Exit codes: 0 imported (or nothing to change), 1 stopped by an error part-way
(run the same command again to finish), 2 the file has problems and nothing
was imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from steward.organisations.models import Organisation
from steward.register.importing import (
    ACTOR_CLI,
    COLUMNS,
    ImportSource,
    ImportStopped,
    register_import,
)
from steward.register.models import ImportStatus

SHOWN_PROBLEMS = 50


class RowsPerSecond(ProgressColumn):
    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


class Command(BaseCommand):
    help = (
        "Check a CSV export from an employer's workforce system and apply it to the "
        "register. Safe to run again: a second run of the same file changes nothing, and "
        "a run that was stopped part-way carries on where it stopped. Header: " + ",".join(COLUMNS)
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, with or without BOM).")
        parser.add_argument(
            "--organisation",
            metavar="ODS",
            help="Accept rows for this organisation only (its ODS code, like RR8).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would change, without changing anything.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the rows without problems and write the problems to FILE.report.csv "
            "(by default a file with any problem changes nothing).",
        )

    def handle(self, *args, file: Path, organisation, dry_run, skip_invalid, **options):
        console = Console(file=self.stdout, width=120)
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        only = None
        if organisation:
            only = Organisation.objects.filter(ods_code=organisation.strip().upper()).first()
            if only is None:
                raise CommandError(f"There is no organisation with the ODS code {organisation}.")
        report_path = None if dry_run else file.with_name(f"{file.stem}.report.csv")

        with Progress(
            TextColumn("{task.description:<15}"),
            BarColumn(),
            MofNCompleteColumn(),
            RowsPerSecond(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            try:
                run = register_import(
                    source=ImportSource.from_path(file),
                    actor=ACTOR_CLI,
                    organisation=only,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    report_path=report_path,
                    progress=progress,
                )
            except ImportStopped as exc:
                raise CommandError(str(exc), returncode=1) from exc

        if run.report:
            self._print_report(console, run, report_path)
        if run.status == ImportStatus.INVALID:
            raise CommandError(
                "The file has problems, so nothing was imported. Fix them and run the "
                "command again"
                + (
                    "."
                    if skip_invalid
                    else ", or use --skip-invalid to import the rows without problems."
                ),
                returncode=2,
            )
        counts = (
            f"{run.rows_created:,} created, {run.rows_updated:,} updated, "
            f"{run.rows_unchanged:,} unchanged"
        )
        if run.rows_invalid:
            counts += f", {run.rows_invalid:,} skipped because of problems"
        if dry_run:
            console.print(f"Dry run: nothing was changed. Importing would give: {counts}.")
        elif run.rows_created or run.rows_updated:
            console.print(f"Imported {file.name} (import {run.pk}): {counts}.")
        else:
            console.print(f"Nothing changed: the register already matches {file.name} ({counts}).")

    def _print_report(self, console: Console, run, report_path) -> None:
        table = Table(title=f"Problems in {escape(run.filename)}")
        for column in ("Row", "Column", "Problem", "How to fix it"):
            table.add_column(column, overflow="fold")
        for item in run.report[:SHOWN_PROBLEMS]:
            table.add_row(
                "file" if item["row"] is None else str(item["row"]),
                item["column"],
                escape(item["problem"]),
                escape(item["fix"]),
            )
        console.print(table)
        rows = f"{run.rows_invalid:,} row{'s' if run.rows_invalid != 1 else ''}"
        console.print(f"{rows} of {run.rows_total:,} have problems.")
        if len(run.report) > SHOWN_PROBLEMS or report_path:
            if report_path:
                console.print(f"Every problem is listed in {escape(str(report_path))}.")
            else:
                console.print(f"The first {SHOWN_PROBLEMS} problems are shown.")
