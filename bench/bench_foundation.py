"""Foundation benchmarks: mlax vs JAX vs NumPy, measured in one process.

Prints, per workload, the median time of each system and the ratio
JAX/mlax (>= 1.0 means mlax is at least as fast). Run:

    python bench/bench_foundation.py [--quick]

JAX is optional (skipped when not installed). Nothing here is a test:
timings on a shared machine are noisy, so read ratios, not absolutes.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

if "--keep-cache" not in sys.argv:
    # First-call figures must include the IREE compile: use an empty cache.
    os.environ["MLAX_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlax-bench-cache-")

import mlax
import mlax.numpy as mnp
from mlax._src.runtime import compiler

try:
    import jax
    import jax.numpy as jnp_ref
except ImportError:  # pragma: no cover
    jax = None


def median_time(fn, repeat, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_call(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cube(x):
    return x * x * x


def chain20(x):
    # 20 elementwise ops.
    y = x * 1.5 + 0.5
    y = y * y - x
    y = y / (x + 2.0)
    y = y * 0.25 + x * 0.75
    y = y - 0.1
    y = y * y
    y = y + x
    y = y * 0.5
    y = y - x * 0.25
    y = y + 1.0
    return y


def softmax_rows(np_mod, x):
    m = np_mod.max(x, axis=1, keepdims=True)
    e = np_mod.exp(x - m)
    return e / np_mod.sum(e, axis=1, keepdims=True)


def row(name, times, unit="ms"):
    scale = 1e3 if unit == "ms" else 1e6
    cells = [f"{name:44s}"]
    for sysname in ("mlax", "jax", "numpy"):
        t = times.get(sysname)
        cells.append(
            f"{sysname}={t * scale:9.3f}{unit}" if t is not None else f"{sysname}=      n/a  "
        )
    if times.get("jax") and times.get("mlax"):
        cells.append(f"jax/mlax={times['jax'] / times['mlax']:6.2f}")
    if times.get("floor") and times.get("mlax"):
        cells.append(f"mlax/copy-floor={times['mlax'] / times['floor']:5.2f}")
    print("  ".join(cells), flush=True)


def block(x):
    if hasattr(x, "block_until_ready"):
        x.block_until_ready()
    return x


def bench_elementwise(name, fn, shape, repeat):
    host = np.random.default_rng(0).standard_normal(shape, dtype=np.float32)
    out = np.empty_like(host)
    floor = median_time(lambda: np.copyto(out, host), repeat)
    times = {"floor": floor}
    xm = mnp.asarray(host)
    jm = mlax.jit(fn)
    first = {"mlax": first_call(lambda: block(jm(xm)))}
    times["mlax"] = median_time(lambda: block(jm(xm)), repeat)
    eager = {"mlax": median_time(lambda: block(fn(xm)), repeat)}
    if jax:
        xj = jnp_ref.asarray(host)
        jj = jax.jit(fn)
        first["jax"] = first_call(lambda: block(jj(xj)))
        times["jax"] = median_time(lambda: block(jj(xj)), repeat)
        eager["jax"] = median_time(lambda: block(fn(xj)), repeat)
    times["numpy"] = median_time(lambda: fn(host), repeat)
    eager["numpy"] = times["numpy"]
    print(f"  np.copyto floor (1 read + 1 write): {floor * 1e3:.3f} ms")
    row(f"{name} jit", times)
    row(f"{name} eager (2nd+ call)", eager)
    row(f"{name} first jit call (trace+compile)", first)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller arrays, fewer repeats")
    parser.add_argument("--keep-cache", action="store_true", help="use the normal compile cache")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    big = (2000, 2000) if args.quick else (10000, 10000)
    mid = (1024, 1024) if args.quick else (4096, 4096)
    print(
        f"mlax {mlax.__version__}; jax {jax.__version__ if jax else 'not installed'}; "
        f"numpy {np.__version__}; cpus={os.cpu_count()}"
    )

    print(f"\n== cube {big} f32")
    bench_elementwise("cube", cube, big, repeat)
    print(f"\n== 20-op elementwise chain {mid} f32")
    bench_elementwise("chain20", chain20, mid, repeat)

    print("\n== matmul 1024x1024 f32")
    a = np.random.default_rng(1).standard_normal((1024, 1024), dtype=np.float32)
    b = np.random.default_rng(2).standard_normal((1024, 1024), dtype=np.float32)
    am, bm = mnp.asarray(a), mnp.asarray(b)
    mm = mlax.jit(lambda p, q: p @ q)
    times = {}
    first = {"mlax": first_call(lambda: block(mm(am, bm)))}
    times["mlax"] = median_time(lambda: block(mm(am, bm)), repeat)
    if jax:
        aj, bj = jnp_ref.asarray(a), jnp_ref.asarray(b)
        mj = jax.jit(lambda p, q: p @ q)
        first["jax"] = first_call(lambda: block(mj(aj, bj)))
        times["jax"] = median_time(lambda: block(mj(aj, bj)), repeat)
    times["numpy"] = median_time(lambda: a @ b, repeat)
    row("matmul jit", times)
    row("matmul first jit call", first)
    err = np.max(np.abs(np.asarray(mm(am, bm)) - a @ b))
    print(f"  max |mlax - numpy| = {err:.2e}")

    print(f"\n== row-wise softmax {mid} f32")
    x = np.random.default_rng(3).standard_normal(mid, dtype=np.float32)
    xm = mnp.asarray(x)
    sm = mlax.jit(lambda v: softmax_rows(mnp, v))
    times = {}
    first = {"mlax": first_call(lambda: block(sm(xm)))}
    times["mlax"] = median_time(lambda: block(sm(xm)), repeat)
    if jax:
        xj = jnp_ref.asarray(x)
        sj = jax.jit(lambda v: softmax_rows(jnp_ref, v))
        first["jax"] = first_call(lambda: block(sj(xj)))
        times["jax"] = median_time(lambda: block(sj(xj)), repeat)
    times["numpy"] = median_time(lambda: softmax_rows(np, x), repeat)
    row("softmax jit", times)
    row("softmax first jit call", first)

    print("\n== warm per-call overhead, jitted x + 1 on a 4-element array")
    tiny = np.arange(4, dtype=np.float32)
    tm = mnp.asarray(tiny)
    fm = mlax.jit(lambda v: v + 1)
    n = 2000 if args.quick else 20000
    times = {"mlax": median_time(lambda: [fm(tm) for _ in range(n)], 3) / n}
    if jax:
        tj = jnp_ref.asarray(tiny)
        fj = jax.jit(lambda v: v + 1)
        times["jax"] = median_time(lambda: [fj(tj) for _ in range(n)], 3) / n
    times["numpy"] = median_time(lambda: [tiny + 1 for _ in range(n)], 3) / n
    row("tiny jit call", times, unit="us")

    print("\n== eager op on a new small shape (first call compiles)")
    fresh = mnp.asarray(np.ones((7, 13), np.float32))
    t_first = first_call(lambda: block(mnp.tanh(fresh)))
    t_again = median_time(lambda: [mnp.tanh(fresh) for _ in range(1000)], 3) / 1000
    print(f"  mnp.tanh on (7, 13): first {t_first * 1e3:.1f} ms, repeated {t_again * 1e6:.1f} us")

    print("\n== second process, same jitted function (disk cache)")
    cache = tempfile.mkdtemp()
    script = textwrap.dedent("""
        import time, mlax, mlax.numpy as jnp
        from mlax._src.runtime import compiler
        x = jnp.ones((256, 256))
        f = mlax.jit(lambda v: v * v * v + 1.0)
        t = time.perf_counter(); f(x).block_until_ready(); dt = time.perf_counter() - t
        print(f"{dt * 1e3:.1f} {compiler.stats['iree_compiles']} {compiler.stats['disk_hits']}")
    """)
    env = dict(os.environ, MLAX_CACHE_DIR=cache)
    for label in ("first process", "second process"):
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        print(
            f"  {label}: first call after import {out[0]} ms, IREE compiles {out[1]}, "
            f"disk hits {out[2]}"
        )
    print(f"\n(compile stats this process: {compiler.stats})")


if __name__ == "__main__":
    main()
