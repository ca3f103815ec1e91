#!/usr/bin/env python3
"""float32 training against numpy float32, its memory against float64 training's, and gradcheck all=true.

Rows (1 thread, nn and the peer alternating, medians):
  f32   mlp_float32.nn's epoch (`time train epochs=1` minus `time train epochs=0`, timed inside
        nn as run.py times it) against mlp_train.py --impl numpy --dtype float32 (its own
        epoch_s, timed inside Python)                                             <= 0.8
  mem   peak RSS (/usr/bin/time -v) of the same float32 training against the float64 one:
        float32 keeps no copy of the data, so it may not need more              <= 1.0
  gc    `time gradcheck all=true` (every one of the 101,770 parameters, central differences)
        on 784-128-10 with 100 samples, timed inside nn, against the same check in numpy:
        the same one-unit recomputation, each loss from the cached layer below    <= 1.0

Usage: python3 scripts/bench/float32.py [--nn .build-speed/release/nn] [--rounds 5]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, Row, alternate, main_for, single_thread_env  # noqa: E402

PEERS = os.environ.get("NN_PEERS", os.path.join(ROOT, "..", "shared", "bench", "peers"))
BENCH = os.path.join(ROOT, "scripts", "bench")

GRADCHECK = """set threads 1
data random n=100 inputs=784 classes=10 seed=1
input 784
layer 128 sigmoid
layer 10 softmax
loss cross_entropy
time gradcheck all=true
"""


def nn_times(nn: str, source: str) -> list[float]:
    """The `time: X s` figures a script prints."""
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False) as handle:
        handle.write(source)
    try:
        proc = subprocess.run([nn, handle.name], env=single_thread_env(), capture_output=True, text=True)
    finally:
        os.unlink(handle.name)
    if proc.returncode != 0:
        print(f"could not run nn: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return []
    return [float(t) for t in re.findall(r"time: ([0-9.eE+-]+) s", proc.stdout)]


def nn_epoch(nn: str) -> float | None:
    times = nn_times(nn, open(os.path.join(BENCH, "mlp_float32.nn")).read())
    return times[1] - times[0] if len(times) == 2 else None


def numpy_epoch() -> float | None:
    proc = subprocess.run([sys.executable, os.path.join(PEERS, "mlp_train.py"), "--impl", "numpy", "--dtype", "float32",
                           "--threads", "1"], env=single_thread_env(), capture_output=True, text=True)
    match = re.search(r"^RESULT .*\bepoch_s=([0-9.eE+-]+)", proc.stdout, re.MULTILINE)
    return float(match.group(1)) if match else None


def peak_rss(nn: str, dtype: str) -> float | None:
    """Peak resident memory in MB of training mlp_float32.nn's network one epoch in `dtype`."""
    source = open(os.path.join(BENCH, "mlp_float32.nn")).read().replace("set dtype float32", f"set dtype {dtype}")
    source = "\n".join(line for line in source.splitlines() if "epochs=0" not in line) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False) as handle:
        handle.write(source)
    try:
        proc = subprocess.run(["/usr/bin/time", "-v", nn, handle.name], env=single_thread_env(), capture_output=True, text=True)
    finally:
        os.unlink(handle.name)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return int(match.group(1)) / 1024 if proc.returncode == 0 and match else None


def nn_gradcheck(nn: str) -> float | None:
    times = nn_times(nn, GRADCHECK)
    return times[0] if times else None


def numpy_gradcheck() -> float | None:
    """gradcheck all=true's arithmetic in numpy float64, timed inside Python: for each parameter
    the unit's column of Z1 (or Z2) summed again from the cached layer below, the layers above
    run again, twice (θ ± ε)."""
    import numpy as np
    rng = np.random.default_rng(1)
    x = rng.random((100, 784))
    y = np.eye(10)[rng.integers(0, 10, 100)]
    w1 = rng.normal(0, 0.05, (128, 784))
    b1 = np.zeros(128)
    w2 = rng.normal(0, 0.1, (10, 128))
    b2 = np.zeros(10)
    eps = 1e-6

    def top(a1, w2, b2):
        z2 = a1 @ w2.T + b2
        z2 = z2 - z2.max(axis=1, keepdims=True)
        return -np.mean(np.sum(y * (z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))), axis=1))

    started = time.perf_counter()
    z1 = x @ w1.T + b1
    a1 = 1 / (1 + np.exp(-z1))
    for u in range(128):
        for c in range(785):  # 784 weights and the bias
            values = []
            for step in (eps, -eps):
                column = x @ w1[u] + b1[u] + (step * x[:, c] if c < 784 else step)
                changed = a1.copy()
                changed[:, u] = 1 / (1 + np.exp(-column))
                values.append(top(changed, w2, b2))
    for u in range(10):
        for c in range(129):
            for step in (eps, -eps):
                w, b = w2.copy(), b2.copy()
                if c < 128:
                    w[u, c] += step
                else:
                    b[u] += step
                top(a1, w, b)
    return time.perf_counter() - started


def measure(nn: str, rounds: int) -> list[Row]:
    rows = [
        alternate(Row("9", "mlp epoch float32 (timed in nn / in Python)", "numpy float32", target=0.8),
                  rounds, lambda: nn_epoch(nn), numpy_epoch),
        alternate(Row("9", "peak RSS of training, float32 against float64", "nn float64", target=1.0, unit="MB"),
                  rounds, lambda: peak_rss(nn, "float32"), lambda: peak_rss(nn, "float64")),
        alternate(Row("10", "gradcheck all=true 784-128-10, 100 samples", "numpy, one unit", target=1.0),
                  max(1, rounds // 2), lambda: nn_gradcheck(nn), numpy_gradcheck),
    ]
    return rows


if __name__ == "__main__":
    sys.exit(main_for(measure, __doc__))
