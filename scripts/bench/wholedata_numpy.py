#!/usr/bin/env python3
"""The numpy peer of wholedata.py: nn's whole-data statements as numpy arithmetic, timed inside the process.

The data and network of scripts/bench/mlp.nn: 60,000 samples of 784 inputs in [0, 1), one of 10
classes each (one-hot targets), a 784-128-10 network, sigmoid then softmax, cross-entropy (the
mean over the samples). Z = A W + b with W stored inputs x units, as mlp_train.py keeps them.
Each workload does the arithmetic the nn statement does, on all the samples at once:

  step      forward, loss, backward (every layer), W <- W - lr dE/dW, then forward and loss again
            (nn prints the loss before and after)
  grad W2   forward, loss, dE/dW2 = A1^T (P - Y) / n (backpropagation stops at layer 2)
  loss      forward, loss
  evaluate  forward, loss, accuracy (argmax of outputs against argmax of targets)
  predict   forward: the outputs of every sample

Prints one line per workload, `NAME SECONDS`, timed with time.perf_counter() around the
workload only (data generation does not count). Run with OPENBLAS_NUM_THREADS=1 for 1 thread.
Usage: python3 scripts/bench/wholedata_numpy.py [--repeat N]
"""

import argparse
import time

import numpy as np

N, N_IN, N_HIDDEN, N_OUT = 60_000, 784, 128, 10


def make(seed=1):
    rng = np.random.default_rng(seed)
    X = rng.random((N, N_IN))
    labels = rng.integers(0, N_OUT, size=N)
    Y = np.zeros((N, N_OUT))
    Y[np.arange(N), labels] = 1.0
    params = []
    for fan_in, fan_out in ((N_IN, N_HIDDEN), (N_HIDDEN, N_OUT)):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        params.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        params.append(np.zeros(fan_out))
    return X, Y, params


def forward(X, W1, b1, W2, b2):
    a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    z2 = a1 @ W2 + b2
    shifted = z2 - z2.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_p = shifted - log_sum
    return a1, log_p


def loss_of(log_p, Y):
    return float(-(Y * log_p).sum() / Y.shape[0])


def step(X, Y, params, lr=0.1):
    W1, b1, W2, b2 = params
    a1, log_p = forward(X, W1, b1, W2, b2)
    before = loss_of(log_p, Y)
    d2 = (np.exp(log_p) - Y) / X.shape[0]
    d1 = (d2 @ W2.T) * a1 * (1.0 - a1)
    gW2, gb2 = a1.T @ d2, d2.sum(axis=0)
    gW1, gb1 = X.T @ d1, d1.sum(axis=0)
    W1 -= lr * gW1
    b1 -= lr * gb1
    W2 -= lr * gW2
    b2 -= lr * gb2
    _, log_p = forward(X, W1, b1, W2, b2)
    return before, loss_of(log_p, Y)


def grad_w2(X, Y, params):
    W1, b1, W2, b2 = params
    a1, log_p = forward(X, W1, b1, W2, b2)
    loss_of(log_p, Y)
    return a1.T @ ((np.exp(log_p) - Y) / X.shape[0])


def loss(X, Y, params):
    return loss_of(forward(X, *params)[1], Y)


def evaluate(X, Y, params):
    _, log_p = forward(X, *params)
    correct = int((log_p.argmax(axis=1) == Y.argmax(axis=1)).sum())
    return loss_of(log_p, Y), correct / X.shape[0]


def predict(X, Y, params):
    return np.exp(forward(X, *params)[1])


WORKLOADS = [("step", step), ("grad", grad_w2), ("loss", loss), ("evaluate", evaluate), ("predict", predict)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    X, Y, params = make()
    for _ in range(args.repeat):
        for name, work in WORKLOADS:
            started = time.perf_counter()
            work(X, Y, params)
            print(f"{name} {time.perf_counter() - started:.6f}", flush=True)


if __name__ == "__main__":
    main()
