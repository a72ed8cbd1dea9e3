# ruff: noqa: N999 (the command's name, `bluestone link-force`, comes from this file's name)
"""`bluestone link-force`: a full linkage run of the force's suspect records, with progress.

Run it on a schedule (cron or a systemd timer, see docs/guides/analyst.md): django-tasks has no
scheduler of its own. The analysts' "Run linkage now" button queues the same work for the worker.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from bluestone.linkage import ENGINES, TrainingConfig
from bluestone.suspects.services import linkage_run_full, priorities_refresh_all


class Command(BaseCommand):
    help = "Link every suspect record into identities, applying every review decision, and store the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threshold", type=float, default=None, help="match probability to link at (default 0.9)")
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            default="duckdb",
            help="where pairs are scored: duckdb (in process, default) or spark (BLUESTONE_SPARK_*: docs/linkage.md)",
        )
        parser.add_argument("--seed", type=int, default=None, help="random seed for training (default: the library's)")
        parser.add_argument(
            "--priorities-only", action="store_true", help="only recompute priority scores (recency changes daily)"
        )
        parser.add_argument(
            "--retrain",
            action="store_true",
            help="train a new model even though the last run's still fits the records' columns",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True, highlight=False, quiet=options["verbosity"] == 0)
        if options["priorities_only"]:
            count = priorities_refresh_all()
            self.stdout.write(f"Priority recomputed for {count:,} identities.")
            return
        # Splink reports every training step at INFO: the stage names below are the progress display.
        logging.getLogger("splink").setLevel(logging.WARNING)
        # PySpark's bridge to the JVM (--engine spark) says goodbye at INFO as the command exits.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        started = time.perf_counter()
        config = TrainingConfig(seed=options["seed"]) if options["seed"] is not None else None

        def show(text: str) -> None:
            console.print(f"[{time.perf_counter() - started:6.1f}s] {text} ...")

        try:
            with console.status("Linking suspect records"):
                run = linkage_run_full(
                    actor=None,
                    progress=show,
                    config=config,
                    threshold=options["threshold"],
                    retrain=options["retrain"] or config is not None,
                    engine=options["engine"],
                )
        except ValueError as error:
            raise CommandError(f"The linkage run failed: {error}") from error
        self.stdout.write(
            f"Done in {time.perf_counter() - started:.0f}s: {run.records:,} suspect records, "
            f"{run.identities:,} people in two or more records, {run.pairs_kept:,} pairs explained, "
            f"{run.decisions_applied:,} review decisions applied; model {run.model_version}, "
            f"on {options['engine']}."
        )
