"""Reading files: a CSV of floats against pandas.read_csv, a model file against a plain Python parse,
.npy arrays against numpy.load.

Both are timed inside their process (start-up would dominate): nn's `time STATEMENT` around
`data "F.csv"`, `load "m.nnm"` and `data x="x.npy" y="y.npy"`, Python's time.perf_counter() around the same work. Each
round runs one nn process and one Python process, alternating; each process reads the file once
untimed (the page cache and the code warm) and then REPEATS times timed; the medians are over
every timed read of every round.

Workloads (written once into a temporary folder, with numpy, seeded):
- f.csv: a header row and 20,000 rows of 100 standard normal features written with full
  precision (repr: 17 significant digits) and a label 0-9 as the last column; `data "f.csv"`
  reads it as nn does by default (features, and the last column as the target).
- m.nnm: `save` of a 784-128-10 network (101,770 numbers), made by nn itself.
- x.npy, y.npy: 60,000 x 784 standard normal float64 inputs (MNIST's shape, 376 MB) and 60,000
  float64 labels 0-9, as numpy.save writes them; the peer is numpy.load of both.

    python3 scripts/bench/files.py [--nn .build-speed/release/nn] [--rounds 5]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Row, alternate, main_for, single_thread_env  # noqa: E402

ROWS, FEATURES = 20_000, 100
REPEATS = 3

PANDAS_PEER = """
import sys, time, pandas
path, repeats = sys.argv[1], int(sys.argv[2])
pandas.read_csv(path)
for _ in range(repeats):
    started = time.perf_counter()
    frame = pandas.read_csv(path)
    print(time.perf_counter() - started)
assert frame.shape == (20000, 101)
"""

# The plain Python parse of a model file: read the text, and turn every word that is a number
# into a float, line by line (the keywords stay words).
PYTHON_MODEL_PEER = """
import sys, time
path, repeats = sys.argv[1], int(sys.argv[2])

def parse(path):
    with open(path) as file:
        text = file.read()
    numbers = []
    for line in text.splitlines():
        for word in line.split():
            try:
                numbers.append(float(word))
            except ValueError:
                pass
    return numbers

parse(path)
for _ in range(repeats):
    started = time.perf_counter()
    numbers = parse(path)
    print(time.perf_counter() - started)
assert len(numbers) >= 101770, len(numbers)
"""


NUMPY_PEER = """
import sys, time, numpy
x, y, repeats = sys.argv[1], sys.argv[1].replace("x.npy", "y.npy"), int(sys.argv[2])
numpy.load(x), numpy.load(y)
for _ in range(repeats):
    started = time.perf_counter()
    inputs, labels = numpy.load(x), numpy.load(y)
    print(time.perf_counter() - started)
assert inputs.shape == (60000, 784)
"""


def write_npy(x_path: str, y_path: str) -> None:
    import numpy

    generator = numpy.random.default_rng(21)
    numpy.save(x_path, generator.standard_normal((60_000, 784)))
    numpy.save(y_path, generator.integers(0, 10, 60_000).astype(numpy.float64))


def write_csv(path: str) -> None:
    import numpy

    generator = numpy.random.default_rng(21)
    features = generator.standard_normal((ROWS, FEATURES))
    labels = generator.integers(0, 10, ROWS)
    with open(path, "w") as file:
        file.write(",".join([f"x{i + 1}" for i in range(FEATURES)] + ["label"]) + "\n")
        for row, label in zip(features, labels):
            file.write(",".join(repr(float(value)) for value in row) + f",{label}\n")


def write_model(nn: str, path: str) -> None:
    script = f'input 784\nlayer 128 sigmoid\nlayer 10 softmax\nsave "{path}"\n'
    subprocess.run([nn], input=script, text=True, check=True, capture_output=True, env=single_thread_env())


def nn_times(nn: str, statement: str) -> list[float]:
    script = "set threads 1\n" + statement + "\n" + f"time {statement}\n" * REPEATS
    proc = subprocess.run([nn], input=script, text=True, capture_output=True, env=single_thread_env())
    if proc.returncode != 0:
        print(f"nn failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return []
    return [float(value) for value in re.findall(r"^time: ([0-9.e+-]+) s$", proc.stdout, re.MULTILINE)]


def python_times(program: str, path: str) -> list[float]:
    proc = subprocess.run([sys.executable, "-c", program, path, str(REPEATS)], text=True, capture_output=True,
                          env=single_thread_env())
    if proc.returncode != 0:
        print(f"peer failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return []
    return [float(line) for line in proc.stdout.split()]


def measure(nn: str, rounds: int) -> list[Row]:
    folder = tempfile.mkdtemp(prefix="nn-bench-files-")
    try:
        return measure_in(nn, rounds, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure_in(nn: str, rounds: int, folder: str) -> list[Row]:
    csv_path, model_path = os.path.join(folder, "f.csv"), os.path.join(folder, "m.nnm")
    write_csv(csv_path)
    write_model(nn, model_path)
    x_path, y_path = os.path.join(folder, "x.npy"), os.path.join(folder, "y.npy")
    write_npy(x_path, y_path)

    # One process gives REPEATS times: all but the last go straight into the row, and
    # `alternate` appends the last, so the processes still alternate nn, peer, nn, peer…
    def sampler(take, into: list[float]):
        def run() -> Optional[float]:
            values = take()
            into.extend(values[:-1])
            return values[-1] if values else None
        return run

    rows = []
    for goal, workload, peer, ours, theirs, target in [
        ("8", f'data "f.csv" ({ROWS:,} x {FEATURES + 1} floats)', "pandas.read_csv",
         lambda: nn_times(nn, f'data "{csv_path}"'), lambda: python_times(PANDAS_PEER, csv_path), 1.0),
        ("8", 'load "m.nnm" (784-128-10, 101,770 numbers)', "Python float() parse",
         lambda: nn_times(nn, f'load "{model_path}"'), lambda: python_times(PYTHON_MODEL_PEER, model_path), 1.0),
        ("8", 'data x="x.npy" y="y.npy" (60,000 x 784 float64)', "numpy.load",
         lambda: nn_times(nn, f'data x="{x_path}" y="{y_path}"'), lambda: python_times(NUMPY_PEER, x_path), 1.5),
    ]:
        row = Row(goal, workload, peer, target=target)
        alternate(row, rounds, sampler(ours, row.nn), sampler(theirs, row.theirs))
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main_for(measure, __doc__))
