"""lax.sort / sort_key_val / top_k and jnp.sort, argsort, lexsort,
partition, argpartition and the unique family: values, dtypes and shapes
against JAX (live), derivatives against JAX and finite differences, vmap
against loop-and-stack, a sharded jit against the unsharded run, and JAX's
exceptions for bad input."""

import subprocess
import sys
import textwrap

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from mlax import lax
from multidevice import run_on_two_devices


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    # Bitwise where it matters: -0.0 vs 0.0 and NaN placement.
    np.testing.assert_array_equal(got, want)
    if got.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def same_tree(got, want):
    got = got if isinstance(got, (tuple, list)) else (got,)
    want = want if isinstance(want, (tuple, list)) else (want,)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        same(g, w)


RNG = np.random.default_rng(0)


def _values(shape, dtype):
    dtype = np.dtype(dtype) if dtype != "bfloat16" else jjnp.bfloat16
    if np.dtype(dtype) == np.bool_:
        return RNG.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -50), min(info.max, 50)
        return RNG.integers(lo, hi, shape).astype(dtype)
    x = RNG.integers(-4, 4, shape).astype(np.float32) / 2  # many ties
    flat = x.reshape(-1)
    if flat.size > 6:
        flat[1], flat[3], flat[5] = np.nan, -0.0, np.inf
        flat[-1], flat[-2] = -np.nan, -np.inf
    return x.astype(dtype)


SHAPES = [(1,), (7,), (16,), (1001,), (3, 5), (2, 33)]
DTYPES = ["float32", "float16", "bfloat16", "int32", "uint8", "int8", "bool"]
# Every dtype on the 2-d shape (both axes), every shape in float32: each
# combination compiles its own sorts, and the full product added nothing.
_SORT_CASES = [("float32", s) for s in SHAPES] + [(d, (2, 33)) for d in DTYPES[1:]]


@pytest.mark.parametrize("dtype,shape", _SORT_CASES, ids=[f"{d}-{s}" for d, s in _SORT_CASES])
def test_sort_and_argsort_match_jax(shape, dtype):
    x = _values(shape, dtype)
    for axis in range(len(shape)):
        same(jnp.sort(x, axis=axis), jjnp.sort(x, axis=axis))
        same(jnp.argsort(x, axis=axis), jjnp.argsort(x, axis=axis))
        same(
            jnp.argsort(x, axis=axis, descending=True),
            jjnp.argsort(x, axis=axis, descending=True),
        )
        # stable=False: XLA's tie order is its sort's; only the values agree.
        unstable = jnp.argsort(x, axis=axis, descending=True, stable=False)
        same(
            np.take_along_axis(x, np.asarray(unstable), axis),
            jjnp.sort(x, axis=axis, descending=True),
        )
        same(jnp.sort(x, axis=axis, descending=True), jjnp.sort(x, axis=axis, descending=True))
    same(jnp.sort(x, axis=None), jjnp.sort(x, axis=None))
    same(jnp.argsort(x, axis=None), jjnp.argsort(x, axis=None))


def test_sort_float64_and_int64_under_x64():
    script = textwrap.dedent(
        """
        import jax, numpy as np
        jax.config.update("jax_enable_x64", True)
        import mlax, mlax.numpy as jnp, jax.numpy as jjnp
        mlax.config.update("jax_enable_x64", True)
        rng = np.random.default_rng(1)
        x = rng.standard_normal(101); x[3] = np.nan; x[7] = -0.0
        i = rng.integers(-2**40, 2**40, 101)
        u = rng.integers(0, 2**63, 101, dtype=np.uint64)
        for a in (x, i, u):
            assert np.array_equal(np.asarray(jnp.argsort(a)), np.asarray(jjnp.argsort(a)))
            assert np.asarray(jnp.argsort(a)).dtype == np.asarray(jjnp.argsort(a)).dtype
            v, k = mlax.lax.top_k(a, 5); jv, jk = jax.lax.top_k(a, 5)
            assert np.array_equal(np.asarray(k), np.asarray(jk)), (k, jk)
        print("ok")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr


def test_lax_sort_several_operands_and_keys():
    a = RNG.integers(0, 3, (4, 9)).astype(np.int32)
    b = _values((4, 9), "float32")
    c = RNG.standard_normal((4, 9)).astype(np.float32)
    for nk in (1, 2, 3):
        for dim in (0, 1, -1):
            same_tree(
                lax.sort((a, b, c), dimension=dim, num_keys=nk),
                jax.lax.sort((a, b, c), dimension=dim, num_keys=nk),
            )
    same_tree(lax.sort_key_val(a[0], c[0]), jax.lax.sort_key_val(a[0], c[0]))
    same(lax.sort(b), jax.lax.sort(b))
    assert isinstance(lax.sort([a]), tuple)


def test_lexsort_matches_jax():
    k1 = RNG.integers(0, 3, (3, 10))
    k2 = _values((3, 10), "float32")
    same(jnp.lexsort((k1, k2)), jjnp.lexsort((k1, k2)))
    same(jnp.lexsort((k1, k2), axis=0), jjnp.lexsort((k1, k2), axis=0))
    same(jnp.lexsort([k1[0]]), jjnp.lexsort([k1[0]]))
    same(jnp.lexsort((np.float32(1), np.float32(2))), jjnp.lexsort((np.float32(1), np.float32(2))))


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8", "bool", "float16"])
def test_top_k_matches_jax(dtype):
    x = _values((4, 13), dtype)
    for k in (0, 1, 5, 13):
        same_tree(lax.top_k(x, k), jax.lax.top_k(x, k))
    same_tree(lax.top_k(x, 2, axis=0), jax.lax.top_k(x, 2, axis=0))
    same_tree(lax.top_k(x[0], 3), jax.lax.top_k(x[0], 3))


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8", "bool", "float16"])
@pytest.mark.parametrize("shape,k", [((3, 4099), 7), ((2, 2048), 1), ((4096,), 16)])
def test_top_k_of_long_rows_matches_jax(dtype, shape, k):
    # Long rows go through chunk maxima (lax/sorting.py): ties, NaNs of
    # both signs and signed zeros must still rank exactly as the op ranks.
    x = _values(shape, dtype)
    if np.dtype(x.dtype).kind == "f":
        flat = x.reshape(-1)
        flat[::97], flat[5::101], flat[7::89] = np.nan, -np.nan, -0.0
    same_tree(lax.top_k(x, k), jax.lax.top_k(x, k))
    if np.dtype(x.dtype).kind == "f" and dtype != "float16":
        w = np.arange(k, dtype=np.float32)
        x = np.nan_to_num(x)
        got = mlax.grad(lambda v: (lax.top_k(v, k)[0] * w).sum())(x)
        want = jax.grad(lambda v: (jax.lax.top_k(v, k)[0] * w).sum())(x)
        same(got, want)


def test_top_k_orders_zero_signs_and_nans_as_jax():
    x = np.array([1.0, np.nan, 3.0, -0.0, 0.0, -np.inf], np.float32)
    same_tree(lax.top_k(x, 6), jax.lax.top_k(x, 6))


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint8"])
def test_partition_and_argpartition_match_jax(dtype):
    x = _values((3, 8), dtype)
    if np.dtype(dtype).kind == "f":
        x = np.nan_to_num(x, nan=0.25)  # JAX's TODO: NaN handling differs from NumPy
    for kth in (0, 3, 7, -1):
        same(jnp.partition(x, kth), jjnp.partition(x, kth))
        same(jnp.argpartition(x, kth), jjnp.argpartition(x, kth))
    same(jnp.partition(x, 1, axis=0), jjnp.partition(x, 1, axis=0))
    same(jnp.argpartition(x, 1, axis=0), jjnp.argpartition(x, 1, axis=0))


UNIQUE_INPUTS = {
    "ints": np.array([3, 1, 3, 2, 1, 7]),
    "floats-nan": np.array([3.0, np.nan, 1.0, np.nan, -0.0, 0.0], np.float32),
    "2d": np.array([[3, 1], [2, 3], [3, 1]]),
    "bool": np.array([True, False, True]),
    "empty": np.zeros((0,), np.int32),
}


@pytest.mark.parametrize("name", sorted(UNIQUE_INPUTS))
def test_unique_matches_jax(name):
    x = UNIQUE_INPUTS[name]
    flags = {"return_index": True, "return_inverse": True, "return_counts": True}
    same_tree(jnp.unique(x, **flags), jjnp.unique(x, **flags))
    same_tree(jnp.unique(x), jjnp.unique(x))
    if x.size:
        same_tree(
            jnp.unique(x, size=8, fill_value=0, **flags),
            jjnp.unique(x, size=8, fill_value=0, **flags),
        )
        same_tree(jnp.unique(x, size=2, **flags), jjnp.unique(x, size=2, **flags))
    if x.dtype.kind == "f":
        same(jnp.unique(x, equal_nan=False), jjnp.unique(x, equal_nan=False))
    if x.ndim == 2:
        for axis in (0, 1):
            same_tree(jnp.unique(x, axis=axis, **flags), jjnp.unique(x, axis=axis, **flags))
    for fn in ("unique_values", "unique_counts", "unique_inverse", "unique_all"):
        same_tree(
            tuple(np.atleast_1d(getattr(jnp, fn)(x)))
            if fn == "unique_values"
            else getattr(jnp, fn)(x),
            tuple(np.atleast_1d(getattr(jjnp, fn)(x)))
            if fn == "unique_values"
            else getattr(jjnp, fn)(x),
        )


def test_unique_under_jit_needs_size():
    x = np.array([3, 1, 3, 2])
    same(mlax.jit(lambda v: jnp.unique(v, size=3))(x), jax.jit(lambda v: jjnp.unique(v, size=3))(x))
    with pytest.raises(mlax.errors.ConcretizationTypeError, match="size"):
        mlax.jit(jnp.unique)(x)


def test_sort_methods_and_jit():
    x = _values((5, 6), "float32")
    same(jnp.asarray(x).sort(), jjnp.asarray(x).sort())
    same(jnp.asarray(x).argsort(axis=0), jjnp.asarray(x).argsort(axis=0))
    same(mlax.jit(jnp.argsort)(x), jax.jit(jjnp.argsort)(x))


def test_top_k_and_sort_inside_scan():
    xs = RNG.standard_normal((4, 9)).astype(np.float32)

    def body(lib):
        def step(c, x):
            v, i = lib.lax.top_k(x, 3)
            return c + lib.numpy.sort(x)[0], (v, i)

        return step

    got = mlax.jit(lambda a: mlax.lax.scan(body(mlax), 0.0, a))(xs)
    want = jax.jit(lambda a: jax.lax.scan(body(jax), 0.0, a))(xs)
    same_tree(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want))


# ---------------------------------------------------------------------------
# Derivatives: JAX and finite differences
# ---------------------------------------------------------------------------


W = RNG.standard_normal((3, 7))
X = RNG.standard_normal((3, 7))

LOSSES = {
    "sort": (
        lambda np_: lambda x: (np_.sort(x, axis=1) * W).sum(),
        lambda x: (np.sort(x, axis=1) * W).sum(),
    ),
    "sort-axis0": (
        lambda np_: lambda x: (np_.sort(x, axis=0) * W).sum(),
        lambda x: (np.sort(x, axis=0) * W).sum(),
    ),
    "sort-payload": (
        lambda np_: (
            lambda x: (
                (lax if np_ is jnp else jax.lax).sort_key_val(np_.round(x * 2), x * x)[1] * W
            ).sum()
        ),
        lambda x: (
            np.take_along_axis(x * x, np.argsort(np.round(x * 2), 1, kind="stable"), 1) * W
        ).sum(),
    ),
    "top_k": (
        lambda np_: lambda x: ((lax if np_ is jnp else jax.lax).top_k(x, 3)[0] * W[:, :3]).sum(),
        lambda x: (-np.sort(-x, axis=1)[:, :3] * W[:, :3]).sum(),
    ),
    "partition": (
        lambda np_: lambda x: (np_.partition(x, 2) ** 2 * W).sum(),
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradients_match_jax_and_finite_differences(name):
    make, numpy_loss = LOSSES[name]
    x32 = X.astype(np.float32)
    got = mlax.grad(make(jnp))(x32)
    want = jax.grad(make(jjnp))(x32)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-5)
    if numpy_loss is not None:
        np.testing.assert_allclose(np.asarray(got), fd_grad(numpy_loss, X), rtol=1e-3, atol=1e-3)
    # Forward mode agrees with reverse mode.
    t = RNG.standard_normal(X.shape).astype(np.float32)
    _, tangent = mlax.jvp(make(jnp), (x32,), (t,))
    np.testing.assert_allclose(
        float(tangent), float((np.asarray(got) * t).sum()), rtol=1e-4, atol=1e-4
    )


# ---------------------------------------------------------------------------
# vmap: loop-and-stack
# ---------------------------------------------------------------------------


def test_vmap_sort_argsort_top_k_against_loop_and_stack():
    xs = _values((4, 3, 6), "float32")
    ps = RNG.integers(0, 9, (3, 6)).astype(np.int32)
    fns = {
        "sort": lambda x: jnp.sort(x, axis=0),
        "argsort": lambda x: jnp.argsort(x, axis=1, descending=True),
        "top_k": lambda x: lax.top_k(x, 2),
        "payload-shared": lambda x: lax.sort_key_val(x, ps, dimension=1),
        "keys-shared": lambda p: lax.sort((ps, p), num_keys=1)[1],
        "unique-sized": lambda x: jnp.unique(x, size=5, fill_value=0.0),
    }
    for f in fns.values():
        arg = xs
        for axis in (0, 2):
            moved = np.moveaxis(arg, 0, axis)
            got = mlax.vmap(f, in_axes=axis)(moved)
            loop = [f(arg[i]) for i in range(arg.shape[0])]
            want = jax.tree_util.tree_map(lambda *r: np.stack([np.asarray(v) for v in r]), *loop)
            same_tree(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want))


# ---------------------------------------------------------------------------
# SPMD: a sharded jit against the unsharded run
# ---------------------------------------------------------------------------


def test_sharded_jit_of_sort_and_top_k():
    script = textwrap.dedent(
        """
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        x = np.random.default_rng(0).standard_normal((8, 6)).astype(np.float32)
        f = lambda v: (jnp.sort(v, axis=1), jnp.argsort(v, axis=0), mlax.lax.top_k(v, 2)[1])
        sharded = mlax.device_put(x, NamedSharding(mesh, P("d")))
        for g, w in zip(mlax.jit(f)(sharded), mlax.jit(f)(x)):
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
        print("ok")
        """
    )
    run_on_two_devices(script)


# ---------------------------------------------------------------------------
# Bad input: JAX's exceptions
# ---------------------------------------------------------------------------


def test_bad_input_raises_jax_errors():
    x = jnp.ones((3,))
    with pytest.raises(ValueError, match="num_keys=2 must equal 1"):
        lax.sort(x, num_keys=2)
    with pytest.raises(TypeError, match=r"equal shapes, got: \(3,\) \(4,\)"):
        lax.sort((x, jnp.ones(4)))
    with pytest.raises(ValueError, match="out of bounds"):
        lax.sort(x, dimension=1)
    with pytest.raises(ValueError, match="out of bounds"):
        jnp.sort(np.float32(3))
    with pytest.raises(ValueError, match="no larger than size along axis"):
        lax.top_k(x, 4)
    with pytest.raises(ValueError, match="nonnegative"):
        lax.top_k(x, -1)
    with pytest.raises(TypeError, match="'kind' argument to sort"):
        jnp.sort(x, kind="quicksort")
    with pytest.raises(TypeError, match="len > 0"):
        jnp.lexsort(())
    with pytest.raises(ValueError, match="same shape"):
        jnp.lexsort((jnp.ones(3), jnp.ones(4)))
    with pytest.raises(ValueError, match="fill_value must be specified"):
        jnp.unique(jnp.zeros((0,)), size=2)
