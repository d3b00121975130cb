"""Eager elementwise kernels reused across shapes (transforms/flat_kernels.py).

Each test checks values against NumPy on several shapes of several ranks,
and that the calls were served by one kernel (the jit cache entries are
FlatCalls) or, where the function is not elementwise, compiled per shape.
"""

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax._src.numpy import ufuncs
from mlax._src.transforms.flat_kernels import DimCall, FlatCall, ViewCall

SHAPES = [(5,), (3, 4), (2, 3, 4), (7, 1), (1, 1, 9), (33,)]


def _flat_entries(fn):
    return [c for c in fn._cache.values() if isinstance(c, FlatCall)]


def _kernels(fn):
    return [k for k in fn._flat._kernels.values() if k is not None]


@pytest.mark.parametrize(
    "name, op, dtype",
    [
        ("add", lambda x, y: x + y, np.float32),
        ("multiply", lambda x, y: x * y, np.int32),
        ("maximum", np.maximum, np.float16),
        ("greater", np.greater, np.float32),
        ("logical_and", np.logical_and, np.bool_),
        ("subtract", lambda x, y: x - y, np.uint8),
    ],
)
def test_binary_functions_reuse_one_kernel_across_shapes(name, op, dtype):
    fn = getattr(ufuncs, name)
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        x = (rng.standard_normal(shape) * 5).astype(dtype)
        y = (rng.standard_normal(shape) * 5).astype(dtype)
        got = getattr(jnp, name)(jnp.asarray(x), jnp.asarray(y))
        assert got.shape == shape
        assert got.dtype == op(x, y).dtype
        np.testing.assert_array_equal(np.asarray(got), op(x, y))
    assert len(_kernels(fn)) >= 1
    served = {c.shape[0] if len(c.shape) == 1 else tuple(c.shape) for c in _flat_entries(fn)}
    assert len(served) >= len(SHAPES) - 1  # at most the first shape of a rank is static


def test_scalar_operands_and_weak_types_keep_jax_dtypes():
    rng = np.random.default_rng(1)
    for shape in SHAPES:
        x = rng.standard_normal(shape).astype(np.float32)
        X = jnp.asarray(x)
        np.testing.assert_allclose(np.asarray(X * 2 + 1), x * 2 + 1, rtol=1e-6)
        np.testing.assert_array_equal(np.asarray(jnp.where(X > 0, X, 0.0)), np.where(x > 0, x, 0))
        np.testing.assert_allclose(np.asarray(jnp.exp(X)), np.exp(x), rtol=1e-6)
        assert (X * 2).dtype == np.float32 and not (X * 2).weak_type
        h = jnp.asarray(x.astype(np.float16))
        assert (h + 1.5).dtype == np.float16
        i = jnp.asarray(np.arange(np.prod(shape), dtype=np.int32).reshape(shape))
        assert (i / 2).dtype == np.float32
        np.testing.assert_allclose(np.asarray(i / 2), np.asarray(i) / 2)
    assert _flat_entries(ufuncs.exp)


def test_numpy_and_python_arguments():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(np.asarray(jnp.add(x, 1)), x + 1)
    np.testing.assert_array_equal(np.asarray(jnp.add(x.reshape(4, 3), 1)), x.reshape(4, 3) + 1)
    np.testing.assert_array_equal(np.asarray(jnp.multiply(2, x[0])), 2 * x[0])


def test_float64_under_x64(x64):
    for shape in [(4,), (2, 3)]:
        x = np.linspace(0.1, 2, int(np.prod(shape))).reshape(shape)
        got = jnp.log(jnp.asarray(x))
        assert got.dtype == np.float64
        np.testing.assert_array_equal(np.asarray(got), np.log(x))


def test_results_are_ordinary_arrays():
    x = jnp.arange(6.0).reshape(2, 3)
    y = jnp.exp(x)
    z = jnp.exp(jnp.arange(20.0).reshape(4, 5))
    assert isinstance(z, mlax.Array) and z.shape == (4, 5)
    # Results feed jit, reshape and further ops as any array does.
    np.testing.assert_allclose(
        np.asarray(mlax.jit(lambda a: a.sum())(z)), np.exp(np.arange(20.0)).sum(), rtol=1e-5
    )
    np.testing.assert_allclose(np.asarray(z.T[0]), np.exp(np.arange(0.0, 20, 5)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(y), np.exp(np.arange(6.0)).reshape(2, 3), rtol=1e-6)


def _library(fun):
    fun.__module__ = "mlax.test_library"  # as if defined inside mlax
    return mlax.jit(fun)


def test_a_function_that_is_not_elementwise_compiles_per_shape():
    # A transpose keeps a square shape but moves elements: never flattened.
    f = _library(lambda x: x.T + 1)
    for n in (3, 4):
        x = np.arange(n * n, dtype=np.float32).reshape(n, n)
        np.testing.assert_array_equal(np.asarray(f(x)), x.T + 1)
    assert f._library and not _flat_entries(f)


def test_a_function_that_branches_on_the_shape_is_not_flattened():
    f = _library(lambda x: x + 1 if x.shape[0] == 3 else x * 2)
    for shape in [(3, 2), (4, 2), (3, 5), (6,)]:
        x = np.ones(shape, np.float32)
        want = x + 1 if shape[0] == 3 else x * 2
        np.testing.assert_array_equal(np.asarray(f(x)), want)
    assert not _flat_entries(f)


def test_broadcasting_between_shapes_uses_a_dimension_polymorphic_kernel():
    f = _library(lambda x, y: x + y)
    for m, n in [(3, 4), (5, 2), (6, 6), (2, 7)]:
        x, y = np.ones((m, 1), np.float32), np.arange(n, dtype=np.float32)
        got = f(x, y)
        assert got.shape == (m, n)
        np.testing.assert_array_equal(np.asarray(got), x + y)
    assert not _flat_entries(f) and len(_dim_entries(f)) >= 2


def test_a_users_jit_is_traced_once_per_shape():
    traces = []

    @mlax.jit
    def f(x):
        traces.append(x.shape)
        return x * 3

    for shape in [(2,), (3,), (2, 2)]:
        np.testing.assert_array_equal(np.asarray(f(np.ones(shape))), 3 * np.ones(shape))
    assert traces == [(2,), (3,), (2, 2)]
    assert f._flat is None


def test_kernels_are_keyed_by_dtype():
    x32 = jnp.ones((2, 5), np.float32)
    xi = jnp.ones((2, 5), np.int32)
    np.testing.assert_array_equal(np.asarray(ufuncs.negative(x32)), -np.ones((2, 5)))
    np.testing.assert_array_equal(np.asarray(ufuncs.negative(xi)), -np.ones((2, 5), np.int32))
    dtypes = {key[1][0][0] for key in ufuncs.negative._flat._kernels}
    assert {np.dtype(np.float32), np.dtype(np.int32)} <= dtypes


# Dimension-polymorphic kernels (reductions, transposes, small matmuls) and
# reshapes served as views.

DIM_SHAPES = [(3, 5), (6, 4), (7, 7), (2, 9), (1, 8), (5, 1)]


def _dim_entries(fn):
    return [c for c in fn._cache.values() if isinstance(c, DimCall)]


@pytest.mark.parametrize(
    "name, fun, ref",
    [
        ("sum_axis0", lambda x: mlax.numpy.sum(x, axis=0), lambda x: x.sum(0)),
        ("max_all", lambda x: mlax.numpy.max(x), np.max),
        ("min_axis1", lambda x: mlax.numpy.min(x, axis=1), lambda x: x.min(1)),
        ("transpose_plus_one", lambda x: x.T + 1, lambda x: x.T + 1),
        ("gram", lambda x: x @ x.T, lambda x: x @ x.T),
        ("sum_of_squares", lambda x: (x * x).sum(axis=1), lambda x: (x * x).sum(1)),
    ],
)
def test_dimension_polymorphic_kernels_match_numpy_on_every_shape(name, fun, ref):
    f = _library(fun)
    rng = np.random.default_rng(2)
    for shape in DIM_SHAPES:
        x = rng.standard_normal(shape).astype(np.float32)
        got = f(x)
        want = ref(x)
        assert got.shape == want.shape and got.dtype == np.float32
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)
    # (7, 7) has one distinct size, the others two: at least the shapes
    # after the first of each pattern are served without a compile.
    assert len(_dim_entries(f)) >= len(DIM_SHAPES) - 3


def test_integer_and_bool_reductions():
    f = _library(lambda x: (x.sum(axis=0), x.max(axis=1)))
    g = _library(lambda b: (mlax.numpy.any(b, axis=0), mlax.numpy.all(b, axis=1)))
    rng = np.random.default_rng(3)
    for shape in [(3, 4), (5, 6), (2, 8)]:
        x = rng.integers(-50, 50, shape).astype(np.int32)
        s, m = f(x)
        np.testing.assert_array_equal(np.asarray(s), x.sum(0))
        np.testing.assert_array_equal(np.asarray(m), x.max(1))
        b = x > 0
        a, al = g(b)
        np.testing.assert_array_equal(np.asarray(a), b.any(0))
        np.testing.assert_array_equal(np.asarray(al), b.all(1))
    assert _dim_entries(f) and _dim_entries(g)


def test_shape_derived_constants_are_not_reused():
    # A mean divides by a count taken from the shape: never one kernel.
    f = _library(lambda x: x.sum(axis=0) / x.shape[0])
    for shape in [(3, 4), (5, 6), (8, 2)]:
        x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
        np.testing.assert_allclose(np.asarray(f(x)), x.mean(0), rtol=1e-6)
    assert not _dim_entries(f)


def test_large_matmuls_compile_for_their_shape():
    f = _library(lambda a, b: a @ b)
    small = np.ones((8, 8), np.float32)
    np.testing.assert_array_equal(np.asarray(f(small, small)), small @ small)
    np.testing.assert_array_equal(np.asarray(f(small[:6, :6], small[:6, :6])), 6 * small[:6, :6])
    big = np.ones((96, 96), np.float32)
    np.testing.assert_array_equal(np.asarray(f(big, big)), big @ big)
    served = [tuple(c.out_avals[0].shape) for c in _dim_entries(f)]
    assert (96, 96) not in served and (6, 6) in served


def test_reshapes_are_views_of_the_same_buffer():
    x = mlax.numpy.arange(24.0).reshape(2, 3, 4)
    for shape in [(6, 4), (24,), (4, 3, 2), (1, 24, 1)]:
        y = x.reshape(shape)
        np.testing.assert_array_equal(np.asarray(y), np.arange(24.0).reshape(shape))
        np.testing.assert_array_equal(np.asarray(y + 1), np.arange(1.0, 25.0).reshape(shape))
    np.testing.assert_array_equal(np.asarray(mlax.numpy.ravel(x)), np.arange(24.0))
    assert mlax.numpy.expand_dims(x, 0).shape == (1, 2, 3, 4)
    assert x[None].shape == (1, 2, 3, 4)
    f = _library(lambda v: v.reshape(-1, 2))
    np.testing.assert_array_equal(np.asarray(f(x)), np.arange(24.0).reshape(12, 2))
    assert isinstance(next(iter(f._cache.values())), ViewCall)


def test_eager_mean_var_std_share_one_executable_across_shapes():
    from mlax._src.runtime import compiler

    def events():
        return sum(compiler.stats[k] for k in ("iree_compiles", "disk_hits", "memory_hits"))

    rng = np.random.default_rng(4)
    x = jnp.asarray(rng.standard_normal((4, 6)).astype(np.float32))
    jnp.mean(x), jnp.var(x, axis=1), jnp.std(x, ddof=1), x.mean(axis=0)
    before = events()
    for shape in [(5, 7), (3, 2), (9, 4), (2, 2)]:
        a = rng.standard_normal(shape).astype(np.float32)
        x = jnp.asarray(a)
        np.testing.assert_allclose(np.asarray(jnp.mean(x)), a.mean(), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(jnp.var(x, axis=1)), a.var(axis=1), rtol=1e-5)
        np.testing.assert_allclose(np.asarray(jnp.std(x, ddof=1)), a.std(ddof=1), rtol=1e-5)
        np.testing.assert_allclose(np.asarray(x.mean(axis=0)), a.mean(axis=0), rtol=1e-6)
    assert events() - before <= 4  # the (2, 2) shapes: one pattern of equal sizes
    # Too large a ddof gives NaN (inf for the standard deviation), as JAX.
    assert np.isnan(np.asarray(jnp.var(jnp.ones(3), ddof=3)))
    assert np.isnan(np.asarray(jnp.mean(jnp.zeros((0, 3)), axis=0))).all()
