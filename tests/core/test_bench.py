"""The benchmark harness's own arithmetic and memory reading (core/bench.py)."""

import subprocess
import sys
from pathlib import Path

import pytest

from core.bench import Sample, interleave, peak_rss_kb

ROOT = Path(__file__).resolve().parents[2]


def test_median_cpu_and_interquartile_spread():
    sample = Sample()
    for wall in (1.0, 2.0, 3.0, 4.0, 100.0):
        sample.add(wall, wall / 2, 3)
    assert sample.median == 3.0
    assert sample.cpu_median == 1.5
    # quartiles of (1, 2, 3, 4, 100), exclusive method: 1.5 and 52 -> (52 - 1.5) / 3
    assert sample.spread == pytest.approx(50.5 / 3)
    assert sample.queries == [3] * 5


@pytest.mark.django_db
def test_interleave_runs_every_scenario_once_per_round_in_turn():
    calls = []
    samples = interleave({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=3, warmup=1)
    assert calls == ["a", "b"] * 4
    assert [len(s.wall) for s in samples.values()] == [3, 3]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc only")
def test_peak_memory_of_a_child_is_its_own_not_its_parents():
    """ru_maxrss survives fork + exec on Linux: a probe started by a large parent reported the
    parent's peak (543 MB for both probes, ratio 1.00). VmHWM is the probe's own."""
    ballast = bytearray(200 * 1024 * 1024)  # the parent holds 200 MiB, touched
    ballast[::4096] = b"x" * len(ballast[::4096])
    assert peak_rss_kb() > 200 * 1024
    child = subprocess.run(
        [sys.executable, "-c", "from core.bench import peak_rss_kb; print(peak_rss_kb())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(child.stdout) < 100 * 1024
    del ballast


def test_no_interquartile_spread_under_four_rounds():
    sample = Sample()
    for wall in (1.0, 2.0, 9.0):
        sample.add(wall, wall, 0)
    assert sample.spread is None
