"""`make bench`: every benchmark, printed as the markdown tables that BENCHMARKS.md holds."""

from __future__ import annotations

import subprocess
import sys


def main() -> None:
    # Each benchmark in its own process, so one's memory peak does not colour the next.
    runs = [
        ["bench.synth"],
        ["bench.app"],
        ["bench.load"],
        ["bench.load", "--postgres"],
        ["bench.measures"],
        ["bench.search"],
        ["bench.linkage"],
        ["bench.incremental"],
        ["bench.spark"],
        ["bench.portal"],
        ["bench.pages"],
    ]
    for module, *args in runs:
        subprocess.run([sys.executable, "-m", module, *args], check=True)


if __name__ == "__main__":
    main()
