"""A small MLP trained with plain SGD via value_and_grad + jit."""

import mlax
import mlax.numpy as jnp
import numpy as np


def init(rng, sizes):
    return [
        (jnp.asarray(rng.standard_normal((m, n)).astype(np.float32) / np.sqrt(m)), jnp.zeros(n))
        for m, n in zip(sizes[:-1], sizes[1:])
    ]


def predict(params, x):
    for w, b in params[:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def loss(params, x, y):
    return jnp.mean((predict(params, x) - y) ** 2)


@mlax.jit
def step(params, x, y):
    value, grads = mlax.value_and_grad(loss)(params, x, y)
    new = [(w - 0.1 * gw, b - 0.1 * gb) for (w, b), (gw, gb) in zip(params, grads)]
    return new, value


rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, (256, 2)).astype(np.float32)
y = (np.sin(3 * x[:, :1]) * np.cos(2 * x[:, 1:])).astype(np.float32)
params = init(rng, [2, 32, 32, 1])
xs, ys = jnp.asarray(x), jnp.asarray(y)
losses = []
for i in range(300):
    params, value = step(params, xs, ys)
    losses.append(float(value))
    if i % 50 == 0:
        print(f"step {i:3d}  loss {losses[-1]:.5f}")
print(f"final loss {losses[-1]:.5f} (first {losses[0]:.5f})")
assert losses[-1] < 0.5 * losses[0], "loss did not decrease"
