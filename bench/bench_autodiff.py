"""Autodiff benchmarks: jit(grad(...)) with mlax vs JAX, in one process.

Prints per-call times, the JAX/mlax ratio, the reverse/forward cost ratio
and the first-call (trace + passes + IREE compile) time split. Run:

    python bench/bench_autodiff.py
"""

import os

import numpy as np
from common import block, median, once, use_fresh_cache

use_fresh_cache()

import mlax
import mlax.numpy as mnp
from mlax._src.runtime import compiler

try:
    import jax
    import jax.numpy as jnp_ref
except ImportError:  # pragma: no cover
    jax = None


def mlp_loss(np_mod, params, x, y):
    h = x
    for w, b in params[:-1]:
        h = np_mod.tanh(h @ w + b)
    w, b = params[-1]
    logits = h @ w + b
    return np_mod.mean((logits - y) ** 2)


def chain20(np_mod, x):
    y = x
    for i in range(5):
        y = np_mod.sin(y) * 1.1 + np_mod.cos(x) * 0.5 - y * 0.1
    return np_mod.sum(y)


def main():
    rng = np.random.default_rng(0)
    sizes = [784, 512, 512, 10]
    params = [
        (rng.standard_normal((m, n)).astype(np.float32) / np.sqrt(m), np.zeros(n, np.float32))
        for m, n in zip(sizes[:-1], sizes[1:])
    ]
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.standard_normal((128, 10)).astype(np.float32)
    mp = [(mnp.asarray(w), mnp.asarray(b)) for w, b in params]
    mx, my = mnp.asarray(x), mnp.asarray(y)

    print(
        f"mlax {mlax.__version__}; jax {jax.__version__ if jax else 'n/a'}; cpus={os.cpu_count()}"
    )
    print("\n== 3-layer MLP 784-512-512-10, batch 128, f32")
    fwd = mlax.jit(lambda p, a, b: mlp_loss(mnp, p, a, b))
    grad_fn = mlax.jit(mlax.grad(lambda p, a, b: mlp_loss(mnp, p, a, b)))

    lowered, trace_s = once(lambda: grad_fn.lower(mp, mx, my))
    linalg, passes_s = once(lambda: lowered.as_text("linalg"))
    _, iree_s = once(lambda: compiler._iree_compile(linalg, compiler.default_flags(linalg)))
    _, first = once(lambda: block(grad_fn(mp, mx, my)))
    print(
        f"  first call of jit(grad(loss)) (trace + passes + compile + run): {first * 1e3:.0f} ms;"
        f" split: trace {trace_s * 1e3:.1f} ms, passes {passes_s * 1e3:.1f} ms, IREE compile"
        f" {iree_s * 1e3:.0f} ms -> passes+trace are "
        f"{100 * (trace_s + passes_s) / (trace_s + passes_s + iree_s):.1f}% of it"
    )
    t_fwd = median(lambda: block(fwd(mp, mx, my)))
    t_grad = median(lambda: block(grad_fn(mp, mx, my)))
    print(
        f"  mlax: forward {t_fwd * 1e3:.3f} ms, jit(grad) {t_grad * 1e3:.3f} ms, "
        f"grad/forward = {t_grad / t_fwd:.2f}"
    )
    if jax:
        jf = jax.jit(lambda p, a, b: mlp_loss(jnp_ref, p, a, b))
        jg = jax.jit(jax.grad(lambda p, a, b: mlp_loss(jnp_ref, p, a, b)))
        jparams = [(jnp_ref.asarray(w), jnp_ref.asarray(b)) for w, b in params]
        jx, jy = jnp_ref.asarray(x), jnp_ref.asarray(y)
        _, jfirst = once(lambda: block(jg(jparams, jx, jy)))
        j_fwd = median(lambda: block(jf(jparams, jx, jy)))
        j_grad = median(lambda: block(jg(jparams, jx, jy)))
        print(
            f"  jax:  forward {j_fwd * 1e3:.3f} ms, jit(grad) {j_grad * 1e3:.3f} ms, first call "
            f"{jfirst * 1e3:.0f} ms"
        )
        print(f"  jit(grad) ratio jax/mlax = {j_grad / t_grad:.2f}")
        mg = grad_fn(mp, mx, my)
        jgv = jg(jparams, jx, jy)
        err = max(
            float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
            for (a1, b1), (a2, b2) in zip(mg, jgv)
            for a, b in ((a1, a2), (b1, b2))
        )
        print(f"  max |mlax grad - jax grad| = {err:.2e}")

    print("\n== 20-op elementwise scalar-output function, 1e6 elements")
    v = rng.standard_normal(1_000_000).astype(np.float32)
    mg = mlax.jit(mlax.grad(lambda a: chain20(mnp, a)))
    mv = mnp.asarray(v)
    _, m_first = once(lambda: block(mg(mv)))
    m_t = median(lambda: block(mg(mv)))
    line = f"  mlax jit(grad) {m_t * 1e3:.3f} ms (first {m_first * 1e3:.0f} ms)"
    if jax:
        jgc = jax.jit(jax.grad(lambda a: chain20(jnp_ref, a)))
        jv = jnp_ref.asarray(v)
        _, j_first = once(lambda: block(jgc(jv)))
        j_t = median(lambda: block(jgc(jv)))
        line += (
            f"; jax {j_t * 1e3:.3f} ms (first {j_first * 1e3:.0f} ms); jax/mlax = {j_t / m_t:.2f}"
        )
        line += f"; max err {float(np.max(np.abs(np.asarray(mg(mv)) - np.asarray(jgc(jv))))):.1e}"
    print(line)


if __name__ == "__main__":
    main()
