"""Benchmark harness (the regional-scale scenarios of README « Performance »): interleaved rounds, wall and CPU time, ratio to a floor.

Each domain app may provide `<app>/bench.py` with:
    generate(scale: str, stdout) -> None           # idempotent regional-scale data set
    list_pages() -> list[ListPage]                  # main list pages to time
    statement(lines: int) -> Callable[[], bytes]    # a PDF statement with that many lines
    ONE_PAGE_LINES: int                             # lines of a statement that fits on one page
    campaign() -> Callable[[], object] | None       # set-based computation to time (ARE)
    campaign_floor() -> Callable[[], object] | None # the SQL aggregate it is compared with
    notification_jobs(count: int) -> list[tuple]    # picklable args for render_notification
    render_notification(*args) -> bytes              # module-level, for worker processes
Scenarios are timed in interleaved rounds so that drift of the machine hits every one alike.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class ListPage:
    label: str
    url: str
    username: str


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def add(self, wall: float, cpu: float, queries: int) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.queries.append(queries)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def spread(self) -> float | None:
        """Interquartile range relative to the median (0.05 = ±5 %); None under 4 rounds."""
        if len(self.wall) < 4:
            return None
        q = statistics.quantiles(self.wall, n=4)
        return (q[2] - q[0]) / self.median if self.median else 0.0


def measure(fn: Callable[[], object], sample: Sample) -> object:
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        t1, c1 = time.perf_counter(), time.process_time()
    sample.add(t1 - t0, c1 - c0, len(ctx.captured_queries))
    return result


def interleave(scenarios: dict[str, Callable[[], object]], rounds: int, warmup: int = 2) -> dict[str, Sample]:
    samples = {name: Sample() for name in scenarios}
    for _ in range(warmup):
        for fn in scenarios.values():
            fn()
    for _ in range(rounds):
        for name, fn in scenarios.items():
            measure(fn, samples[name])
    return samples


def peak_rss_kb() -> int:
    """Peak resident memory of this process's own address space, in KiB.

    `ru_maxrss` is no use here: Linux carries it across fork + exec, so a probe started by a
    500 MB parent reports the parent's peak. `VmHWM` belongs to the address space that `exec`
    created, hence to the probe alone.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # no /proc (not Linux): best effort


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"
