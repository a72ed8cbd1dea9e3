# ruff: noqa: N999 (the command's name, `bluestone export-analytics`, comes from this file's name)
"""`bluestone export-analytics --from DATE --to DATE --format csv|parquet --recipient TEXT --out DIR`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bluestone.audit.services import RECIPIENT_MAX
from bluestone.core import clock
from bluestone.insights.exports import FORMATS, export_files, write_files
from bluestone.insights.management.commands.measures import _date
from bluestone.measures import Period, PeriodError


class Command(BaseCommand):
    help = (
        "Write a pseudonymised analytic export for a period (both dates included, in Europe/London): "
        "cases, involvements, outcomes, events and measures, one file each, dates as months, no "
        "identifiers. The export is logged in the access log as a disclosure to the recipient."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--format", default="csv", help="csv (default) or parquet")
        parser.add_argument("--recipient", required=True, help="who the export is for, and why")
        parser.add_argument("--out", required=True, help="the directory to write the files into")
        parser.add_argument(
            "--as-of", dest="as_of", help="the day cohort measures look up to, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date(options["start"], option="--from")
        end = _date(options["end"], option="--to")
        as_of = _date(options["as_of"], option="--as-of") or clock.today()
        if start is None or end is None:  # argparse requires both; this satisfies the type checker
            raise CommandError("Give both --from and --to.")
        try:
            period = Period(start=start, end=end)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        output = options["format"].strip().lower()
        if output not in FORMATS:
            raise CommandError(f"--format must be csv or parquet, but got {options['format']!r}.")
        recipient = options["recipient"].strip()
        if not recipient:
            raise CommandError("Say who the export is for and why, with --recipient: the access log records it.")
        if len(recipient) > RECIPIENT_MAX:
            raise CommandError(f"--recipient must be {RECIPIENT_MAX} characters or fewer.")
        files = export_files(
            actor=None, period=period, as_of=as_of, output=output, recipient=recipient, via="command line"
        )
        for path in write_files(files, Path(options["out"])):
            self.stdout.write(f"Wrote {path}")
