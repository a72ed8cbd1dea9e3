"""`bluestone audit verify` and `bluestone audit checkpoint`: the s.62 log's integrity checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bluestone.audit.checkpoints import Checkpoint, CheckpointFileError, checkpoint_append, checkpoints_read
from bluestone.audit.models import AuditEvent
from bluestone.audit.signing import keyring
from bluestone.audit.verify import DEFAULT_CHUNK_SIZE, VerifyResult, audit_log_verify
from bluestone.core import clock

HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Command(BaseCommand):
    # An integrity check must run even when an unrelated part of the project fails its system checks.
    requires_system_checks: list[str] = []
    help = (
        "The audit log (DPA 2018 s.62). `verify` re-checks every entry's hash, signature and the chain between "
        "them; `checkpoint` appends the signed head of the log to the checkpoint file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Walk the log in order, recompute every hash and check every signature; exit 1 naming the "
            "first broken entry.",
        )
        verify.add_argument(
            "--expect-hash",
            metavar="HASH",
            help="A last hash kept from an earlier run: fail if no entry has it (the log was truncated).",
        )
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="The checkpoint file (default: the BLUESTONE_AUDIT_CHECKPOINT_FILE setting).",
        )
        verify.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Entries read from the database at a time (default {DEFAULT_CHUNK_SIZE}).",
        )
        checkpoint = subcommands.add_parser(
            "checkpoint",
            help="Check the entries added since the last checkpoint, then append a signed checkpoint of the "
            "log's head to the checkpoint file. Run it every few minutes.",
        )
        checkpoint.add_argument(
            "--file",
            metavar="FILE",
            help="The checkpoint file (default: the BLUESTONE_AUDIT_CHECKPOINT_FILE setting).",
        )
        checkpoint.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help="As for verify.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        if options["subcommand"] == "verify":
            self.verify(
                expected_hash=options["expect_hash"],
                chunk_size=options["chunk_size"],
                checkpoint_file=_checkpoint_file(options["checkpoints"]),
            )
        elif options["subcommand"] == "checkpoint":
            path = _checkpoint_file(options["file"])
            if path is None:
                raise CommandError("Set BLUESTONE_AUDIT_CHECKPOINT_FILE, or pass --file, to say where checkpoints go.")
            self.checkpoint(path=path, chunk_size=options["chunk_size"])

    def _walk(self, **kwargs: Any) -> VerifyResult:
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
            return audit_log_verify(progress=lambda done: progress.update(task, completed=done), **kwargs)

    def verify(self, *, expected_hash: str | None, chunk_size: int, checkpoint_file: Path | None) -> None:
        if expected_hash is not None:
            expected_hash = expected_hash.strip().lower()
            if not HEX_SHA256.match(expected_hash):
                raise CommandError("--expect-hash must be 64 hexadecimal characters, as printed by an earlier run.")
        checkpoints = _read(checkpoint_file) if checkpoint_file is not None else None
        result = self._walk(chunk_size=chunk_size, expected_hash=expected_hash, checkpoints=checkpoints)
        if result.broken is not None:
            raise CommandError(
                f"Audit log BROKEN ({result.broken.kind}): {result.broken.message} "
                f"{result.entries} entries before it verified; the last good hash is {result.last_hash}."
            )
        self.stdout.write(
            f"Audit log intact: {result.entries} entries, last hash {result.last_hash} "
            f"(entry #{result.last_sequence}), every entry signed with the audit key up to entry "
            f"#{result.last_signed_sequence}."
        )
        self.stdout.write(_checkpoint_report(result.checkpoint, checkpoint_file))

    def checkpoint(self, *, path: Path, chunk_size: int) -> None:
        checkpoints = _read(path)
        since = checkpoints[-1] if checkpoints else None
        result = self._walk(chunk_size=chunk_size, checkpoints=checkpoints, since=since)
        if result.broken is not None:
            raise CommandError(
                f"No checkpoint written: the audit log is BROKEN ({result.broken.kind}): {result.broken.message}"
            )
        if result.last_sequence == 0:
            self.stdout.write("No checkpoint written: the audit log is empty.")
            return
        written = checkpoint_append(
            path, keyring(), sequence=result.last_sequence, hash=result.last_hash, at=clock.now()
        )
        self.stdout.write(
            f"Checkpoint written to {path}: entry #{written.sequence}, hash {written.hash}, at {written.at} "
            f"({result.entries} new entries checked)."
        )


def _checkpoint_file(option: str | None) -> Path | None:
    value = option or getattr(settings, "BLUESTONE_AUDIT_CHECKPOINT_FILE", "")
    return Path(value) if value else None


def _read(path: Path) -> list[Checkpoint]:
    try:
        return checkpoints_read(path, keyring())
    except CheckpointFileError as error:
        raise CommandError(f"Audit checkpoint file BROKEN: {error}") from error


def _checkpoint_report(checkpoint: Checkpoint | None, path: Path | None) -> str:
    if path is None:
        return (
            "No checkpoint file (BLUESTONE_AUDIT_CHECKPOINT_FILE): entries removed from the end of the log can be "
            "found only by keeping the last hash outside the database and passing it to a later run as --expect-hash."
        )
    if checkpoint is None:
        return f"No checkpoint yet in {path}: run `bluestone audit checkpoint`."
    return (
        f"Last signed checkpoint: entry #{checkpoint.sequence}, hash {checkpoint.hash}, at {checkpoint.at} "
        f"({path}); the log still holds it."
    )
