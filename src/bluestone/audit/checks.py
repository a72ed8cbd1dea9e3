"""System checks for a deployment (`bluestone check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_checkpoint_file_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "BLUESTONE_AUDIT_CHECKPOINT_FILE", ""):
        return []
    return [
        Warning(
            "BLUESTONE_AUDIT_CHECKPOINT_FILE is not set: entries cut from the end of the audit log can be found "
            "only with a hash kept by hand (`bluestone audit verify --expect-hash`).",
            hint="Set it to a file the database's administrators cannot write, and run `bluestone audit "
            "checkpoint` every few minutes (docs/deployment.md).",
            id="bluestone.audit.W001",
        )
    ]
