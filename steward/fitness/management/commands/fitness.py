"""``steward fitness open-year YEAR [--on YYYY-MM-DD]``: open the year's fit and proper
person assessments for every board member in post.

Safe to run again: anyone who already has the year's assessment at their
organisation keeps it. Exit codes: 0 done, 1 refused (the message says why),
2 the command line itself is wrong.
"""

import argparse
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from steward.core.formatting import uk_date
from steward.fitness.services import assessments_open_year

ACTOR = "steward fitness open-year"


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: write it as YYYY-MM-DD, like 2026-04-01"
        ) from exc


def year_number(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) != 4:
        raise argparse.ArgumentTypeError(f"{value!r} is not a year: write it like 2026")
    return int(value)


class Command(BaseCommand):
    help = "The fit and proper person test: open-year opens a year's assessments."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{open-year}")
        opening = commands.add_parser(
            "open-year",
            help="Open the year's assessment for every board member in post (safe to re-run).",
        )
        opening.add_argument("year", type=year_number, help="The assessment year, like 2026.")
        opening.add_argument(
            "--on",
            type=iso_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="Open for the board members in post on this date (default: today, or "
            "31 December for a past year). Must be in YEAR.",
        )

    def handle(self, *args, **options):
        {"open-year": self.open_year}[options["subcommand"]](**options)

    def open_year(self, *, year: int, on: dt.date | None, **options):
        console = Console(file=self.stdout, width=120)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task(f"Opening {year}", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = assessments_open_year(year=year, on=on, actor=ACTOR, progress=progress)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        console.print(
            f"Opened {result['opened']:,} assessments for {result['year']} "
            f"(board members in post on {uk_date(result['on'])}) at "
            f"{result['organisations']:,} organisations.",
            highlight=False,
        )
        console.print(
            f"{result['already_open']:,} board members already had an assessment for "
            f"{result['year']}.",
            highlight=False,
        )
