"""A small RNN over a sequence with lax.scan, trained a few steps with
jit(value_and_grad): the loss decreases. The same program runs under JAX
(replace mlax with jax)."""

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import lax

rng = np.random.default_rng(0)
T, B, H = 20, 16, 32
xs = rng.standard_normal((T, B, 1)).astype(np.float32)
target = np.cumsum(xs, axis=0)[-1] * 0.3  # predict a scaled running sum

params = {
    "wx": jnp.asarray(rng.standard_normal((1, H)).astype(np.float32) * 0.5),
    "wh": jnp.asarray(rng.standard_normal((H, H)).astype(np.float32) / np.sqrt(H)),
    "wo": jnp.asarray(rng.standard_normal((H, 1)).astype(np.float32) / np.sqrt(H)),
}


def loss(p, xs, y):
    def cell(h, x):
        h = jnp.tanh(x @ p["wx"] + h @ p["wh"])
        return h, None

    h, _ = lax.scan(cell, jnp.zeros((B, H)), xs)
    return jnp.mean((h @ p["wo"] - y) ** 2)


@mlax.jit
def step(p, xs, y):
    value, grads = mlax.value_and_grad(loss)(p, xs, y)
    return mlax.tree_util.tree_map(lambda w, g: w - 0.05 * g, p, grads), value


losses = []
for i in range(30):
    params, value = step(params, xs, target)
    losses.append(float(value))
    if i % 10 == 0:
        print(f"step {i:2d}  loss {losses[-1]:.5f}")
print(f"final loss {losses[-1]:.5f} (first {losses[0]:.5f})")
assert losses[-1] < 0.7 * losses[0], "loss did not decrease"
