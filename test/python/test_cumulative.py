"""mlax.cumsum (lax.cumsum, jnp.cumsum and the functions built on it): the
blocked IREE scan for long rows, the one-scan path for many rows, every
axis and `reverse`, integer wrap-around, against NumPy and JAX; its JVP,
VJP (a reverse cumsum) against JAX and finite differences; vmap against
loop-and-stack."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from mlax import lax
from multidevice import run_on_two_devices

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("n", [1, 2, 5, 8191, 8192, 10_000, 100_003])
def test_long_rows_match_a_float64_cumsum(n):
    x = RNG.standard_normal(n).astype(np.float32)
    want = np.cumsum(x.astype(np.float64))
    got = np.asarray(lax.cumsum(x))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-3 * np.sqrt(n))
    rev = np.asarray(lax.cumsum(x, reverse=True))
    np.testing.assert_allclose(rev, np.cumsum(x[::-1].astype(np.float64))[::-1], rtol=1e-4,
                               atol=1e-3 * np.sqrt(n))  # fmt: skip


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8", "int8", "float16"])
def test_every_axis_and_dtype_match_jax(axis, reverse, dtype):
    x = (RNG.standard_normal((3, 70, 5)) * 40).astype(dtype)
    got = lax.cumsum(x, axis=axis, reverse=reverse)
    want = jax.lax.cumsum(x, axis=axis, reverse=reverse)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    tol = 1e-2 if dtype == "float16" else 1e-4
    np.testing.assert_allclose(
        np.asarray(got, np.float64), np.asarray(want, np.float64), rtol=tol, atol=tol * 100
    )


def test_jnp_cumsum_and_jit_match_jax():
    x = RNG.standard_normal((4, 9)).astype(np.float32)
    for f in (
        lambda m: lambda v: m.cumsum(v),
        lambda m: lambda v: m.cumsum(v, axis=0),
        lambda m: lambda v: m.cumsum(v > 0, axis=1),
        lambda m: lambda v: m.cumulative_sum(v, axis=1, include_initial=True),
    ):
        got = mlax.jit(f(jnp))(x)
        want = jax.jit(f(jjnp))(x)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-5)


def test_gradients_match_jax_and_finite_differences():
    w = RNG.standard_normal((3, 6))
    x = RNG.standard_normal((3, 6))

    def loss(lx, npm):
        return lambda v: (lx.cumsum(v, axis=1, reverse=True) ** 2 * w).sum()

    got = mlax.grad(loss(lax, jnp))(x.astype(np.float32))
    want = jax.grad(loss(jax.lax, jjnp))(x.astype(np.float32))
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-5)
    f = lambda v: ((np.cumsum(v[:, ::-1], 1)[:, ::-1]) ** 2 * w).sum()
    fd = fd_grad(f, x, eps=1e-6)
    np.testing.assert_allclose(np.asarray(got), fd, rtol=1e-3, atol=1e-3)
    t = RNG.standard_normal((3, 6)).astype(np.float32)
    _, tangent = mlax.jvp(lambda v: lax.cumsum(v, axis=0), (x.astype(np.float32),), (t,))
    np.testing.assert_allclose(np.asarray(tangent), np.cumsum(t, 0), rtol=1e-5, atol=1e-5)


def test_vmap_against_loop_and_stack():
    xs = RNG.standard_normal((4, 3, 7)).astype(np.float32)
    for in_axis in (0, 1, 2):
        moved = np.moveaxis(xs, 0, in_axis)
        got = mlax.vmap(lambda v: lax.cumsum(v, axis=1, reverse=True), in_axes=in_axis)(moved)
        want = np.stack([np.asarray(lax.cumsum(v, axis=1, reverse=True)) for v in xs])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-6)


def test_bad_axis_raises_value_error():
    with pytest.raises(ValueError, match="out of bounds"):
        lax.cumsum(np.ones((2, 3), np.float32), axis=2)


def test_sharded_jit_matches_the_unsharded_run():
    import textwrap

    script = textwrap.dedent(
        """
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        x = np.random.default_rng(0).standard_normal((8, 6)).astype(np.float32)
        f = lambda v: (mlax.lax.cumsum(v, axis=1), mlax.lax.cumsum(v, axis=0, reverse=True))
        for spec in (P("d"), P(None, "d")):
            sharded = mlax.device_put(x, NamedSharding(mesh, spec))
            for g, w in zip(mlax.jit(f)(sharded), mlax.jit(f)(x)):
                np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-6)
        print("ok")
        """
    )
    run_on_two_devices(script)
