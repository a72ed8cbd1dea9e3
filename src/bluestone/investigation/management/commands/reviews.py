"""`bluestone reviews due`: email the supervisors of each case whose supervisory review has fallen due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bluestone.investigation.services import reviews_due_announce


class Command(BaseCommand):
    help = (
        "Supervisory reviews. `due` emails the supervisors of each open case's team when its review has "
        "fallen due, once for each due time (the email links to the review page and says nothing about the "
        "case). Run it every hour or so."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        subcommands.add_parser("due", help="Announce the reviews that have fallen due since the last run.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reviews_due_announce()} reviews due announced")
