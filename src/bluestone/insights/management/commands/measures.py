"""`bluestone measures --from DATE --to DATE [--team ID] [--relationship CODE] [--age-band CODE]
[--as-of DATE] [--format csv|json]`, and `bluestone measures --rebuild` to write the per-case facts
the measures read afresh from the records."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bluestone.accounts.models import Team
from bluestone.cases.facts import facts_rebuild
from bluestone.cases.models import Relationship
from bluestone.core import clock
from bluestone.insights.dashboard import Filters
from bluestone.insights.selectors import VICTIM_AGE_BAND_LABELS, measure_rows
from bluestone.measures import Period, PeriodError, write_csv, write_json


def _date(value: str | None, *, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option} must be a date written YYYY-MM-DD, but got {value!r}. Try for example {option} 2025-04-01."
        ) from None


def _choice(value: str, *, option: str, allowed: list[str]) -> str:
    """`value` if it is empty (no filter) or one of the Measures page's choices for the filter."""
    value = value.strip()
    if value and value not in allowed:
        raise CommandError(f"{option} must be one of {', '.join(allowed)}, but got {value!r}.")
    return value


class Command(BaseCommand):
    help = (
        "Print the operating model's measures for a period (both dates included, in Europe/London): one "
        "row per measure and breakdown, as CSV (measure,breakdown,numerator,denominator,value) or JSON. "
        "docs/measures.md defines each measure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day of the period, YYYY-MM-DD")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="write the per-case facts the measures read afresh from the case records (they are kept "
            "up to date as cases change; this is for after a restore or an upgrade), then stop",
        )
        parser.add_argument("--team", default="", help="measure only this team's cases (the team's code)")
        parser.add_argument(
            "--relationship",
            default="",
            help="measure only cases with a suspect of this relationship to the victim: "
            + ", ".join(Relationship.values),
        )
        parser.add_argument(
            "--age-band",
            dest="age_band",
            default="",
            help="measure only cases with a victim of this age at the offence: " + ", ".join(VICTIM_AGE_BAND_LABELS),
        )
        parser.add_argument(
            "--as-of", dest="as_of", help="the day cohort measures look up to, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--format", default="csv", help="csv (default) or json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            written = facts_rebuild()
            self.stderr.write(f"Wrote the facts of {written:,} cases.")
            return
        start = _date(options["start"], option="--from")
        end = _date(options["end"], option="--to")
        as_of = _date(options["as_of"], option="--as-of") or clock.today()
        if start is None or end is None:
            raise CommandError("Give both --from and --to (or --rebuild).")
        try:
            period = Period(start=start, end=end)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        output = options["format"].strip().lower()
        if output not in {"csv", "json"}:
            raise CommandError(f"--format must be csv or json, but got {options['format']!r}.")
        # The Measures page's filters, checked against its choices, narrow the cases the same way.
        filters = Filters(
            period=period,
            team=self._team(options["team"].strip()),
            relationship=_choice(options["relationship"], option="--relationship", allowed=Relationship.values),
            victim_age_band=_choice(options["age_band"], option="--age-band", allowed=list(VICTIM_AGE_BAND_LABELS)),
        )
        rows = measure_rows(period=period, as_of=as_of, scope=filters.scope)
        text = io.StringIO()
        (write_csv if output == "csv" else write_json)(rows, text)
        self.stdout.write(text.getvalue(), ending="")

    @staticmethod
    def _team(code: str) -> Team | None:
        if not code:
            return None
        team = Team.objects.filter(code=code).first()
        if team is None:
            known = ", ".join(Team.objects.order_by("code").values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"No team has the code {code!r}. Teams: {known}.")
        return team
