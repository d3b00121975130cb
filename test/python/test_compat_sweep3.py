"""Regressions from the third compatibility sweep: short JAX programs run
with `jax` replaced by `mlax`, compared live against JAX."""

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np


def test_grad_of_stacked_slices_of_a_row():
    # The cotangent of a[0][0:2] is a pad of a pad; IREE 3.13 failed to
    # compile the fill + insert_slice form ("expected 2 offset values").
    def f(np_):
        return lambda a: np_.stack([a[0][0:2], a[0][1:3] * 2.0]).sum()

    a = np.arange(8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_array_equal(mlax.grad(f(jnp))(a), jax.grad(f(jax_np))(a))
    np.testing.assert_array_equal(mlax.jit(mlax.grad(f(jnp)))(a), jax.grad(f(jax_np))(a))


def test_pad_with_negative_and_positive_edges_matches_jax():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    for cfg in (((1, 2, 0), (0, 1, 0)), ((-1, 2, 0), (2, -3, 0)), ((0, 0, 1), (1, -1, 0))):
        got = mlax.lax.pad(x, np.float32(-1), cfg)
        np.testing.assert_array_equal(got, jax.lax.pad(x, np.float32(-1), cfg))
    np.testing.assert_array_equal(
        jnp.pad(x, ((1, 0), (2, 3)), constant_values=7),
        jax_np.pad(x, ((1, 0), (2, 3)), constant_values=7),
    )


def test_cbrt_is_correctly_rounded_like_jax():
    x = np.array([8.0, 27.0, -64.0, 1e-30, 3.0, 0.001, 125.0, 2.0], np.float32)
    np.testing.assert_array_equal(jnp.cbrt(x), jax_np.cbrt(x))
    assert float(jnp.cbrt(jnp.float32(8.0))) == 2.0
