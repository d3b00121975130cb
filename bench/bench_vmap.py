"""vmap benchmark: per-example gradients of a small MLP, in one process.

jit(vmap(grad(loss), in_axes=(None, 0, 0))) at batch 256 with mlax and JAX,
and against a Python loop of jitted grad calls (one per example). Prints
per-call medians and the ratios. Run:

    python bench/bench_vmap.py
"""

import os

import numpy as np
from common import block, median, once, use_fresh_cache

use_fresh_cache()

import mlax
import mlax.numpy as mnp

try:
    import jax
    import jax.numpy as jnp_ref
except ImportError:  # pragma: no cover
    jax = None

BATCH = 256
# An MNIST-shaped MLP (its per-example gradients are 103 MB per call, so
# writing them bounds every framework) and a narrow one.
CONFIGS = ([784, 128, 128, 10], [32, 64, 64, 10])


def loss(np_mod, params, x, y):
    h = x
    for w, b in params[:-1]:
        h = np_mod.tanh(h @ w + b)
    w, b = params[-1]
    return np_mod.sum((h @ w + b - y) ** 2)


def main():
    print(f"mlax; jax {jax.__version__ if jax else 'n/a'}; cpus={os.cpu_count()}")
    for sizes in CONFIGS:
        run(sizes)


def run(sizes):
    rng = np.random.default_rng(0)
    params = [
        (rng.standard_normal((m, n)).astype(np.float32) / np.sqrt(m), np.zeros(n, np.float32))
        for m, n in zip(sizes[:-1], sizes[1:])
    ]
    x = rng.standard_normal((BATCH, sizes[0])).astype(np.float32)
    y = rng.standard_normal((BATCH, sizes[-1])).astype(np.float32)
    print(f"\n== per-example gradients, MLP {'-'.join(map(str, sizes))}, batch {BATCH}, f32")

    mp = [(mnp.asarray(w), mnp.asarray(b)) for w, b in params]
    mx, my = mnp.asarray(x), mnp.asarray(y)
    tu = mlax.tree_util
    per_example = mlax.jit(
        mlax.vmap(mlax.grad(lambda p, a, b: loss(mnp, p, a, b)), in_axes=(None, 0, 0))
    )
    _, first = once(lambda: block(per_example(mp, mx, my)))
    t_vmap = median(lambda: block(per_example(mp, mx, my)))
    print(
        f"  mlax jit(vmap(grad)): {t_vmap * 1e3:.3f} ms per call (first call {first * 1e3:.0f} ms)"
    )

    grad_one = mlax.jit(mlax.grad(lambda p, a, b: loss(mnp, p, a, b)))
    rows = [(mnp.asarray(x[i]), mnp.asarray(y[i])) for i in range(BATCH)]
    block(grad_one(mp, *rows[0]))
    t_loop = median(lambda: [block(grad_one(mp, a, b)) for a, b in rows], repeat=5)
    print(
        f"  mlax Python loop of {BATCH} jit(grad) calls: {t_loop * 1e3:.1f} ms "
        f"-> vmap is {t_loop / t_vmap:.1f}x faster"
    )
    got = per_example(mp, mx, my)
    for i in (0, BATCH - 1):
        ref = grad_one(mp, *rows[i])
        err = max(
            float(np.max(np.abs(np.asarray(g)[i] - np.asarray(r))))
            for g, r in zip(tu.tree_leaves(got), tu.tree_leaves(ref))
        )
        assert err < 1e-5, err

    if jax:
        jp = [(jnp_ref.asarray(w), jnp_ref.asarray(b)) for w, b in params]
        jx, jy = jnp_ref.asarray(x), jnp_ref.asarray(y)
        jpe = jax.jit(
            jax.vmap(jax.grad(lambda p, a, b: loss(jnp_ref, p, a, b)), in_axes=(None, 0, 0))
        )
        _, jfirst = once(lambda: block(jpe(jp, jx, jy)))
        t_jax = median(lambda: block(jpe(jp, jx, jy)))
        print(
            f"  jax  jit(vmap(grad)): {t_jax * 1e3:.3f} ms per call (first call {jfirst * 1e3:.0f} ms)"
        )
        print(f"  ratio jax/mlax = {t_jax / t_vmap:.2f}")
        err = max(
            float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
            for a, b in zip(tu.tree_leaves(got), jax.tree_util.tree_leaves(jpe(jp, jx, jy)))
        )
        print(f"  max |mlax - jax| over all per-example gradients = {err:.2e}")


if __name__ == "__main__":
    main()
