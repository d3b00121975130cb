"""An MLP initialised with mlax.random (split + normal) and trained a few
SGD steps. Run it with `jax` in place of `mlax` (python random_init_mlp.py
--jax) and the first loss is the same: the same keys give the same
parameters."""

import sys

if "--jax" in sys.argv:
    import jax as mlax
    import jax.numpy as jnp
    from jax import random
else:
    import mlax
    import mlax.numpy as jnp
    from mlax import random


def init(key, sizes):
    params = []
    keys = random.split(key, len(sizes) - 1)
    for k, (m, n) in zip(keys, zip(sizes[:-1], sizes[1:])):
        wk, bk = random.split(k)
        params.append((random.normal(wk, (m, n)) / jnp.sqrt(m), 0.1 * random.normal(bk, (n,))))
    return params


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
    return [(w - 0.1 * gw, b - 0.1 * gb) for (w, b), (gw, gb) in zip(params, grads)], value


key = random.PRNGKey(0)
data_key, init_key = random.split(key)
x = random.uniform(data_key, (256, 2), minval=-1.0, maxval=1.0)
y = jnp.sin(3 * x[:, :1]) * jnp.cos(2 * x[:, 1:])
params = init(init_key, [2, 32, 32, 1])
losses = []
for i in range(100):
    params, value = step(params, x, y)
    losses.append(float(value))
    if i % 25 == 0:
        print(f"step {i:3d}  loss {losses[-1]:.6f}")
print(f"first loss {losses[0]:.6f}, final loss {losses[-1]:.6f}")
assert losses[-1] < losses[0], "loss did not decrease"
