"""mlax.random against JAX (and the memory-write floor), in one process.

    python bench/bench_random.py [--quick] [--keep-cache]

Rows: jit(normal) and jit(uniform) of 4096x4096 float32, split(key, 1e6).
Prints medians and the ratio JAX/mlax (>= 1 means mlax is at least as
fast), and each sampler against np.copyto of an array of the same size
(the cost of writing the result once). Nothing here is a test.
"""

import sys

import numpy as np
from common import block, median, once, use_fresh_cache

use_fresh_cache()

import jax  # noqa: E402
import mlax  # noqa: E402
from jax import random as jr  # noqa: E402
from mlax import random  # noqa: E402

QUICK = "--quick" in sys.argv
N = 2048 if QUICK else 4096
REPEAT = 5 if QUICK else 11


def row(name, t_mlax, t_jax, floor=None):
    extra = f"   floor {floor * 1e3:7.2f} ms  mlax/floor {t_mlax / floor:5.2f}" if floor else ""
    print(
        f"{name:34s} mlax {t_mlax * 1e3:8.2f} ms   JAX {t_jax * 1e3:8.2f} ms   "
        f"JAX/mlax {t_jax / t_mlax:5.2f}{extra}"
    )


def main():
    print(f"mlax {mlax.__version__}, JAX {jax.__version__}; {N}x{N} float32\n")
    key, key_j = random.PRNGKey(0), jr.PRNGKey(0)
    out = np.empty((N, N), np.float32)
    src = np.ones((N, N), np.float32)
    floor = median(lambda: np.copyto(out, src), REPEAT)

    for name in ("normal", "uniform"):
        f = mlax.jit(lambda k, name=name: getattr(random, name)(k, (N, N)))
        g = jax.jit(lambda k, name=name: getattr(jr, name)(k, (N, N)))
        _, first_m = once(lambda: block(f(key)))
        _, first_j = once(lambda: block(g(key_j)))
        t_m = median(lambda: block(f(key)), REPEAT)
        t_j = median(lambda: block(g(key_j)), REPEAT)
        row(f"jit({name}) {N}x{N}", t_m, t_j, floor)
        print(f"{'':34s} first call: mlax {first_m:.2f} s, JAX {first_j:.2f} s")

    num = 100_000 if QUICK else 1_000_000
    t_m = median(lambda: block(random.split(key, num)), REPEAT)
    t_j = median(lambda: block(jr.split(key_j, num)), REPEAT)
    row(f"split(key, {num})", t_m, t_j)
    f = mlax.jit(lambda k: random.split(k, num))
    g = jax.jit(lambda k: jr.split(k, num))
    row(
        f"jit(split(key, {num}))",
        median(lambda: block(f(key)), REPEAT),
        median(lambda: block(g(key_j)), REPEAT),
    )


if __name__ == "__main__":
    main()
