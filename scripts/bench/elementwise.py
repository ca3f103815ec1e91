#!/usr/bin/env python3
"""Element-wise maths on large values, and matrix autodiff: nn against numpy and torch (issue 21).

  exp(v), v * v + 1, sigmoid(v), sum(v) on 10^6 numbers    <= 1.25 x numpy (sigmoid: 1/(1+np.exp(-v)))
  grad(sum(sigmoid(X @ W)), W), X 1000 x 100, W 100 x 100   <= 1.0 x torch (torch.autograd.grad)

Timed inside each process, since start-up would dominate: nn's `time STATEMENT` around each
statement (`time u = exp(v)`: an assignment, so nothing is printed), and time.perf_counter()
around the same call in numpy and torch. A round runs one nn process and then the peers, each
timing every workload `REPEATS` times after a warm-up; a round's sample is the median of those,
and the table gives the median over rounds. One thread everywhere (OPENBLAS_NUM_THREADS=1,
torch.set_num_threads(1)); nn's AVX-512 kernels are on, as a user gets them.

The values are the same on both sides: v = 3 sin(0, 1, …, 999999); X[i, j] = sin(i j / 1000)
for i < 1000, j = 1 … 100, and W[i, j] = cos(i j) / 10 for i, j < 100. (nn names the data's
inputs X, so its script calls X `M`.)

Run alone: python3 scripts/bench/elementwise.py --nn .build-speed/release/nn [--rounds 5]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Row, main_for, single_thread_env  # noqa: E402

REPEATS = 9

# (goal, workload as the table names it, nn statement, peer, target)
WORKLOADS = [
    ("6", "exp(v), 10^6", "u = exp(v)", "numpy", 1.25),
    ("6", "v * v + 1, 10^6", "u = v * v + 1", "numpy", 1.25),
    ("6", "sigmoid(v), 10^6", "u = sigmoid(v)", "numpy", 1.25),
    ("6", "sum(v), 10^6", "s = sum(v)", "numpy", 1.25),
    ("6", "grad(sum(sigmoid(X @ W)), W), 1000x100 @ 100x100", "g = grad(sum(sigmoid(M @ W)), W)", "torch", 1.0),
]

NN_SETUP = """v = 3 * sin(range(0, 1000000))
M = sin(transpose(range(0, 1000)) @ [range(1, 101)] / 1000)
W = cos(transpose(range(0, 100)) @ [range(0, 100)]) / 10
"""


def nn_script() -> str:
    lines = [NN_SETUP]
    for _, _, statement, _, _ in WORKLOADS:
        lines.append(statement)  # a warm-up
        lines.extend(f"time {statement}" for _ in range(REPEATS))
    return "\n".join(lines) + "\n"


def run_nn(nn: str) -> list[float] | None:
    """One nn process: each workload's median over REPEATS, in WORKLOADS' order."""
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False) as script:
        script.write(nn_script())
    try:
        proc = subprocess.run([nn, script.name], env=single_thread_env(), capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    if proc.returncode != 0:
        print(f"nn failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    times = [float(m) for m in re.findall(r"^time: ([0-9.eE+-]+) s$", proc.stdout, re.M)]
    if len(times) != REPEATS * len(WORKLOADS):
        print(f"nn printed {len(times)} times, not {REPEATS * len(WORKLOADS)}", file=sys.stderr)
        return None
    return [statistics.median(times[i * REPEATS:(i + 1) * REPEATS]) for i in range(len(WORKLOADS))]


def peer_medians() -> list[float]:
    """The peers in this process: each workload's median over REPEATS, in WORKLOADS' order."""
    import numpy as np
    import torch

    torch.set_num_threads(1)
    v = 3 * np.sin(np.arange(1_000_000, dtype=np.float64))
    x = np.sin(np.arange(1000.0)[:, None] * np.arange(1.0, 101.0)[None, :] / 1000)
    w = np.cos(np.arange(100.0)[:, None] * np.arange(100.0)[None, :]) / 10
    xt = torch.from_numpy(x)
    wt = torch.from_numpy(w).requires_grad_(True)

    def autodiff():
        return torch.autograd.grad(torch.sigmoid(xt @ wt).sum(), wt)[0]

    # nn's statements assign their results (`u = exp(v)`), so the old result lives until the new
    # one is made; the peers keep theirs the same way, in `kept`.
    kept: dict[str, object] = {}

    def keep(make):
        def call():
            kept["u"] = make()
        return call

    calls = [
        keep(lambda: np.exp(v)),
        keep(lambda: v * v + 1),
        keep(lambda: 1 / (1 + np.exp(-v))),
        keep(lambda: np.sum(v)),
        keep(autodiff),
    ]
    medians = []
    for call in calls:
        call()  # a warm-up
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        medians.append(statistics.median(samples))
    return medians


def measure(nn: str, rounds: int) -> list[Row]:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    rows = [Row(goal, workload, peer, target=target) for goal, workload, _, peer, target in WORKLOADS]
    print(f"elementwise: load average {load()} before", file=sys.stderr)
    for _ in range(rounds):
        # One sample per workload from each side, nn first, then the peers: A B A B …
        ours = run_nn(nn)
        theirs = peer_medians()
        for index, row in enumerate(rows):
            if ours is not None:
                row.nn.append(ours[index])
            row.theirs.append(theirs[index])
    print(f"elementwise: load average {load()} after", file=sys.stderr)
    return rows


def load() -> str:
    """The machine's 1, 5 and 15 minute load averages: the machine may be shared."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main_for(measure, __doc__))
