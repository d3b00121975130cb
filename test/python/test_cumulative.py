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


# mlax.cumprod / cummax / cummin / cumlogsumexp: the ops, their rules.
CUM_OPS = ("cumprod", "cummax", "cummin", "cumlogsumexp")


def _all_ops(lx, x, float_ops=True):
    """Every new op over every axis, both directions, as one tuple."""
    names = CUM_OPS if float_ops else CUM_OPS[:3]
    return tuple(
        getattr(lx, name)(x, axis=axis, reverse=reverse)
        for name in names
        for axis in range(x.ndim)
        for reverse in (False, True)
    )


def _assert_close(got, want, tol):
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(
        np.asarray(got, np.float64), np.asarray(want, np.float64), rtol=tol, atol=tol
    )


@pytest.mark.parametrize(
    "dtype", ["float32", "float16", "bfloat16", "int32", "int8", "uint8", "uint32"]
)
def test_new_ops_match_jax_every_axis_and_direction(dtype):
    is_float = dtype in ("float32", "float16", "bfloat16")
    x = RNG.standard_normal((4, 7)) * (1.5 if is_float else 3)
    if dtype.startswith("uint"):
        x = np.abs(x) + 250 * (RNG.random((4, 7)) < 0.3)
    x = jjnp.asarray(x).astype(dtype)  # ml_dtypes' bfloat16 via JAX
    x = np.asarray(x)
    got = mlax.jit(lambda v: _all_ops(lax, v, is_float))(x)
    want = jax.jit(lambda v: _all_ops(jax.lax, v, is_float))(x)
    tol = {"float16": 1e-2, "bfloat16": 3e-2}.get(dtype, 1e-5)
    for g, w in zip(got, want):
        _assert_close(g, w, tol)


@pytest.mark.parametrize("n", [10_000, 100_003])
def test_new_ops_long_rows_take_the_blocked_scan(n):
    x = RNG.standard_normal(n).astype(np.float32)
    near_one = (1 + 1e-4 * x).astype(np.float32)
    f = lambda lx, v, u: (
        lx.cumprod(u),
        lx.cummax(v),
        lx.cummin(v, reverse=True),
        lx.cumlogsumexp(v),
        lx.cumlogsumexp(v, reverse=True),
    )
    got = mlax.jit(lambda v, u: f(lax, v, u))(x, near_one)
    x64 = x.astype(np.float64)
    # 10^5 float32 roundings in a row drift by ~1e-4 (NumPy's float32 too).
    np.testing.assert_allclose(got[0], np.cumprod(near_one.astype(np.float64)), rtol=1e-3)
    np.testing.assert_array_equal(got[1], np.maximum.accumulate(x))
    np.testing.assert_array_equal(got[2], np.minimum.accumulate(x[::-1])[::-1])
    np.testing.assert_allclose(got[3], np.logaddexp.accumulate(x64), rtol=1e-5)
    np.testing.assert_allclose(got[4], np.logaddexp.accumulate(x64[::-1])[::-1], rtol=1e-5)


def test_cumprod_zeros_and_cummax_nan_inf_match_jax():
    x = np.array(
        [[0.0, 2.0, -1.5, 0.0, 3.0, 1.0], [np.nan, 1.0, 2.0, -np.inf, np.inf, 0.5],
         [-np.inf, -np.inf, 0.0, 1.0, np.nan, 2.0], [np.inf, 1.0, np.inf, -2.0, 0.0, -np.inf]],
        np.float32,
    )  # fmt: skip
    got = mlax.jit(lambda v: _all_ops(lax, v))(x)
    want = jax.jit(lambda v: _all_ops(jax.lax, v))(x)
    for g, w in zip(got, want):
        _assert_close(g, w, 1e-6)


def test_jnp_cumprod_nancumprod_and_accumulate_match_jax():
    x = RNG.standard_normal((3, 5)).astype(np.float32)
    x[1, 2] = np.nan
    x[0, 1] = 0.0
    k = (RNG.integers(-3, 4, (3, 5))).astype(np.int32)

    def f(m):
        return lambda v, i: (
            m.cumprod(v, axis=1),
            m.cumprod(i),
            m.cumprod(v > 0, axis=0),
            m.nancumprod(v, axis=1),
            m.maximum.accumulate(v, axis=1),
            m.minimum.accumulate(i, axis=0),
            m.multiply.accumulate(v, axis=0),
        )

    got = mlax.jit(f(jnp))(x, k)
    want = jax.jit(f(jjnp))(x, k)
    for g, w in zip(got, want):
        _assert_close(g, w, 1e-5)


def _cum_loss(lx, name, axis, reverse, w):
    return lambda v: (getattr(lx, name)(v, axis=axis, reverse=reverse) * w).sum()


@pytest.mark.parametrize("name", CUM_OPS)
def test_new_op_gradients_match_jax(name):
    x = RNG.standard_normal((3, 6)).astype(np.float32)
    if name == "cumprod":
        x[0, 2] = 0.0  # one zero in a row,
        x[1, 1] = x[1, 4] = 0.0  # two,
        x[2, 0] = 0.0  # and one first
    w = RNG.standard_normal((3, 6)).astype(np.float32)
    t = RNG.standard_normal((3, 6)).astype(np.float32)
    for axis, reverse in ((1, False), (1, True), (0, False)):
        got = mlax.grad(_cum_loss(lax, name, axis, reverse, w))(x)
        want = jax.grad(_cum_loss(jax.lax, name, axis, reverse, w))(x)
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-5)
        f = lambda v, a=axis, r=reverse: getattr(lax, name)(v, axis=a, reverse=r)
        jf = lambda v, a=axis, r=reverse: getattr(jax.lax, name)(v, axis=a, reverse=r)
        _, tangent = mlax.jvp(f, (x,), (t,))
        _, jax_tangent = jax.jvp(jf, (x,), (t,))
        np.testing.assert_allclose(
            np.asarray(tangent), np.asarray(jax_tangent), rtol=1e-4, atol=1e-5
        )


def _np_cum(name, v, axis, reverse):
    ufunc = {"cumprod": np.multiply, "cummax": np.maximum, "cummin": np.minimum,
             "cumlogsumexp": np.logaddexp}[name]  # fmt: skip
    v = np.flip(v, axis) if reverse else v
    out = ufunc.accumulate(v, axis=axis)
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("name", CUM_OPS)
def test_new_op_gradients_match_float64_finite_differences(name, x64):
    x = RNG.standard_normal((2, 7))
    if name == "cumprod":
        x[0, 3] = 0.0
        x[1, 1] = x[1, 5] = 0.0
    w = RNG.standard_normal((2, 7))
    for axis, reverse in ((1, False), (1, True)):
        got = mlax.grad(_cum_loss(lax, name, axis, reverse, w))(x)
        assert np.asarray(got).dtype == np.float64
        np_loss = lambda v, a=axis, r=reverse: (_np_cum(name, v, a, r) * w).sum()
        fd = fd_grad(np_loss, x, eps=1e-6)
        np.testing.assert_allclose(np.asarray(got), fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["cumprod", "cumlogsumexp"])
def test_second_derivatives_match_jax(name):
    x = RNG.standard_normal((2, 5)).astype(np.float32)
    if name == "cumprod":
        x[0, 1] = 0.0
    w = RNG.standard_normal((2, 5)).astype(np.float32)
    u = RNG.standard_normal((2, 5)).astype(np.float32)

    def hvp(lx, grad):
        loss = _cum_loss(lx, name, 1, False, w)
        return lambda v: grad(lambda p: (grad(loss)(p) * u).sum())(v)

    got = mlax.jit(hvp(lax, mlax.grad))(x)
    want = hvp(jax.lax, jax.grad)(x)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-5)
    # Forward over reverse.
    g = lambda v: mlax.grad(_cum_loss(lax, name, 1, True, w))(v)
    jg = lambda v: jax.grad(_cum_loss(jax.lax, name, 1, True, w))(v)
    _, got_t = mlax.jvp(g, (x,), (u,))
    _, want_t = jax.jvp(jg, (x,), (u,))
    np.testing.assert_allclose(np.asarray(got_t), np.asarray(want_t), rtol=1e-4, atol=1e-5)


def test_cummax_tie_rule_gives_the_latest_equal_element():
    # JAX's associative_scan tree splits tied tangents (0.5, 0.25, ...);
    # mlax gives the running extreme's tangent to the latest equal element.
    x = np.array([1.0, 1.0, 3.0, 3.0, 2.0], np.float32)
    t = np.array([1.0, 10.0, 100.0, 1000.0, 1e4], np.float32)
    _, tangent = mlax.jvp(lambda v: lax.cummax(v), (x,), (t,))
    np.testing.assert_array_equal(np.asarray(tangent), [1.0, 10.0, 100.0, 1000.0, 1000.0])


def test_new_ops_vmap_against_loop_and_stack():
    xs = RNG.standard_normal((3, 4, 6)).astype(np.float32)
    f = lambda v: _all_ops(lax, v)
    for in_axis in (0, 1, 2):
        moved = np.moveaxis(xs, 0, in_axis)
        got = mlax.vmap(f, in_axes=in_axis)(moved)
        want = [np.stack(outs) for outs in zip(*[mlax.jit(f)(v) for v in xs])]
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g), w, rtol=1e-6, atol=1e-6)
    # And the derivative of a vmap.
    w = RNG.standard_normal((3, 4, 6)).astype(np.float32)
    loss = lambda v: (mlax.vmap(lambda r: lax.cumprod(r, axis=1))(v) * w).sum()
    jloss = lambda v: (jax.vmap(lambda r: jax.lax.cumprod(r, axis=1))(v) * w).sum()
    np.testing.assert_allclose(
        np.asarray(mlax.grad(loss)(xs)), np.asarray(jax.grad(jloss)(xs)), rtol=1e-4, atol=1e-5
    )


def test_new_ops_sharded_jit_matches_the_unsharded_run():
    import textwrap

    script = textwrap.dedent(
        """
        import numpy as np, mlax
        from mlax import lax
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        x = np.random.default_rng(0).standard_normal((8, 6)).astype(np.float32)
        f = lambda v: tuple(
            op(v, axis=a, reverse=r)
            for op in (lax.cumprod, lax.cummax, lax.cummin, lax.cumlogsumexp)
            for a, r in ((0, False), (1, True))
        )
        for spec in (P("d"), P(None, "d")):
            sharded = mlax.device_put(x, NamedSharding(mesh, spec))
            for g, w in zip(mlax.jit(f)(sharded), mlax.jit(f)(x)):
                np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-6)
        print("ok")
        """
    )
    run_on_two_devices(script)


def test_scan_along_a_split_axis_stays_split():
    """cumsum/cumprod/cummax/cummin along a split axis: blocks scanned
    alone plus the carry of the block totals (mlax-spmd-partition), kept
    split, equal to the unsharded run; the gradient too."""
    import textwrap

    script = textwrap.dedent(
        """
        import numpy as np, mlax
        from mlax import lax
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        rows = NamedSharding(mesh, P("d"))
        x = np.random.default_rng(1).uniform(0.5, 1.5, (8, 6)).astype(np.float32)
        xs = mlax.device_put(x, rows)
        for op in (lax.cumsum, lax.cumprod, lax.cummax, lax.cummin):
            for reverse in (False, True):
                f = mlax.jit(lambda v: op(v, axis=0, reverse=reverse), out_shardings=rows)
                got = f(xs)
                assert got.sharding == rows, got.sharding
                want = np.asarray(mlax.jit(lambda v: op(v, axis=0, reverse=reverse))(x))
                np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)
        loss = lambda v: (lax.cumsum(v, axis=0) ** 2).sum()
        g = mlax.jit(mlax.grad(loss), out_shardings=rows)(xs)
        np.testing.assert_allclose(np.asarray(g), np.asarray(mlax.grad(loss)(x)), rtol=1e-5)
        print("ok")
        """
    )
    run_on_two_devices(script)
