"""`bluestone outbox send` and `bluestone outbox poll`: the notifications outbox from a timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bluestone.victims.notifications import outbox_delivery_poll, outbox_send_pending


class Command(BaseCommand):
    help = (
        "The notifications outbox. `send` sends what is waiting (the task worker does this as messages are "
        "queued); `poll` asks GOV.UK Notify whether sent messages were delivered, and marks those it could not "
        "deliver as failed, for the case team to see. Run `poll` every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        subcommands.add_parser("send", help="Send every waiting message.")
        subcommands.add_parser("poll", help="Read the delivery status of sent messages from GOV.UK Notify.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "send":
            self.stdout.write(f"{outbox_send_pending()} sent")
        else:
            self.stdout.write(f"{outbox_delivery_poll()} delivery statuses changed")
