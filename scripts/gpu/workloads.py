"""The GPU check's workloads: inputs, the mlax function, a NumPy reference."""

import numpy as np


def _softmax(np_mod, x):
    m = np_mod.max(x, axis=1, keepdims=True)
    e = np_mod.exp(x - m)
    return e / np_mod.sum(e, axis=1, keepdims=True)


def _pad_ref(x):
    # lax.pad(x, 0, [(1, 2, 1), (-1, 0, 0)])
    rows = np.zeros((1 + x.shape[0] + (x.shape[0] - 1) + 2, x.shape[1]), x.dtype)
    rows[1 : 1 + 2 * x.shape[0] - 1 : 2] = x
    return rows[:, 1:]


def _mlax():
    import mlax
    import mlax.numpy as jnp

    return mlax, jnp


def cube(x):
    return x * x * x


def matmul(a, b):
    return a @ b


def softmax(x):
    return _softmax(_mlax()[1], x)


def structural(x):
    mlax, jnp = _mlax()
    return (
        jnp.argmax(x, axis=1),
        jnp.flip(x, 0)[::2, 1:],
        mlax.lax.pad(x, 0.0, [(1, 2, 1), (-1, 0, 0)]),
    )


def per_example_grads(w, b, xs, ys):
    """The vmap seed's pattern: jit(vmap(grad(loss))) -> mlax-batch output."""
    mlax, jnp = _mlax()

    def loss(params, x, y):
        w, b = params
        return jnp.sum((jnp.tanh(x @ w + b) - y) ** 2)

    return mlax.vmap(mlax.grad(loss), in_axes=(None, 0, 0))((w, b), xs, ys)


def _per_example_grads_ref(w, b, xs, ys):
    h = np.tanh(xs @ w + b)
    d = 2 * (h - ys) * (1 - h * h)
    return [xs[:, :, None] * d[:, None, :], d]


def int_ops(a, b):
    return a // b, a % b, a << 3, a.sum(axis=0)


WORKLOADS = {
    "cube": (
        lambda r: [r.standard_normal((4096, 4096), dtype=np.float32)],
        cube,
        lambda x: [x * x * x],
    ),
    "matmul": (
        lambda r: [
            r.standard_normal((1024, 1024), dtype=np.float32),
            r.standard_normal((1024, 1024), dtype=np.float32),
        ],
        matmul,
        lambda a, b: [a @ b],
    ),
    "softmax": (
        lambda r: [r.standard_normal((1024, 1024), dtype=np.float32)],
        softmax,
        lambda x: [_softmax(np, x)],
    ),
    "structural": (
        lambda r: [r.standard_normal((64, 33), dtype=np.float32)],
        structural,
        lambda x: [np.argmax(x, axis=1), np.flip(x, 0)[::2, 1:], _pad_ref(x)],
    ),
    "int_ops": (
        lambda r: [
            r.integers(-100, 100, (256, 64), dtype=np.int32),
            r.integers(1, 7, (256, 64), dtype=np.int32),
        ],
        int_ops,
        lambda a, b: [a // b, a % b, a << 3, a.sum(axis=0)],
    ),
    "per_example_grads": (
        lambda r: [
            r.standard_normal((64, 32), dtype=np.float32) * 0.1,
            r.standard_normal(32, dtype=np.float32) * 0.1,
            r.standard_normal((256, 64), dtype=np.float32),
            r.standard_normal((256, 32), dtype=np.float32),
        ],
        per_example_grads,
        _per_example_grads_ref,
    ),
}
