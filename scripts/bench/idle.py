#!/usr/bin/env python3
"""CPU time of nn's threads other than the main one, in scripts that multiply no matrices.

OpenBLAS and nn's own kernels start worker threads. Between products they must sleep, not spin:
a script that multiplies nothing should spend its CPU time on the interpreting thread alone. This suite
runs such scripts (and one that multiplies once, then loops) at the default thread count, polls
/proc/PID/task/*/stat every few milliseconds while nn runs, and reports the last CPU times seen
of each thread. Linux only. Not a ratio against a peer: the goal is "about zero" on the other threads.

  python3 scripts/bench/idle.py --nn .build-speed/release/nn
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import DEFAULT_NN  # noqa: E402

SCRIPTS = {
    "loop, no products": "s = 0\nrepeat 10 { for i in range(0, 10000000) { s = s + i } }\nprint s\n",
    "one product, then a loop": "data digits\na = X @ transpose(X)\ns = 0\nrepeat 10 { for i in range(0, 10000000) { s = s + i } }\nprint s\n",
}
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def thread_times(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of every thread of `pid`, by thread id."""
    times: dict[int, float] = {}
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            times[int(tid)] = (int(fields[11]) + int(fields[12])) / TICKS
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        pass
    return times


def run(nn: str, text: str) -> tuple[float, float, int]:
    """(the interpreting thread's CPU s, the other threads' CPU s, number of threads) of one run."""
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False) as handle:
        handle.write(text)
    try:
        proc = subprocess.Popen([nn, handle.name], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        last: dict[int, float] = {}
        while proc.poll() is None:
            # Threads leave /proc as they end, so keep each thread's latest figure.
            for tid, seconds in thread_times(proc.pid).items():
                last[tid] = max(seconds, last.get(tid, 0.0))
            time.sleep(0.005)
        _, errors = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"nn failed on the idle script: {errors.strip()[-300:]}")
    finally:
        os.unlink(handle.name)
    # nn interprets on a thread of its own with a large stack, not on the process's first thread:
    # the busiest thread is the interpreter's, and every other one should be idle.
    busiest = max(last.values(), default=0.0)
    return busiest, sum(last.values()) - busiest, len(last)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    parser.add_argument("--nn", default=DEFAULT_NN)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(f"/proc/{os.getpid()}/task"):
        print("idle.py needs Linux's /proc")
        return 1
    report(args.nn, args.rounds)
    return 0


def report(nn: str, rounds: int) -> None:
    """Prints the table: CPU seconds of the busiest thread and of all the others, medians."""
    print(f"{'script':28} {'threads':>7} {'busiest':>9} {'all others':>10}   (medians of {rounds})")
    for name, text in SCRIPTS.items():
        runs = [run(nn, text) for _ in range(rounds)]
        print(f"{name:28} {max(r[2] for r in runs):>7} {statistics.median(r[0] for r in runs):>8.2f}s "
              f"{statistics.median(r[1] for r in runs):>9.2f}s")


if __name__ == "__main__":
    sys.exit(main())
