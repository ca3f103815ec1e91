#!/usr/bin/env python3
"""The interpreter: a scalar loop and a user-function call, nn against CPython (and Lua 5.4).

  loop  s = 0; for i in range(0, 1000000) { s = s + i }                  <= 0.5 x CPython
  call  def f(x) = x^2 + 1; t = 0; for i in range(0, 1000000) { t = t + f(i) }  <= 1.0 x CPython

Timed inside each process, so that start-up does not count: nn's `time for …` statement (its
`time: S s` line), and `time.perf_counter()` around the same loop run at module level by
CPython (`exec` of the module's code, names in a dict as at the top of a script). Lua 5.4
(`lua5.4`, when installed) runs the same loops with global variables, timed by `os.clock()`,
as a second interpreter for reference; it sets no goal. One process per sample, nn and the
peer alternating, medians; the figures are the whole loop (1,000,000 iterations), so a
millisecond is a nanosecond per iteration.

Run alone: python3 scripts/bench/interpreter.py --nn .build-speed/release/nn [--rounds 5]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Row, alternate, main_for, single_thread_env  # noqa: E402

ITERATIONS = 1_000_000

NN_LOOP = f"s = 0\ntime for i in range(0, {ITERATIONS}) {{ s = s + i }}\n"
NN_CALL = f"def f(x) = x^2 + 1\nt = 0\ntime for i in range(0, {ITERATIONS}) {{ t = t + f(i) }}\n"

PY_LOOP = f"s = 0\nfor i in range(0, {ITERATIONS}):\n    s = s + i\n"
PY_CALL = f"def f(x):\n    return x**2 + 1\nt = 0\nfor i in range(0, {ITERATIONS}):\n    t = t + f(i)\n"

# The module's code runs in a fresh dict of globals, as a script's top level does.
PY_TIMER = """
import sys, time
code = compile(sys.stdin.read(), "<module>", "exec")
started = time.perf_counter()
exec(code, {"__name__": "__main__"})
print(time.perf_counter() - started)
"""

LUA_LOOP = f"local started = os.clock()\ns = 0\nfor i = 0, {ITERATIONS - 1} do s = s + i end\nprint(os.clock() - started)\n"
LUA_CALL = (f"function f(x) return x^2 + 1 end\nlocal started = os.clock()\nt = 0\n"
            f"for i = 0, {ITERATIONS - 1} do t = t + f(i) end\nprint(os.clock() - started)\n")


def nn_time(nn: str, program: str) -> Optional[float]:
    """The seconds nn's `time` statement reports for the program's loop."""
    proc = subprocess.run([nn], input=program, env=single_thread_env(), capture_output=True, text=True)
    match = re.search(r"^time: ([0-9.eE+-]+) s$", proc.stdout, re.MULTILINE)
    if proc.returncode != 0 or not match:
        print(f"nn could not run the loop: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return float(match.group(1))


def printed_seconds(cmd: list[str], program: str) -> Optional[float]:
    """The seconds a peer prints after timing the loop itself."""
    proc = subprocess.run(cmd, input=program, env=single_thread_env(), capture_output=True, text=True)
    try:
        return float(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"could not run {' '.join(cmd)}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None


def measure(nn: str, rounds: int) -> list[Row]:
    python = [sys.executable, "-c", PY_TIMER]
    version = f"CPython {sys.version_info.major}.{sys.version_info.minor}"
    rows = [
        alternate(Row("5", "for i in range(0, 1e6) { s = s + i }", version, target=0.5), rounds,
                  lambda: nn_time(nn, NN_LOOP), lambda: printed_seconds(python, PY_LOOP)),
        alternate(Row("5", "t = t + f(i), def f(x) = x^2 + 1, 1e6 times", version, target=1.0), rounds,
                  lambda: nn_time(nn, NN_CALL), lambda: printed_seconds(python, PY_CALL)),
    ]
    lua = shutil.which("lua5.4")
    if lua:
        # A second interpreter for reference; no goal is judged against it.
        rows += [
            alternate(Row("-", "for i in range(0, 1e6) { s = s + i }", "Lua 5.4 globals", target=None), rounds,
                      lambda: nn_time(nn, NN_LOOP), lambda: printed_seconds([lua, "-"], LUA_LOOP)),
            alternate(Row("-", "t = t + f(i), def f(x) = x^2 + 1, 1e6 times", "Lua 5.4 globals", target=None), rounds,
                      lambda: nn_time(nn, NN_CALL), lambda: printed_seconds([lua, "-"], LUA_CALL)),
        ]
    return rows


if __name__ == "__main__":
    sys.exit(main_for(measure, __doc__))
