"""`make bench`: every benchmark, printed as the markdown tables that BENCHMARKS.md holds."""

from __future__ import annotations

import subprocess
import sys


def main() -> None:
    # Each benchmark in its own process, so one's memory peak does not colour the next.
    for module in ("bench.synth", "bench.app", "bench.measures", "bench.linkage", "bench.spark", "bench.portal"):
        subprocess.run([sys.executable, "-m", module], check=True)


if __name__ == "__main__":
    main()
