"""Indexing: mlax vs JAX (and NumPy) in one process, ratios printed.

    python bench/bench_indexing.py [--quick] [--keep-cache]

Rows:
  1. Embedding lookup table[ids] (50,000 x 512 f32 table, 4,096 ids) and
     the gradient of a loss over it with respect to the table (a
     scatter-add into the table's shape).
  2. segment_sum of 10^6 values into 10^4 segments.
  3. jnp.sort and jnp.argsort of 10^6 f32 (mlax: a merge sort in linalg,
     O(n log^2 n); JAX: XLA's CPU sort), lax.top_k(x, 10) over
     1000 x 10,000 (mlax: IREE's topk).
  4. cumsum of 10^7 f32 (mlax: IREE's scan in blocks of 4096), against the
     memory-bandwidth floor measured in the same run: mlax's x * 2 over the
     same array (one read, one write, through the same call path); cumprod
     and cummax of 10^7 f32 the same way (their own ops since issue 14).
Ratios >= 1 mean mlax is at least as fast. Nothing here is a test.
"""

import os
import sys

import numpy as np
from common import block, median, use_fresh_cache

QUICK = "--quick" in sys.argv
use_fresh_cache()

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp


def row(name, tm, tj, tn=None, err=None):
    extra = f"   NumPy {tn * 1e3:8.2f} ms   NumPy/mlax {tn / tm:5.2f}" if tn else ""
    diff = f"   max |diff| {err:.1e}" if err is not None else ""
    print(
        f"{name:46s}: mlax {tm * 1e3:8.2f} ms   JAX {tj * 1e3:8.2f} ms   JAX/mlax {tj / tm:5.2f}"
        f"{extra}{diff}"
    )


def main():
    repeat = 5 if QUICK else 15
    rows, width, n_ids = (10_000, 256, 1024) if QUICK else (50_000, 512, 4096)
    print(f"mlax {mlax.__version__}, JAX {jax.__version__}, {os.cpu_count()} cores\n")
    rng = np.random.default_rng(0)
    table = rng.standard_normal((rows, width)).astype(np.float32)
    ids = rng.integers(0, rows, n_ids).astype(np.int32)

    m_lookup = mlax.jit(lambda t, i: t[i])
    j_lookup = jax.jit(lambda t, i: t[i])
    mt, jt = jnp.asarray(table), jjnp.asarray(table)
    tm = median(lambda: block(m_lookup(mt, ids)), repeat)
    tj = median(lambda: block(j_lookup(jt, ids)), repeat)
    tn = median(lambda: table[ids], repeat)
    err = np.abs(np.asarray(m_lookup(mt, ids)) - table[ids]).max()
    row(f"lookup {rows}x{width} table, {n_ids} ids", tm, tj, tn, err)

    def loss(np_):
        return lambda t, i: np_.sum(np_.tanh(t[i]))

    m_grad = mlax.jit(mlax.grad(loss(jnp)))
    j_grad = jax.jit(jax.grad(loss(jjnp)))
    tm = median(lambda: block(m_grad(mt, ids)), repeat)
    tj = median(lambda: block(j_grad(jt, ids)), repeat)
    err = np.abs(np.asarray(m_grad(mt, ids)) - np.asarray(j_grad(jt, ids))).max()
    row("grad of the lookup (scatter-add)", tm, tj, None, err)

    n, segments = (100_000, 1_000) if QUICK else (1_000_000, 10_000)
    data = rng.standard_normal(n).astype(np.float32)
    seg = rng.integers(0, segments, n).astype(np.int32)
    m_seg = mlax.jit(lambda d, s: mlax.ops.segment_sum(d, s, num_segments=segments))
    j_seg = jax.jit(lambda d, s: jax.ops.segment_sum(d, s, num_segments=segments))
    tm = median(lambda: block(m_seg(data, seg)), repeat)
    tj = median(lambda: block(j_seg(data, seg)), repeat)

    def numpy_seg():
        out = np.zeros(segments, np.float32)
        np.add.at(out, seg, data)
        return out

    tn = median(numpy_seg, repeat)
    err = np.abs(np.asarray(m_seg(data, seg)) - numpy_seg()).max()
    row(f"segment_sum {n} values into {segments}", tm, tj, tn, err)
    # The same with the inputs already on the device: the row above also
    # times each library's copy of 8 MB of NumPy input.
    md, ms = jnp.asarray(data), jnp.asarray(seg)
    jd, js = jjnp.asarray(data), jjnp.asarray(seg)
    tm = median(lambda: block(m_seg(md, ms)), repeat)
    tj = median(lambda: block(j_seg(jd, js)), repeat)
    row("  the same, inputs on the device", tm, tj)

    n = 100_000 if QUICK else 1_000_000
    x = rng.standard_normal(n).astype(np.float32)
    for name, mf, jf, nf in [
        ("sort", jnp.sort, jjnp.sort, np.sort),
        ("argsort", jnp.argsort, jjnp.argsort, lambda v: np.argsort(v, kind="stable")),
    ]:
        m_f, j_f = mlax.jit(mf), jax.jit(jf)
        tm = median(lambda m_f=m_f: block(m_f(x)), repeat)
        tj = median(lambda j_f=j_f: block(j_f(x)), repeat)
        tn = median(lambda nf=nf: nf(x), repeat)
        err = np.abs(np.asarray(m_f(x)) - nf(x)).max()
        row(f"{name} {n} f32", tm, tj, tn, err)

    rows_k, cols_k = (100, 10_000) if QUICK else (1000, 10_000)
    y = rng.standard_normal((rows_k, cols_k)).astype(np.float32)
    m_top = mlax.jit(lambda v: mlax.lax.top_k(v, 10))
    j_top = jax.jit(lambda v: jax.lax.top_k(v, 10))
    tm = median(lambda: block(m_top(y)[0]), repeat)
    tj = median(lambda: block(j_top(y)[0]), repeat)
    err = np.abs(np.asarray(m_top(y)[1]) - np.asarray(j_top(y)[1])).max()
    row(f"top_k(x, 10), x {rows_k}x{cols_k}", tm, tj, None, err)

    n = 1_000_000 if QUICK else 10_000_000
    x = rng.standard_normal(n).astype(np.float32)
    m_cs, j_cs = mlax.jit(jnp.cumsum), jax.jit(jjnp.cumsum)
    m_copy = mlax.jit(lambda v: v * 2)
    tm = median(lambda: block(m_cs(x)), repeat)
    tj = median(lambda: block(j_cs(x)), repeat)
    tn = median(lambda: np.cumsum(x), repeat)
    floor = median(lambda: block(m_copy(x)), repeat)
    err = np.abs(np.asarray(m_cs(x)) - np.cumsum(x.astype(np.float64))).max()
    row(f"cumsum {n} f32", tm, tj, tn, err)
    print(
        f"{'  bandwidth floor (x * 2, same path)':46s}: {floor * 1e3:8.2f} ms   cumsum/floor {tm / floor:5.2f}"
    )
    # Factors near 1 (a random walk in log space), so the running product
    # neither overflows nor underflows; not within an ulp of 1, where
    # float32's uneven spacing biases every product's rounding.
    near_one = np.exp(1e-3 * x).astype(np.float32)
    for name, np_fn, arg in (
        ("cumprod", np.cumprod, near_one),
        ("cummax", np.maximum.accumulate, x),
    ):
        scan_row(name, getattr(mlax.lax, name), getattr(jax.lax, name), np_fn, arg, floor, repeat)


def scan_row(name, m_op, j_op, np_fn, arg, floor, repeat):
    m_fn, j_fn = mlax.jit(m_op), jax.jit(j_op)
    tm = median(lambda: block(m_fn(arg)), repeat)
    tj = median(lambda: block(j_fn(arg)), repeat)
    tn = median(lambda: np_fn(arg), repeat)
    err = np.abs(np.asarray(m_fn(arg)) - np_fn(arg.astype(np.float64))).max()
    row(f"{name} {arg.size} f32", tm, tj, tn, err)
    print(f"{'':46s}  {name}/floor {tm / floor:5.2f}")


if __name__ == "__main__":
    main()
