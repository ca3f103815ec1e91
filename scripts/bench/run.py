#!/usr/bin/env python3
"""nn against its peers, side by side: the speed goals of the engine, as ratios.

Runs nn and the peer scripts (../shared/bench/peers beside the clone, or $NN_PEERS) in alternation,
A B A B ..., for --rounds rounds at 1 and 2 threads, and prints each median and the ratio
each goal is judged by. Never fails on speed: exits 0 unless something could not run.

  goal 1  mlp.nn epoch, float64        <= 0.8 x numpy float64, <= 0.6 x torch float64
  goal 2  tiny_xor.nn, 10,000 epochs   <= 0.1 x tiny_xor.py --impl python
  goal 3  nn -e 'print 1'              <= 0.5 x python3 -c pass   (hyperfine)
  goal 4  mlp epoch, float32           <= 0.8 x numpy float32 (it was 1.0 before issue 21 tightened it)

The epoch time of an nn script is `time train epochs=1` minus `time train epochs=0` (what a
quiet train costs besides its epochs; the peers time the epoch only).
At 1 thread the float64 epoch is also timed with NN_KERNELS=off: OpenBLAS alone, without
nn's AVX-512 kernels (Sources/NNKernels).
The scripts choose threads and precision with `set threads N` and `set dtype float32`; the
engine's NN_BENCH test (Tests/NNEngineTests/EngineBenchmarkTests.swift) times float32 from
inside the engine too, as a cross-check. (Against an nn without those settings, the `set`
lines are dropped and threads go through OPENBLAS_NUM_THREADS.)

Then it runs the suites of the other speed goals (scripts/bench/SUITE.py, each also runnable
alone), each timing nn against its peer side by side at 1 thread, and idle.py, which checks that
nn's idle threads burn no CPU.

Usage: scripts/bench/run.py [--rounds 3] [--threads 1 2] [--nn PATH] [--skip-build]
                            [--suites NAME ...] [--no-training]
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

# The suites of issue-21's goals, in the order the README's table lists them.
SUITES = ["interpreter", "elementwise", "wholedata", "files", "float32"]

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(ROOT, "scripts", "bench")
PEERS = os.environ.get("NN_PEERS", os.path.join(ROOT, "..", "shared", "bench", "peers"))
SCRATCH = os.path.join(ROOT, ".build-speed")
BENCH_SCRATCH = os.path.join(ROOT, ".build-speed-bench")

failures = []


def thread_env(threads):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    return env


def run(cmd, threads=1, extra_env=None, cwd=None):
    env = thread_env(threads)
    env.update(extra_env or {})
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        failures.append(f"{' '.join(cmd)} -> exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        return None
    return proc.stdout


def result_field(text, field, impl=None):
    for line in (text or "").splitlines():
        if line.startswith("RESULT ") and (impl is None or f"impl={impl} " in line):
            match = re.search(rf"\b{field}=([0-9.eE+-]+)", line)
            if match:
                return float(match.group(1))
    return None


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


class Runner:
    def __init__(self, args):
        self.nn = args.nn
        self.samples = {}  # (goal key) -> [seconds]
        self.knows_threads = self.language_knows("set threads 1")
        self.knows_dtype = self.language_knows("set dtype float32")
        self.torch = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0

    def language_knows(self, statement):
        return subprocess.run([self.nn, "-e", statement], capture_output=True).returncode == 0

    def add(self, key, value):
        if value is not None:
            self.samples.setdefault(key, []).append(value)

    def script(self, name, threads):
        """The bench script with its `set` lines adapted to this run, as a temporary file."""
        lines = []
        for line in open(os.path.join(BENCH, name)):
            if line.startswith("set threads"):
                if not self.knows_threads:
                    continue
                line = f"set threads {threads}\n"
            if line.startswith("set dtype") and not self.knows_dtype:
                continue
            lines.append(line)
        handle = tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False)
        handle.writelines(lines)
        handle.close()
        return handle.name

    def nn_times(self, name, threads, extra_env=None):
        path = self.script(name, threads)
        try:
            out = run([self.nn, path], threads, extra_env)
        finally:
            os.unlink(path)
        times = [float(t) for t in re.findall(r"time: ([0-9.eE+-]+) s", out or "")]
        return times

    def nn_epoch(self, name, threads, extra_env=None):
        times = self.nn_times(name, threads, extra_env)
        if len(times) != 2:
            return None, None
        return times[1] - times[0], times[1]

    def engine_epoch(self, dtype, threads):
        out = run(["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing", "--scratch-path", BENCH_SCRATCH,
                   "--skip-build", "--filter", "EngineBenchmarkTests.mlpEpoch"], threads,
                  {"NN_BENCH": "1", "NN_BENCH_DTYPE": dtype}, cwd=ROOT)
        return result_field(out, "epoch_s", "nn-engine")

    def peer_mlp(self, impl, dtype, threads):
        out = run([sys.executable, os.path.join(PEERS, "mlp_train.py"), "--impl", impl, "--dtype", dtype,
                   "--threads", str(threads)], threads)
        return result_field(out, "epoch_s", impl)

    def round(self, threads):
        epoch, whole = self.nn_epoch("mlp.nn", threads)
        self.add(("nn f64", threads), epoch)
        self.add(("nn f64 whole train", threads), whole)
        if threads == 1:
            # nn's own kernels run on one thread only; the same epoch with OpenBLAS alone.
            self.add(("nn f64 openblas", threads), self.nn_epoch("mlp.nn", threads, {"NN_KERNELS": "off"})[0])
        self.add(("numpy f64", threads), self.peer_mlp("numpy", "float64", threads))
        self.add(("nn-engine f64", threads), self.engine_epoch("float64", threads))
        if self.torch:
            self.add(("torch f64", threads), self.peer_mlp("torch", "float64", threads))
        if self.knows_dtype:
            self.add(("nn f32", threads), self.nn_epoch("mlp_float32.nn", threads)[0])
        self.add(("nn-engine f32", threads), self.engine_epoch("float32", threads))
        self.add(("numpy f32", threads), self.peer_mlp("numpy", "float32", threads))
        if threads == 1:
            times = self.nn_times("tiny_xor.nn", threads)
            self.add(("nn xor", 1), times[0] if times else None)
            out = run([sys.executable, os.path.join(PEERS, "tiny_xor.py"), "--impl", "python", "--repeats", "1"], 1)
            self.add(("python xor", 1), result_field(out, "total_s", "python"))

    def startup(self, runs):
        if not shutil.which("hyperfine"):
            failures.append("hyperfine not installed (apt-get install -y hyperfine): start-up not measured")
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "startup.json")
            out = run(["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", str(runs),
                       "--export-json", path, f"{self.nn} -e 'print 1'", "python3 -c pass"], 1)
            if out is None:
                return
            results = json.load(open(path))["results"]
            self.samples[("nn start", 1)] = results[0]["times"]
            self.samples[("python start", 1)] = results[1]["times"]

    def median(self, key):
        values = self.samples.get(key)
        return statistics.median(values) if values else None


def versions():
    text = []
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libopenblas0"], capture_output=True, text=True)
        text.append(f"OpenBLAS {out.stdout.strip()} (Debian libopenblas0)")
    except OSError:
        pass
    for module in ("numpy", "torch"):
        out = subprocess.run([sys.executable, "-c", f"import {module}; print({module}.__version__)"],
                             capture_output=True, text=True)
        text.append(f"{module} {out.stdout.strip() or 'not installed'}")
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    text.append(swift[0] if swift else "swift ?")
    return ", ".join(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--nn", default=os.path.join(SCRATCH, "release", "nn"))
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--suites", nargs="*", default=SUITES + ["idle"],
                        help="the other suites to run after the training goals (default: all)")
    parser.add_argument("--no-training", action="store_true", help="skip goals 1 to 4 (training and start-up)")
    args = parser.parse_args()

    if not args.skip_build:
        for cmd in (["swift", "build", "-c", "release", "--scratch-path", SCRATCH],
                    ["swift", "build", "-c", "release", "-Xswiftc", "-enable-testing", "--build-tests",
                     "--scratch-path", BENCH_SCRATCH]):
            if subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode != 0:
                print(f"could not build: {' '.join(cmd)}")
                return 1
    if not os.path.exists(args.nn):
        print(f"no nn binary at {args.nn}")
        return 1

    load_before = load()
    started = datetime.datetime.now().astimezone()
    print(f"# run.py {started:%Y-%m-%d %H:%M %Z}; load before: {load_before}; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"# {versions()}")
    if not args.no_training:
        training_goals(args, load_before)
    run_suites(args)
    print(f"# done {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load {load()}")
    for failure in failures:
        print(f"could not run: {failure}")
    return 1 if failures else 0


def run_suites(args):
    """The other goals' suites, each a table of nn against its peer, then the idle threads."""
    import importlib

    rows = []
    for name in args.suites:
        if name == "idle":
            continue
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            failures.append(f"suite {name}: {error}")
            continue
        print(f"# suite {name}, {args.rounds} rounds, load {load()}", flush=True)
        rows += module.measure(args.nn, args.rounds)
    if rows:
        print()
        benchlib.print_table(rows)
    if "idle" in args.suites:
        import idle

        print()
        idle.report(args.nn, args.rounds)


def training_goals(args, load_before):
    runner = Runner(args)
    print(f"# language knows 'set threads': {runner.knows_threads}, 'set dtype': {runner.knows_dtype}; torch: {runner.torch}")
    for index in range(args.rounds):
        for threads in args.threads:
            print(f"# round {index + 1}/{args.rounds}, {threads} thread(s), load {load()}", flush=True)
            runner.round(threads)
    runner.startup(args.startup_runs)
    load_after = load()

    def cell(value, unit="s"):
        if value is None:
            return "-"
        return f"{value * 1000:.2f} ms" if unit == "ms" else f"{value:.4f} s"

    def ratio_row(goal, what, ours, theirs, limit, threads, unit="s"):
        a, b = runner.median((ours, threads)), runner.median((theirs, threads))
        ratio = a / b if a and b else None
        verdict = "-" if ratio is None else ("met" if ratio <= limit else "NOT met")
        rounds = len(runner.samples.get((ours, threads), []))
        print(f"{goal:6} {what:34} {threads:>3} {cell(a, unit):>11} {cell(b, unit):>11} "
              f"{'-' if ratio is None else f'{ratio:.3f}':>7} {'<= ' + str(limit):>7} {verdict:>8} {rounds:>3}")

    print()
    print(f"{'goal':6} {'nn vs peer':34} {'thr':>3} {'nn median':>11} {'peer med.':>11} {'ratio':>7} {'target':>7} {'verdict':>8} {'n':>3}")
    for threads in args.threads:
        ratio_row("1", "mlp epoch f64 vs numpy f64", "nn f64", "numpy f64", 0.8, threads)
        ratio_row("1", "  (engine-timed) vs numpy f64", "nn-engine f64", "numpy f64", 0.8, threads)
        ratio_row("1", "  whole train vs numpy f64 epoch", "nn f64 whole train", "numpy f64", 0.8, threads)
        if threads == 1:
            ratio_row("1", "  NN_KERNELS=off vs numpy f64", "nn f64 openblas", "numpy f64", 0.8, threads)
        if runner.torch:
            ratio_row("1", "mlp epoch f64 vs torch f64", "nn f64", "torch f64", 0.6, threads)
        if runner.knows_dtype:
            ratio_row("4", "mlp epoch f32 vs numpy f32", "nn f32", "numpy f32", 0.8, threads)
        ratio_row("4", "  (engine-timed) f32 vs numpy f32", "nn-engine f32", "numpy f32", 0.8, threads)
    ratio_row("2", "xor 10,000 epochs vs pure python", "nn xor", "python xor", 0.1, 1, "ms")
    ratio_row("3", "nn -e 'print 1' vs python3 -c pass", "nn start", "python start", 0.5, 1, "ms")
    print()
    print(f"# load before {load_before}, after {load_after}; {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print("# raw: " + json.dumps({f"{k[0]} @{k[1]}": [round(v, 5) for v in vs] for k, vs in runner.samples.items()
                                  if "start" not in k[0]}))


if __name__ == "__main__":
    sys.exit(main())
