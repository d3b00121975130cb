"""Newton's method in lax.while_loop: square roots of a batch, under jit
and vmap, with the iteration count per example."""

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import lax


def newton_sqrt(a, tol=1e-6):
    def cond(state):
        _, step, n = state
        return (step > tol) & (n < 50)

    def body(state):
        x, _, n = state
        nxt = 0.5 * (x + a / x)
        return nxt, jnp.abs(nxt - x), n + 1

    x, _, n = lax.while_loop(cond, body, (a, jnp.asarray(1.0, a.dtype), 0))
    return x, n


a = np.array([2.0, 9.0, 0.25, 1e4], np.float32)
roots, iters = mlax.jit(mlax.vmap(newton_sqrt))(a)
print("sqrt", np.asarray(roots), "iterations", np.asarray(iters))
np.testing.assert_allclose(np.asarray(roots), np.sqrt(a), rtol=1e-6)
