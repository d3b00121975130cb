"""The vmap seed: per-example gradients with vmap(grad(loss)).

Each example gets its own gradient of the loss with respect to the shared
parameters; the mlax-batch pass batches the whole reverse-mode program (one
dot_general with a batch dimension per matmul, no Python loop).
"""

from functools import partial

import mlax.numpy as jnp
import numpy as np
from mlax import grad, jit, vmap


def loss(params, x, y):
    w, b = params
    return jnp.sum((jnp.tanh(x @ w + b) - y) ** 2)


params = (jnp.ones((8, 4)) * 0.1, jnp.zeros(4))
xs, ys = jnp.ones((32, 8)), jnp.zeros((32, 4))
per_example = vmap(partial(grad(loss), params))
gw, gb = per_example(xs, ys)
flat = np.asarray(jnp.concatenate([gw.reshape(32, -1), gb.reshape(32, -1)], axis=1))
assert flat.ndim == 2 and flat.shape[0] == xs.shape[0]
print("per-example gradient shapes:", gw.shape, gb.shape, "-> flattened", flat.shape)

# The same, jitted, with varied inputs: each row is that example's gradient.
rng = np.random.default_rng(0)
xs = jnp.asarray(rng.standard_normal((32, 8)).astype(np.float32))
ys = jnp.asarray(rng.standard_normal((32, 4)).astype(np.float32))
fast = jit(vmap(grad(loss), in_axes=(None, 0, 0)))
gw, gb = fast(params, xs, ys)
one_by_one = [grad(loss)(params, xs[i], ys[i]) for i in range(3)]
for i, (w_i, b_i) in enumerate(one_by_one):
    assert np.allclose(np.asarray(gw[i]), np.asarray(w_i), atol=1e-6)
    assert np.allclose(np.asarray(gb[i]), np.asarray(b_i), atol=1e-6)
print(
    "jit(vmap(grad)) rows match grad per example; |gw| per example:",
    np.round(np.linalg.norm(np.asarray(gw).reshape(32, -1), axis=1)[:4], 4),
)
