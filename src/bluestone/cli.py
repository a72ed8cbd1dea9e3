"""The `bluestone` console script: Django's management commands under one name.

`bluestone synth`, `bluestone load DIR`, `bluestone demo`, `bluestone migrate`, `bluestone check --deploy`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluestone.settings.local")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (settings first)

    execute_from_command_line(["bluestone", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
