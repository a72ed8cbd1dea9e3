"""`bluestone audit verify`: check the hash chain of the s.62 log; exit non-zero on any break."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bluestone.audit.models import AuditEvent
from bluestone.audit.verify import DEFAULT_CHUNK_SIZE, audit_log_verify

HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Command(BaseCommand):
    # An integrity check must run even when an unrelated part of the project fails its system checks.
    requires_system_checks: list[str] = []
    help = "The audit log (DPA 2018 s.62). `verify` re-checks every entry's hash and the chain between them."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Walk the log in order and recompute every hash; exit 1 naming the first broken entry.",
        )
        verify.add_argument(
            "--expect-hash",
            metavar="HASH",
            help="A last hash kept from an earlier run: fail if no entry has it (the log was truncated).",
        )
        verify.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Entries read from the database at a time (default {DEFAULT_CHUNK_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(expected_hash=options["expect_hash"], chunk_size=options["chunk_size"])

    def verify(self, *, expected_hash: str | None, chunk_size: int) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        if expected_hash is not None:
            expected_hash = expected_hash.strip().lower()
            if not HEX_SHA256.match(expected_hash):
                raise CommandError("--expect-hash must be 64 hexadecimal characters, as printed by an earlier run.")
        console = Console(stderr=True)
        with Progress(
            TextColumn("Verifying the audit log"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("verify", total=AuditEvent.objects.count())
            result = audit_log_verify(
                chunk_size=chunk_size,
                expected_hash=expected_hash,
                progress=lambda done: progress.update(task, completed=done),
            )
        if result.broken is not None:
            raise CommandError(
                f"Audit log BROKEN ({result.broken.kind}): {result.broken.message} "
                f"{result.entries} entries before it verified; the last good hash is {result.last_hash}."
            )
        self.stdout.write(
            f"Audit log intact: {result.entries} entries, last hash {result.last_hash} "
            f"(entry #{result.last_sequence}). Keep this hash outside the database and pass it to a later "
            "run as --expect-hash to detect entries removed from the end."
        )
