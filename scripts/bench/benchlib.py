"""Shared pieces of nn's benchmark suites: alternating runs, medians, and the table of ratios.

A suite is a module in scripts/bench with `measure(nn, rounds) -> list[Row]`; `run.py` runs every
suite it lists, and each suite also runs alone: `python3 scripts/bench/SUITE.py --nn PATH`.
Benchmarks never fail on speed: a goal that is not met is reported, not raised.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_NN = os.path.join(ROOT, ".build-speed", "release", "nn")


@dataclass
class Row:
    """One goal: nn's median against a peer's median, run side by side."""

    goal: str
    workload: str
    peer: str
    nn: list[float] = field(default_factory=list)
    theirs: list[float] = field(default_factory=list)
    # None for a row shown for reference only (no goal).
    target: Optional[float] = 1.0
    # "s" for times, "MB" for memory.
    unit: str = "s"

    @property
    def ratio(self) -> Optional[float]:
        if not self.nn or not self.theirs:
            return None
        return statistics.median(self.nn) / statistics.median(self.theirs)


def single_thread_env(extra: Optional[dict[str, str]] = None) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    env.update(extra or {})
    return env


def wall(cmd: list[str], env: Optional[dict[str, str]] = None, stdin: Optional[str] = None) -> Optional[float]:
    """The wall time of one whole process, or None (with a message) when it fails."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env or single_thread_env(), input=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        print(f"could not run: {' '.join(cmd)}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return elapsed


def alternate(row: Row, rounds: int, ours: Callable[[], Optional[float]], theirs: Callable[[], Optional[float]]) -> Row:
    """Runs nn and the peer in alternation, A B A B …, keeping every sample."""
    for _ in range(rounds):
        for take, into in ((ours, row.nn), (theirs, row.theirs)):
            value = take()
            if value is not None:
                into.append(value)
    return row


def cell(values: list[float], unit: str = "s") -> str:
    if not values:
        return "-"
    value = statistics.median(values)
    if unit != "s":
        return f"{value:.1f} {unit}"
    return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.3f} s"


def print_table(rows: list[Row]) -> None:
    print(f"{'goal':5} {'workload':52} {'peer':18} {'nn':>10} {'peer':>10} {'ratio':>7} {'target':>7} {'verdict':>8} {'n':>3}")
    for row in rows:
        ratio = row.ratio
        if ratio is None or row.target is None:
            verdict = "-"
        else:
            verdict = "met" if ratio <= row.target else "NOT met"
        target = "-" if row.target is None else f"<= {row.target}"
        print(f"{row.goal:5} {row.workload:52} {row.peer:18} {cell(row.nn, row.unit):>10} {cell(row.theirs, row.unit):>10} "
              f"{'-' if ratio is None else f'{ratio:.3f}':>7} {target:>7} {verdict:>8} {len(row.nn):>3}")


def main_for(measure: Callable[[str, int], list[Row]], doc: str) -> int:
    """The command line of a suite run alone."""
    parser = argparse.ArgumentParser(description=doc.strip().split("\n")[0])
    parser.add_argument("--nn", default=DEFAULT_NN, help="the release nn binary (swift build -c release)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(args.nn):
        print(f"no nn binary at {args.nn}: build one with swift build -c release --scratch-path .build-speed")
        return 1
    print_table(measure(args.nn, args.rounds))
    return 0
