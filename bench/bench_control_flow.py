"""Control flow: mlax vs JAX in one process, ratios printed.

    python bench/bench_control_flow.py [--quick] [--keep-cache]

Rows:
  1. A 1000-step lax.scan RNN (hidden 256, batch 32): forward, and
     jit(grad) of a loss over it.
  2. fori_loop of 100,000 scalar iterations (traced bound, so a while
     loop): per-iteration cost.
Ratios >= 1 mean mlax is at least as fast. Nothing here is a test.
"""

import os
import sys

import numpy as np
from common import block, medians_interleaved, use_fresh_cache

QUICK = "--quick" in sys.argv
use_fresh_cache()

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp


def rnn(np_, lax_):
    def forward(wh, wx, xs):
        def cell(h, x):
            h = np_.tanh(h @ wh + x @ wx)
            return h, None

        h, _ = lax_.scan(cell, np_.zeros((32, 256), np_.float32), xs)
        return h

    def loss(wh, wx, xs):
        return np_.mean(forward(wh, wx, xs) ** 2)

    return forward, loss


def main():
    steps = 200 if QUICK else 1000
    iters = 10_000 if QUICK else 100_000
    repeat = 3 if QUICK else 7
    print(f"mlax {mlax.__version__}, JAX {jax.__version__}, {os.cpu_count()} cores\n")
    rng = np.random.default_rng(0)
    wh = (rng.standard_normal((256, 256)) / 16).astype(np.float32)
    wx = (rng.standard_normal((16, 256)) / 4).astype(np.float32)
    xs = rng.standard_normal((steps, 32, 16)).astype(np.float32)

    mf, ml = rnn(jnp, mlax.lax)
    jf, jl = rnn(jjnp, jax.lax)
    m_fwd, j_fwd = mlax.jit(mf), jax.jit(jf)
    m_grad, j_grad = mlax.jit(mlax.grad(ml)), jax.jit(jax.grad(jl))
    for name, m, j in (("forward", m_fwd, j_fwd), ("grad", m_grad, j_grad)):
        tm, tj = medians_interleaved(
            [lambda m=m: block(m(wh, wx, xs)), lambda j=j: block(j(wh, wx, xs))], repeat
        )
        err = np.abs(np.asarray(m(wh, wx, xs)) - np.asarray(j(wh, wx, xs))).max()
        print(
            f"scan RNN {steps} steps, hidden 256, batch 32, {name:7s}: mlax {tm * 1e3:8.2f} ms"
            f"   JAX {tj * 1e3:8.2f} ms   JAX/mlax {tj / tm:5.2f}   max |diff| {err:.1e}"
        )

    def count(lax_):
        return lambda n, x: lax_.fori_loop(0, n, lambda i, v: v * 0.999999 + 1e-6, x)

    mc, jc = mlax.jit(count(mlax.lax)), jax.jit(count(jax.lax))
    tm, tj = medians_interleaved(
        [lambda: block(mc(iters, np.float32(1.0))), lambda: block(jc(iters, np.float32(1.0)))],
        repeat,
    )
    print(
        f"fori_loop of {iters} scalar iterations: mlax {tm / iters * 1e9:7.1f} ns/iteration"
        f"   JAX {tj / iters * 1e9:7.1f} ns/iteration   JAX/mlax {tj / tm:5.2f}"
    )


if __name__ == "__main__":
    main()
