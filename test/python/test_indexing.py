"""Integer-array indexing, boolean masks, .at[], take, take_along_axis and
segment reductions: values against JAX (live) and NumPy, derivatives
against JAX and finite differences, vmap against loop-and-stack, a sharded
jit against the unsharded run, and JAX's exceptions for bad input."""

import textwrap

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from mlax._src.lax.indexing import gather_points, scatter_points
from multidevice import run_on_two_devices


def same(got, want, rtol=1e-6, atol=1e-6):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


RNG = np.random.default_rng(0)
Y = RNG.standard_normal((4, 5, 6)).astype(np.float32)
I2 = np.array([[0, 3], [1, 2]])
I1 = np.array([1, -1, 2])

GETITEM = {
    "rows": lambda y: y[np.array([0, 2])],
    "list-in-tuple": lambda y: y[:, [3, 0, 0]],
    "second-axis": lambda y: y[:, [0, 1]],
    "separated": lambda y: y[[0, 1], :, [1, 2]],
    "adjacent": lambda y: y[:, [0, 1], [1, 2]],
    "newaxes": lambda y: y[None, [0, 1], None, [1, 2]],
    "int-and-array": lambda y: y[0, :, [1, 2]],
    "ellipsis": lambda y: y[..., [1, 2]],
    "2d-index": lambda y: y[I2],
    "slice-then-array": lambda y: y[1:3, I1],
    "reversed-slice": lambda y: y[::-1, I1, 2:5],
    "array-int": lambda y: y[I2, 1],
    "broadcast": lambda y: y[I2[:, :, None], I1],
    "trailing-none": lambda y: y[:, I1, None],
    "out-of-range-clamps": lambda y: y[np.array([7, -1, -9])],
    "mask": lambda y: y[np.asarray(y[:, 0, 0]) > 0],
    "mask-2d": lambda y: y[np.asarray(y[:, :, 0]) > 0],
    "int64": lambda y: y[np.array([1, 2], np.int64)],
    "uint8": lambda y: y[np.array([1, 3], np.uint8)],
}


BASIC = {
    "int": lambda y: y[2],
    "negative-int": lambda y: y[-1],
    "below-range-clamps": lambda y: y[-7],
    "above-range-clamps": lambda y: y[100],
    "two-ints": lambda y: y[-13, 4],
    "int-slice-none": lambda y: y[3, None, 2:5],
    "ellipsis-int": lambda y: y[..., 2],
    "numpy-int": lambda y: y[np.int64(1), np.uint8(2)],
    "traced-style-negative": lambda y: y[
        jjnp.asarray(-7) if isinstance(y, jax.Array) else jnp.asarray(-7)
    ],
    "bool-true": lambda y: y[True],
    "bool-false": lambda y: y[False],
    "bool-with-int": lambda y: y[True, 2],
    "bool-false-middle": lambda y: y[:, False],
    "bool-false-ellipsis": lambda y: y[..., False],
    "numpy-bool-0d": lambda y: y[np.array(True), 1:3],
    "none-false-int": lambda y: y[None, False, 2],
    "slice": lambda y: y[1:3],
    "slice-past-end": lambda y: y[3:9],
    "slice-empty": lambda y: y[3:1],
    "slice-negative": lambda y: y[-100:-2, -3:],
    "slices-and-int": lambda y: y[1:3, 2, 4:],
    "slice-with-step": lambda y: y[1::2, ::-1],
    "ellipsis-slice-none": lambda y: y[..., None, 2:5],
}


@pytest.mark.parametrize("name", sorted(BASIC))
def test_basic_indices_match_jax(name):
    f = BASIC[name]
    want = f(jjnp.asarray(Y))
    same(f(jnp.asarray(Y)), want)
    same(mlax.jit(f)(Y), want)


def test_eager_integer_indices_share_one_executable():
    from mlax._src.runtime import compiler

    def events():
        return sum(compiler.stats[k] for k in ("iree_compiles", "disk_hits", "memory_hits"))

    x, xj = jnp.asarray(Y[:, :, 1]), jjnp.asarray(Y[:, :, 1])
    # Small arrays are indexed on the host; an index out of bounds (JAX
    # clamps, NumPy raises) takes the compiled path.
    x[0, 9]
    x[0:2, 1:4]
    before = events()
    for i in range(-5, 6):
        for j in (0, 3, -2, 9):
            same(x[i, j], xj[i, j])
    for i in range(3):
        for j in (0, 1, 2):
            # Windows of one size (a new size is a new result shape).
            same(x[i : i + 2, j : j + 3], xj[i : i + 2, j : j + 3])
    assert events() == before


def test_eager_basic_indexing_of_small_arrays_compiles_nothing():
    from mlax._src.runtime import compiler

    def events():
        return sum(compiler.stats[k] for k in ("iree_compiles", "disk_hits", "memory_hits"))

    y, yj = jnp.asarray(Y), jjnp.asarray(Y)
    yw, ywj = mlax.lax.full((3,), 2.5), jax.lax.full((3,), 2.5)
    # Out-of-bounds ints (which JAX clamps) take the compiled path, whose
    # executable takes the indices as arguments: built once here (or by an
    # earlier test in this worker), then reused without a cache lookup.
    for name in ("above-range-clamps", "two-ints", "traced-style-negative"):
        BASIC[name](y)
    before = events()
    for name in sorted(BASIC):
        same(BASIC[name](y), BASIC[name](yj))
    same(yw[1:], ywj[1:])
    assert yw[1:].weak_type and ywj[1:].weak_type
    same(y[1, None, ..., ::-2], yj[1, None, ..., ::-2])
    assert events() == before


@pytest.mark.parametrize("name", sorted(GETITEM))
def test_getitem_matches_jax(name):
    f = GETITEM[name]
    want = f(jjnp.asarray(Y))
    same(f(jnp.asarray(Y)), want)
    if "mask" not in name:
        same(mlax.jit(f)(Y), want)


def test_getitem_integer_operand_and_fill_mode():
    x = np.arange(10, dtype=np.int32)
    same(jnp.asarray(x)[np.array([9, 0, -2])], jjnp.asarray(x)[np.array([9, 0, -2])])
    same(
        jnp.asarray(x).at[np.array([12, 3])].get(mode="fill"),
        jjnp.asarray(x).at[np.array([12, 3])].get(mode="fill"),
    )
    xf = jnp.arange(5.0)
    same(xf.at[np.array([7])].get(mode="fill"), jjnp.arange(5.0).at[np.array([7])].get(mode="fill"))
    same(
        xf.at[np.array([7])].get(mode="fill", fill_value=-3.0),
        jjnp.arange(5.0).at[np.array([7])].get(mode="fill", fill_value=-3.0),
    )


AT = {
    "set-int": lambda x: x.at[2].set(5.0),
    "add-repeated": lambda x: x.at[np.array([1, 1, 3])].add(1.0),
    "set-dropped": lambda x: x.at[np.array([1, 12, -1])].set(np.array([7.0, 8, 9])),
    "multiply-slice": lambda x: x.at[2:5].multiply(3.0),
    "max": lambda x: x.at[np.array([0, 0])].max(20.0),
    "min": lambda x: x.at[np.array([0, 4])].min(-1.0),
    "subtract": lambda x: x.at[-1].subtract(1.0),
    "divide": lambda x: x.at[np.array([2, 3])].divide(2.0),
    "power": lambda x: x.at[np.array([2, 3])].power(2.0),
    "apply": lambda x: x.at[np.array([2, 3])].apply(lambda v: v * 10),
    "mask-set": lambda x: x.at[np.asarray(x) > 5].set(0.0),
    "2d-columns": lambda x: (
        x.reshape(2, 5).at[:, np.array([1, 2])].set(np.array([[1.0, 2], [3, 4]]))
    ),
    "2d-int-slice": lambda x: x.reshape(2, 5).at[1, 1:3].add(100.0),
    "2d-points": lambda x: x.reshape(2, 5).at[np.array([1, 0]), np.array([4, 0])].set(-5.0),
    "2d-row-broadcast": lambda x: x.reshape(2, 5).at[np.array([1, 1])].add(np.arange(5.0)),
    "clip-mode": lambda x: x.at[np.array([20])].set(-1.0, mode="clip"),
    "none-axis": lambda x: x.reshape(2, 5).at[None, 0].set(3.0),
    # slices with a step (flat positions of an iota, then a 1-D scatter)
    "step-set": lambda x: x.at[::2].set(0.0),
    "step-offset-add": lambda x: x.at[4::2].add(1.0),
    "step-reversed": lambda x: x.at[::-1].set(np.arange(10.0)),
    "step-2d-multiply": lambda x: x.reshape(2, 5).at[:, 1::2].multiply(3.0),
    "step-with-array": lambda x: x.reshape(2, 5).at[np.array([1, 0]), ::2].set(7.0),
    "step-dropped": lambda x: (
        x.reshape(2, 5).at[::-1, np.array([4, 0, 9])].add(np.arange(6.0).reshape(2, 3))
    ),
    "step-int-max": lambda x: x.reshape(2, 5).at[1, ::3].max(100.0),
    "step-apply": lambda x: x.at[::3].apply(lambda v: v * 10),
    "step-none-array": lambda x: x.reshape(2, 5).at[None, ::2, np.array([0, 2])].set(-1.0),
    "step-clip": lambda x: x.reshape(2, 5).at[::2, np.array([7])].set(-2.0, mode="clip"),
}


@pytest.mark.parametrize("name", sorted(AT))
def test_at_matches_jax(name):
    f = AT[name]
    want = f(jjnp.arange(10.0))
    same(f(jnp.arange(10.0)), want)
    if "mask" not in name:
        same(mlax.jit(f)(np.arange(10.0, dtype=np.float32)), want)


def test_at_with_step_slices_grad_and_vmap():
    x = np.arange(10.0, dtype=np.float32)

    def loss(lib):
        return lambda v: (v.at[1::3].set(v[1::3] ** 2) * v).sum()

    same(mlax.grad(loss(mlax))(x), jax.grad(loss(jax))(x))
    rows = x.reshape(2, 5)
    same(
        mlax.vmap(lambda r: r.at[::2].add(r[1]))(rows),
        np.stack([np.asarray(jnp.asarray(r).at[::2].add(r[1])) for r in rows]),
    )


def test_at_on_int_and_bool_arrays():
    same(
        jnp.arange(6).at[np.array([0, 0, 5])].add(2), jjnp.arange(6).at[np.array([0, 0, 5])].add(2)
    )
    b = np.array([True, False, True, False])
    same(jnp.asarray(b).at[1].set(True), jjnp.asarray(b).at[1].set(True))
    same(
        jnp.asarray(b).at[np.array([0, 2])].set(False),
        jjnp.asarray(b).at[np.array([0, 2])].set(False),
    )


def test_take_and_take_along_axis_match_jax():
    x = np.arange(10.0, dtype=np.float32).reshape(2, 5)
    cases = [
        lambda m: m.take(x, np.array([1, 7])),
        lambda m: m.take(x, np.array([[1, 7]]), axis=1),
        lambda m: m.take(x, np.array([-1])),
        lambda m: m.take(x, np.array([[1, 7]]), axis=1, mode="clip"),
        lambda m: m.take(x, np.array([6, -7]), axis=1, mode="wrap"),
        lambda m: m.take(x, np.array([9]), axis=1, fill_value=-1.0),
        lambda m: m.take(np.arange(5), np.array([9])),
        lambda m: m.take_along_axis(x, np.array([[0, 7], [1, -1]]), axis=1),
        lambda m: m.take_along_axis(x, np.array([[1], [0]]), axis=0),
        lambda m: m.take_along_axis(x, np.argsort(x, axis=1)[:, ::-1].copy(), axis=1),
        lambda m: m.take_along_axis(x, np.array([[3, 1]]), axis=1),
        lambda m: m.take_along_axis(x, np.array([4, 0, 2]), axis=None),
    ]
    for f in cases:
        same(f(jnp), f(jjnp))


def test_segment_reductions_match_jax():
    data = RNG.standard_normal((7, 3)).astype(np.float32)
    ids = np.array([0, 0, 1, 3, 9, 2, 3])
    for name in ("segment_sum", "segment_prod", "segment_max", "segment_min"):
        same(
            getattr(mlax.ops, name)(data, ids, num_segments=4),
            getattr(jax.ops, name)(data, ids, num_segments=4),
            rtol=1e-5,
        )
    ids = np.array([0, 0, 1, 3, 2, 2, 1])
    same(mlax.ops.segment_sum(data, ids), jax.ops.segment_sum(data, ids), rtol=1e-5)
    f = mlax.jit(lambda d, i: mlax.ops.segment_sum(d, i, num_segments=5))
    same(f(data, ids), jax.ops.segment_sum(data, ids, num_segments=5), rtol=1e-5)


# ---------------------------------------------------------------------------
# Derivatives: against JAX and central differences (float64 reference)
# ---------------------------------------------------------------------------


def _np_at_add_loss(x):
    y = x.copy()
    np.add.at(y, [1, 1], x[:2] * 2)
    return (y**2).sum()


def _np_at_set_loss(x):
    y = x.copy()
    y[[0, 3]] = x[4:] ** 2
    return (y**2).sum()


DIFF = {
    "gather": (
        lambda m, x: (x[np.array([2, 0, 2, -2])] ** 2).sum(),
        lambda x: (x[np.array([2, 0, 2, 4])] ** 2).sum(),
    ),
    "gather-2d": (
        lambda m, x: (m.sin(x.reshape(2, 3)[np.array([1, 0]), np.array([2, 2])]) * 3).sum(),
        lambda x: (np.sin(x.reshape(2, 3)[np.array([1, 0]), np.array([2, 2])]) * 3).sum(),
    ),
    "at-add": (
        lambda m, x: (x.at[np.array([1, 1, 9])].add(x[:3] * 2) ** 2).sum(),
        _np_at_add_loss,
    ),
    "at-set": (
        lambda m, x: (x.at[np.array([0, 3])].set(x[4:] ** 2) ** 2).sum(),
        _np_at_set_loss,
    ),
    "take-along": (
        lambda m, x: (
            m.take_along_axis(x.reshape(2, 3), np.array([[2, 0], [1, 1]]), axis=1) ** 3
        ).sum(),
        lambda x: (
            np.take_along_axis(x.reshape(2, 3), np.array([[2, 0], [1, 1]]), axis=1) ** 3
        ).sum(),
    ),
}


# scatter mul / min / max: JAX's rules (min/max share the derivative among
# every element equal to the result; mul's is linear in the operand, the
# updates' needs unique indices in JAX too).
_IDX = np.array([0, 2, 0, 9])
_X = np.array([1.0, 2.0, 3.0, 4.0, -1.0, 0.5], np.float32)
_U = np.array([1.0, 3.0, 1.0, 7.0], np.float32)  # ties; a dropped update
_W = np.arange(1.0, 7.0, dtype=np.float32)
EXTREMAL = {
    "at-max": lambda x, u: x.at[_IDX].max(u),
    "at-min": lambda x, u: x.at[_IDX].min(u),
}


@pytest.mark.parametrize("name", sorted(EXTREMAL))
def test_scatter_min_max_derivatives_match_jax(name):
    f = EXTREMAL[name]

    def loss(a, b):
        return (f(a, b) * _W).sum()

    got = mlax.grad(loss, argnums=(0, 1))(jnp.asarray(_X), jnp.asarray(_U))
    for g, want in zip(got, jax.grad(loss, argnums=(0, 1))(_X, _U)):
        same(g, want, rtol=1e-6, atol=1e-6)
    tx = np.cos(np.arange(6.0)).astype(np.float32)
    tu = np.sin(np.arange(4.0)).astype(np.float32)
    mine = mlax.jvp(f, (jnp.asarray(_X), jnp.asarray(_U)), (tx, tu))[1]
    same(mine, jax.jvp(f, (_X, _U), (tx, tu))[1], rtol=1e-6, atol=1e-6)


def test_scatter_max_clip_and_mul_derivatives_against_finite_differences():
    # JAX's clip-mode extremal rule reads the clamped row wrongly (an inf
    # here); mlax's is checked against finite differences instead.
    u = np.array([1.0, 3.0, 0.5, 7.0])
    clip = lambda m: lambda a: (m.asarray(a).at[_IDX].max(u, mode="clip") * _W).sum()

    def np_clip(a):
        out = a.copy()
        np.maximum.at(out, np.minimum(_IDX, 5), u)
        return (out * _W).sum()

    x = _X.astype(np.float64) + 0.25  # no ties: finite differences are exact
    g = mlax.grad(clip(jnp))(x.astype(np.float32))
    np.testing.assert_allclose(np.asarray(g), fd_grad(np_clip, x), rtol=1e-3, atol=1e-3)
    mul = lambda m: lambda a: (m.asarray(a).at[_IDX].multiply(_U) * _W).sum()
    same(mlax.grad(mul(jnp))(_X), jax.grad(mul(jjnp))(_X), rtol=1e-6, atol=1e-6)
    tx = np.cos(np.arange(6.0)).astype(np.float32)
    same(mlax.jvp(mul(jnp), (_X,), (tx,))[1], jax.jvp(mul(jjnp), (_X,), (tx,))[1], rtol=1e-5)


@pytest.mark.parametrize("name", sorted(DIFF))
def test_gradients_match_jax_and_finite_differences(name):
    f, ref = DIFF[name]
    x = np.linspace(-1.0, 1.5, 6).astype(np.float32)
    g = mlax.grad(lambda v: f(jnp, v))(x)
    same(g, jax.grad(lambda v: f(jjnp, v))(x), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(g), fd_grad(ref, x), rtol=1e-3, atol=1e-3)
    t = np.cos(np.arange(6.0)).astype(np.float32)
    jv = mlax.jvp(lambda v: f(jnp, v), (x,), (t,))[1]
    np.testing.assert_allclose(float(jv), float(np.dot(np.asarray(g), t)), rtol=1e-4, atol=1e-4)


def test_out_of_range_reads_clamp_but_send_no_gradient_as_in_jax():
    x = np.arange(6.0, dtype=np.float32)
    for idx in (np.array([7]), np.array([-9]), np.array([1, 7])):
        f = lambda m, idx=idx: lambda v: (v[idx] * 3).sum()
        same(f(jnp)(jnp.asarray(x)), f(jjnp)(jjnp.asarray(x)))
        same(mlax.grad(f(jnp))(x), jax.grad(f(jjnp))(x))
    # mode="clip" clamps in both directions; mode="fill" drops.
    for mode in ("clip", "fill"):
        g = lambda m, mode=mode: (
            lambda v: (v.at[np.array([7, 2])].get(mode=mode, fill_value=0.0)).sum()
        )
        same(mlax.grad(g(jnp))(x), jax.grad(g(jjnp))(x))


def test_second_order_through_gather():
    x = np.linspace(-1.0, 1.0, 5).astype(np.float32)
    f = lambda m: lambda v: (v[np.array([4, 1, 1])] ** 3).sum()
    same(mlax.hessian(f(jnp))(x), jax.hessian(f(jjnp))(x), rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------------------
# vmap: loop-and-stack
# ---------------------------------------------------------------------------


def _stack(f, *args):
    return np.stack([np.asarray(f(*[a[k] for a in args])) for k in range(len(args[0]))])


def test_vmap_gather_every_batching_pattern():
    xs = RNG.standard_normal((5, 3, 4)).astype(np.float32)
    ids = RNG.integers(0, 3, (5, 2, 1)).astype(np.int32)
    g = lambda x, i: gather_points(x, i, (0,))
    same(mlax.vmap(g)(xs, ids), _stack(g, xs, ids))
    same(mlax.vmap(lambda x: g(x, ids[0]))(xs), _stack(lambda x: g(x, ids[0]), xs))
    same(mlax.vmap(lambda i: g(xs[0], i))(ids), _stack(lambda i: g(xs[0], i), ids))
    # Batch dimension not leading, and NumPy indexing under vmap.
    same(
        mlax.vmap(lambda x, i: x[i], in_axes=(1, 0))(np.moveaxis(xs, 0, 1), ids[:, :, 0]),
        _stack(lambda x, i: np.asarray(x)[i], xs, ids[:, :, 0]),
    )


def test_vmap_scatter_every_batching_pattern():
    xs = RNG.standard_normal((5, 3, 4)).astype(np.float32)
    ids = RNG.integers(0, 3, (5, 2, 1)).astype(np.int32)
    us = RNG.standard_normal((5, 2, 4)).astype(np.float32)
    s = lambda x, i, u: scatter_points(x, i, u, (0,), "add")
    same(mlax.vmap(s)(xs, ids, us), _stack(s, xs, ids, us), rtol=1e-6)
    same(
        mlax.vmap(lambda i, u: s(xs[0], i, u))(ids, us),
        _stack(lambda i, u: s(xs[0], i, u), ids, us),
    )
    same(mlax.vmap(lambda x: s(x, ids[0], us[0]))(xs), _stack(lambda x: s(x, ids[0], us[0]), xs))
    same(
        mlax.vmap(lambda x, u: x.at[np.array([0, 2])].set(u))(xs, us),
        _stack(lambda x, u: jnp.asarray(x).at[np.array([0, 2])].set(u), xs, us),
    )


def test_per_example_gradients_of_an_embedding_lookup():
    table = RNG.standard_normal((10, 4)).astype(np.float32)
    ids = RNG.integers(0, 10, (6, 3)).astype(np.int32)

    def loss(m):
        return lambda t, i: (m.tanh(t[i]) ** 2).sum()

    got = mlax.vmap(mlax.grad(loss(jnp)), in_axes=(None, 0))(table, ids)
    want = jax.vmap(jax.grad(loss(jjnp)), in_axes=(None, 0))(table, ids)
    same(got, want, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------
# SPMD: a sharded jit against the unsharded run
# ---------------------------------------------------------------------------


def test_sharded_jit_of_gather_and_scatter():
    script = textwrap.dedent(
        """
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        table = np.arange(32.0, dtype=np.float32).reshape(8, 4)
        ids = np.array([7, 0, 3, 3], np.int32)
        f = lambda t, i: t[i].sum(1) + t.at[i].add(1.0)[:4, 0]
        sharded = mlax.device_put(table, NamedSharding(mesh, P("d")))
        np.testing.assert_allclose(np.asarray(mlax.jit(f)(sharded, ids)),
                                   np.asarray(mlax.jit(f)(table, ids)))
        print("ok")
        """
    )
    run_on_two_devices(script)


# ---------------------------------------------------------------------------
# Bad input: JAX's exceptions
# ---------------------------------------------------------------------------


def test_out_of_range_integers_clamp_reads_and_drop_updates_as_jax():
    # mlax raised IndexError; JAX clamps reads and drops updates.
    x, xj = jnp.arange(6.0).reshape(2, 3), jjnp.arange(6.0).reshape(2, 3)
    for read in [lambda v: v[5], lambda v: v[1, -4], lambda v: v[:, 3], lambda v: v[-3]]:
        np.testing.assert_array_equal(read(x), read(xj))
    np.testing.assert_array_equal(x[np.array([0, 1]), 7], xj[np.array([0, 1]), 7])
    np.testing.assert_array_equal(x.at[5].set(1.0), xj.at[5].set(1.0))
    np.testing.assert_array_equal(x.at[-3, 1].add(5.0), xj.at[-3, 1].add(5.0))
    np.testing.assert_array_equal(mlax.jit(lambda v: v[7])(x), jax.jit(lambda v: v[7])(xj))


def test_bad_indices_raise_jax_errors():
    x = jnp.arange(6.0).reshape(2, 3)
    with pytest.raises(TypeError, match="integer or boolean"):
        x[np.array([0.5])]
    with pytest.raises(IndexError, match="Too many indices"):
        x[np.array([0]), np.array([0]), np.array([0])]
    with pytest.raises(IndexError, match="shape mismatch"):
        x[np.array([0, 1]), np.array([0, 1, 2])]
    with pytest.raises(mlax.errors.NonConcreteBooleanIndexError):
        mlax.jit(lambda v: v[v > 2])(x)
    with pytest.raises(ValueError, match="Incompatible shapes"):
        x.at[np.array([0, 1])].set(np.ones((3, 3)))
    with pytest.raises(ValueError):
        jnp.take_along_axis(x, np.array([0, 1]), axis=1)
    with pytest.raises(ValueError, match="indices must have an integer type"):  # as JAX 0.10
        jnp.take(x, np.array([0.5]))
    with pytest.raises(TypeError, match="non-tuple sequence"):
        x[[0, 1]]


IN_PLACE_OPS = {
    "at-add": lambda x: x.at[1].add(1.0),
    "at-add-clip": lambda x: x.at[1].add(1.0, mode="clip"),
    "at-multiply": lambda x: x.at[0, 1].multiply(3.0),
    "at-add-promise": lambda x: x.at[1].add(5.0, mode="promise_in_bounds"),
    "at-max": lambda x: x.at[:, 1].max(30.0),
    "at-set": lambda x: x.at[1].set(5.0),
    "dynamic-update-slice": lambda x: mlax.lax.dynamic_update_slice(x, jnp.ones((1, 3)), (1, 0)),
    "reshaped-update": lambda x: mlax.lax.dynamic_update_slice(
        x.reshape(3, 2), jnp.ones((1, 2)), (1, 0)
    ),
    "loop-carry": lambda x: mlax.lax.fori_loop(0, 3, lambda i, c: c.at[i % 2].add(1.0), x),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE_OPS))
@pytest.mark.parametrize("jitted", [False, True], ids=["eager", "jit"])
def test_updates_leave_their_operand_unchanged(name, jitted):
    """IREE writes an in-place update into the caller's argument buffer
    (IREE issue #16168): mlax passes such modules a copy. The operand is
    read back from the device, not from a cached host copy."""
    f = mlax.jit(IN_PLACE_OPS[name]) if jitted else IN_PLACE_OPS[name]
    x = jnp.arange(6.0).reshape(2, 3)
    y = f(x)
    x._npy = None
    same(x, np.arange(6.0, dtype=np.float32).reshape(2, 3))
    want = IN_PLACE_OPS[name](jjnp.arange(6.0).reshape(2, 3))
    same(y, want)


def test_gather_passes_its_operand_without_a_copy():
    """IREE's gather writes only its init, so the operand is not copied
    per call (a 100 MB embedding table cost 6 ms a lookup)."""
    from mlax._src.runtime import compiler

    lowered = (
        mlax.jit(lambda t, i: t[i])
        .lower(jnp.ones((50, 8)), np.arange(4, dtype=np.int32))
        .as_text(dialect="linalg")
    )
    assert "iree_linalg_ext.gather" in lowered
    assert compiler.written_arguments(lowered) == ()
    # Nor are a scan's or top_k's inputs; a scatter's operand is.
    for f, arg in [
        (lambda x: jnp.cumsum(x, axis=1), jnp.ones((100, 8))),
        (lambda x: mlax.lax.top_k(x, 3), jnp.ones((4, 100))),
        (lambda x: x.at[1].add(1.0), jnp.ones(100)),
    ]:
        lowered = mlax.jit(f).lower(arg).as_text(dialect="linalg")
        assert "iree_linalg_ext" in lowered
        want = (0,) if "scatter" in lowered else ()
        assert compiler.written_arguments(lowered) == want
    f = mlax.jit(lambda t, i: t[i].at[0].add(1.0))
    t = jnp.arange(400.0).reshape(50, 8)
    want = np.arange(400.0, dtype=np.float32).reshape(50, 8)[[3, 1]]
    want[0] += 1.0
    same(f(t, np.array([3, 1], np.int32)), want)
    t._npy = None
    same(t, np.arange(400.0, dtype=np.float32).reshape(50, 8))


def test_sharded_update_leaves_its_operand_unchanged():
    run_on_two_devices(
        textwrap.dedent(
            """
            import numpy as np, mlax, mlax.numpy as jnp
            from mlax.sharding import Mesh, NamedSharding, PartitionSpec as P
            mesh = Mesh(np.array(mlax.devices()[:2]), ("x",))
            x = mlax.device_put(jnp.arange(8.0).reshape(4, 2), NamedSharding(mesh, P("x")))
            y = mlax.jit(lambda a: a.at[1].add(10.0))(x)
            x._npy = x._gathered = None  # read the shards back from the devices
            assert (np.asarray(x) == np.arange(8.0).reshape(4, 2)).all(), np.asarray(x)
            want = np.arange(8.0).reshape(4, 2)
            want[1] += 10
            assert (np.asarray(y) == want).all(), np.asarray(y)
            print("ok")
            """
        )
    )
