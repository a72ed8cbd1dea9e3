"""Shared helpers for the benchmarks: timing with medians, peak memory, a description of the machine."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float
    runs: int

    def __str__(self) -> str:
        return f"{self.median:.3f} s (min {self.low:.3f}, max {self.high:.3f}, {self.runs} runs)"


def measure(action: Callable[[], object], *, runs: int) -> Timing:
    """Wall time of `action`, `runs` times; the median is what BENCHMARKS.md reports (shared, noisy machines)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times), min(times), max(times), runs)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory_gb:.0f} GB, Python {platform.python_version()}"
