#!/usr/bin/env python3
"""Whole-data statements (step, grad W2, loss, evaluate, predict) against the same arithmetic in numpy.

Issue 21's third goal: on the data and network of mlp.nn (60,000 x 784 inputs, 784-128-10, sigmoid
then softmax, cross-entropy, float64, 1 thread), each statement <= 1.0 x numpy doing the same
arithmetic on all the samples at once (wholedata_numpy.py says what each workload computes).

Timed inside each process, so that generating the data does not count: nn's `time STATEMENT`
(three significant digits) against time.perf_counter() around the numpy workload. Each round runs
one nn process timing all five statements, then one numpy process timing the same five (A B A B
...); the table gives the medians over the rounds.
Usage: python3 scripts/bench/wholedata.py [--nn PATH] [--rounds 5]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Row, main_for, single_thread_env  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "wholedata_numpy.py")

# The same five statements, in the order wholedata_numpy.py runs them.
WORKLOADS = [
    ("step", "step lr=0.1", "step (forward, backward, update, loss after)"),
    ("grad", "grad W2", "grad W2"),
    ("loss", "loss", "loss"),
    ("evaluate", "evaluate", "evaluate (loss and accuracy)"),
    ("predict", "P = predict(X)", "predict(X), 60,000 outputs"),
]

SCRIPT = "\n".join([
    "set threads 1",
    "data random n=60000 inputs=784 classes=10 seed=1",
    "input 784",
    "layer 128 sigmoid",
    "layer 10 softmax",
    "loss cross_entropy",
] + [f"time {statement}" for _, statement, _ in WORKLOADS]) + "\n"


def run_nn(nn: str) -> dict[str, float]:
    proc = subprocess.run([nn], input=SCRIPT, env=single_thread_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"could not run nn: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return {}
    times = [float(match) for match in re.findall(r"^time: ([0-9.eE+-]+) s$", proc.stdout, re.MULTILINE)]
    if len(times) != len(WORKLOADS):
        print(f"nn printed {len(times)} times, not {len(WORKLOADS)}:\n{proc.stdout[-500:]}", file=sys.stderr)
        return {}
    return {name: seconds for (name, _, _), seconds in zip(WORKLOADS, times)}


def run_numpy() -> dict[str, float]:
    proc = subprocess.run([sys.executable, PEER], env=single_thread_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"could not run {PEER}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return {}
    return {name: float(seconds) for name, seconds in (line.split() for line in proc.stdout.splitlines())}


def measure(nn: str, rounds: int) -> list[Row]:
    rows = {name: Row("7", f"whole data: {label}", "numpy, same arithmetic") for name, _, label in WORKLOADS}
    for _ in range(rounds):
        for take, side in ((lambda: run_nn(nn), "nn"), (run_numpy, "theirs")):
            for name, seconds in take().items():
                if name in rows:
                    getattr(rows[name], side).append(seconds)
    return list(rows.values())


if __name__ == "__main__":
    sys.exit(main_for(measure, __doc__))
