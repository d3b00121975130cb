"""The mlax.Array methods and properties (NumPy parity cases), scalar-valued
helpers, dtype utilities and the Array protocol (len, iter, item, repr,
np.asarray); machinery in parity.py."""

import jax
import jax.numpy as jax_np
import ml_dtypes
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import BF16, BOOL, F16, F32, I32, assert_allclose
from parity import (
    R3,
    S23,
    A,
    Case,
    bf16_of,
    check_against_jax,
    run_case,
)

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Array methods and properties
add("meth_T", lambda m, x: x.T, A(R3))
add("meth_T-1d", lambda m, x: x.T, A((3,)))
add("meth_mT", lambda m, x: x.mT, A(R3))
add("meth_reshape-tuple", lambda m, x: x.reshape((4, 6)), A(R3))
add("meth_reshape-varargs", lambda m, x: x.reshape(6, -1), A(R3))
add("meth_transpose-varargs", lambda m, x: x.transpose(2, 0, 1), A(R3))
add("meth_transpose-tuple", lambda m, x: x.transpose((1, 0, 2)), A(R3))
add("meth_transpose-none", lambda m, x: x.transpose(), A(R3))
add("meth_astype-f32-i32", lambda m, x: x.astype(m.int32), A((10,), "f32", "halves"))
add("meth_astype-i32-bool", lambda m, x: x.astype(bool), A((5,), "i32"))
add(
    "meth_astype-f32-bf16",
    lambda m, x: x.astype(bf16_of(m)),
    A((5,), "f32"),
    dtype="bf16",
)
add("meth_astype-bool-f32", lambda m, x: x.astype(m.float32), A((5,), "bool"))
add("meth_astype-f32-u8", lambda m, x: x.astype(m.uint8), A((5,), "f32", "pos"))
add("meth_astype-str", lambda m, x: x.astype("float16"), A((5,), "i32"))
add("meth_ravel", lambda m, x: x.ravel(), A(R3))
add("meth_flatten", lambda m, x: x.flatten(), A(S23))
add("meth_squeeze", lambda m, x: x.squeeze(), A((1, 3, 1)))
add("meth_squeeze-axis", lambda m, x: x.squeeze(0), A((1, 3, 1)))
add("meth_swapaxes", lambda m, x: x.swapaxes(0, 1), A(S23))
add("meth_sum", lambda m, x: x.sum(), A(R3))
add("meth_sum-axis", lambda m, x: x.sum(axis=1, keepdims=True), A(R3))
add("meth_prod", lambda m, x: x.prod(axis=0), A(R3, "f32", "small"))
add("meth_mean", lambda m, x: x.mean(axis=(0, 1)), A(R3))
add("meth_max", lambda m, x: x.max(axis=-1), A(R3))
add("meth_min", lambda m, x: x.min(axis=1), A(S23, "i32"))
add("meth_var", lambda m, x: x.var(axis=1, ddof=1), A(S23))
add("meth_std", lambda m, x: x.std(), A(R3))
add("meth_argmax", lambda m, x: x.argmax(axis=1), A(S23, "i32", "ties"))
add("meth_argmin", lambda m, x: x.argmin(), A(R3))
add("meth_all", lambda m, x: x.all(axis=0), A(S23, "bool"))
add("meth_any", lambda m, x: x.any(), A(R3))
add("meth_dot", lambda m, x, y: x.dot(y), A(S23), A((3,)))
add("meth_clip", lambda m, x: x.clip(-1.0, 1.5), A(S23))
add("meth_round", lambda m, x: x.round(), A((10,), "f32", "halves"))
add("meth_round-decimals", lambda m, x: x.round(2), A(S23), atol=1e-6)
add("meth_conj", lambda m, x: x.conj(), A(S23))
add("meth_real", lambda m, x: x.real, A(S23))
# jax.Array methods mlax lacked (AttributeError): cumsum & co.
add("meth_cumsum", lambda m, x: x.cumsum(), A(S23))
add("meth_cumsum-axis", lambda m, x: x.cumsum(axis=1), A(S23, "i32"))
add("meth_cumprod", lambda m, x: x.cumprod(0), A(S23, "f32", "small"))
add("meth_diagonal", lambda m, x: x.diagonal(1), A(R3))
add("meth_trace", lambda m, x: x.trace(), A(S23))
add("meth_ptp", lambda m, x: x.ptp(axis=1), A(S23), ref=lambda x: np.ptp(x, axis=1))
add("meth_repeat", lambda m, x: x.repeat(2, axis=0), A(S23))
add("meth_take", lambda m, x: x.take(m.array([4, 0])), A(S23))
add("meth_searchsorted", lambda m, x: m.sort(x).searchsorted(m.array([0.5, -1.0])), A((5,)))
add("meth_copy", lambda m, x: x.copy(), A(S23, "i32"))
add("meth_imag", lambda m, x: x.imag, A(S23))
add(
    "meth_compress",
    lambda m, x: x.compress(m.array([True, False, True]), axis=1),
    A(S23),
    jax=False,
    covers=("compress",),
)
add("meth_nonzero", lambda m, x: x.nonzero()[0], A((6,), "bool"), jax=False, covers=("nonzero",))
add("meth_choose", lambda m, x, y: m.array([0, 1, 1]).choose([x, y], mode="clip"), A((3,)), A((3,)))


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


# ---------------------------------------------------------------------------
# Scalar-valued helpers, dtype utilities and the Array protocol
# ---------------------------------------------------------------------------


def test_itemsize_and_argpartition_methods():
    x = jnp.arange(6.0).reshape(2, 3)
    assert x.itemsize == jax_np.ones(1).itemsize == 4
    assert jnp.ones(2, jnp.int8).itemsize == 1
    np.testing.assert_array_equal(
        x[::-1].argpartition(1, axis=1)[:, 1],
        jax_np.arange(6.0).reshape(2, 3)[::-1].argpartition(1, axis=1)[:, 1],
    )


def test_shape_ndim_size():
    x = jnp.zeros((2, 3, 4))
    assert jnp.shape(x) == (2, 3, 4) == np.shape(np.zeros((2, 3, 4)))
    assert jnp.ndim(x) == 3 and jnp.size(x) == 24
    assert jnp.shape(3.0) == () and jnp.ndim(3.0) == 0 and jnp.size(3.0) == 1
    with pytest.warns(DeprecationWarning, match="shape requires ndarray or scalar"):
        assert jnp.shape([[1, 2, 3]]) == (1, 3)  # deprecated in JAX 0.10 as well
    with pytest.warns(DeprecationWarning, match="ndim requires"):
        assert jnp.ndim((1, 2)) == 1
    assert (x.shape, x.ndim, x.size, x.dtype, x.nbytes) == ((2, 3, 4), 3, 24, F32, 96)


def test_broadcast_shapes():
    assert jnp.broadcast_shapes((3, 1), (4,)) == np.broadcast_shapes((3, 1), (4,)) == (3, 4)
    assert jnp.broadcast_shapes((2, 1, 3), (5, 1), ()) == (2, 5, 3)
    assert jnp.broadcast_shapes() == ()
    with pytest.raises(ValueError):
        jnp.broadcast_shapes((3,), (4,))


_RESULT_TYPES = [
    (("int32", "float32"), F32),
    (("int8", "uint8"), np.dtype(np.int16)),
    (("float16", "bfloat16"), F32),
    (("bool_", "int8"), np.dtype(np.int8)),
    (("uint32", "int32"), I32),
    (("bfloat16", "int32"), BF16),
    (("float16", 1.0), F16),
    (("int8", 1), np.dtype(np.int8)),
    (("bool_", 1.0), F32),
    ((1, 1.0), F32),
    ((True, 1), I32),
]


@pytest.mark.parametrize("args,expected", _RESULT_TYPES)
def test_result_type(args, expected):
    def resolve(m):
        return [getattr(m, a) if isinstance(a, str) else a for a in args]

    assert jnp.result_type(*resolve(jnp)) == expected
    assert np.dtype(jax.numpy.result_type(*resolve(jax.numpy))) == expected


def test_result_type_arrays_and_weak():
    x = jnp.zeros(2, dtype=jnp.int8)
    assert jnp.result_type(x, 1) == np.int8
    assert jnp.result_type(x, 1.0) == F32
    assert jnp.result_type(x, np.float16(1)) == F16
    assert jnp.result_type(3) == I32 and jnp.result_type(3.0) == F32


def test_promote_types():
    assert jnp.promote_types(jnp.int32, jnp.float32) == F32
    assert jnp.promote_types(np.uint8, np.int8) == np.int16
    assert jnp.promote_types(np.float16, jnp.bfloat16) == F32
    assert jnp.promote_types(np.int64, np.float64) == F32  # x64 disabled
    assert jnp.promote_types(np.bool_, np.bool_) == BOOL


def test_finfo_iinfo_issubdtype_dtype():
    assert jnp.finfo(jnp.float32).eps == np.finfo(np.float32).eps
    assert float(jnp.finfo(jnp.bfloat16).eps) == 2.0**-7
    assert jnp.finfo(jnp.float16).max == np.finfo(np.float16).max
    assert jnp.iinfo(jnp.int8).min == -128 and jnp.iinfo(jnp.uint32).max == 2**32 - 1
    assert str(jnp.iinfo(jnp.int32)) == str(jax_np.iinfo(jax_np.int32))  # was NumPy's table
    assert jnp.issubdtype(jnp.bfloat16, jnp.floating)
    assert jnp.issubdtype(jnp.float32, jnp.inexact)
    assert jnp.issubdtype(np.int8, jnp.integer) and jnp.issubdtype(np.uint8, jnp.unsignedinteger)
    assert jnp.issubdtype(np.int8, jnp.signedinteger)
    assert not jnp.issubdtype(np.uint8, jnp.signedinteger)
    assert not jnp.issubdtype(jnp.int32, jnp.floating)
    assert jnp.issubdtype(jnp.float16, jnp.number) and not jnp.issubdtype(np.bool_, jnp.number)
    assert jnp.dtype("float32") == F32


def test_constants():
    assert jnp.pi == np.pi and jnp.e == np.e and jnp.inf == np.inf and np.isnan(jnp.nan)
    assert jnp.newaxis is None
    assert isinstance(jnp.zeros(2), jnp.ndarray)


def test_len_iter_item_tolist():
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = jnp.asarray(v)
    assert len(x) == 2
    rows = list(x)
    assert len(rows) == 2
    for r, expected in zip(rows, v):
        assert_allclose(r, expected, F32)
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert isinstance(x.tolist()[0][0], float)
    assert x.item(4) == 4.0
    s = jnp.asarray(np.int32(7))
    assert s.item() == 7 and isinstance(s.item(), int)
    assert s.tolist() == 7
    assert int(s) == 7 and float(s) == 7.0 and bool(s) is True
    assert [1, 2, 3, 4, 5, 6, 7, 8][s] == 8  # __index__
    with pytest.raises(TypeError):
        len(s)
    with pytest.raises(TypeError):
        next(iter(s))
    with pytest.raises(ValueError):
        bool(x)
    with pytest.raises(TypeError):
        hash(x)
    assert jnp.asarray(np.array([True, False])).tolist() == [True, False]
    assert f"{jnp.asarray(np.float32(1.25)):.1f}" == "1.2"


def test_np_asarray_and_array_protocol():
    v = np.arange(6, dtype=np.int32).reshape(2, 3)
    x = jnp.asarray(v)
    out = np.asarray(x)
    np.testing.assert_array_equal(out, v)
    assert out.dtype == np.int32
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    assert np.asarray(jnp.asarray(np.array([1, 2], ml_dtypes.bfloat16))).dtype == BF16
    # NumPy arrays on the left defer to mlax (like jax.Array).
    y = np.ones(3, np.float32) + jnp.asarray(np.arange(3, dtype=np.float32))
    assert isinstance(y, mlax.Array)
    assert_allclose(y, np.arange(1, 4, dtype=np.float32), F32)


_REPRS = [
    (np.array([1.0, 2.0], np.float32), "Array([1., 2.], dtype=float32)"),
    (np.array([1, 2], np.int32), "Array([1, 2], dtype=int32)"),
    (np.array([True, False]), "Array([ True, False], dtype=bool)"),
    (np.float32(1.5), "Array(1.5, dtype=float32)"),
    (1.0, "Array(1., dtype=float32, weak_type=True)"),
    (2, "Array(2, dtype=int32, weak_type=True)"),
    (
        np.arange(4.0, dtype=np.float32).reshape(2, 2),
        "Array([[0., 1.],\n       [2., 3.]], dtype=float32)",
    ),
    (np.array([1.5, 2], np.float16), "Array([1.5, 2. ], dtype=float16)"),
    (np.array([3], np.uint8), "Array([3], dtype=uint8)"),
    (np.array([1, 2], ml_dtypes.bfloat16), "Array([1, 2], dtype=bfloat16)"),
    (np.array([1.5, -2.25, 3], ml_dtypes.bfloat16), "Array([1.5, -2.25, 3], dtype=bfloat16)"),
    (np.zeros((0,), np.float32), "Array([], shape=(0,), dtype=float32)"),
    (np.zeros((0, 3), np.int32), "Array([], shape=(0, 3), dtype=int32)"),
]


@pytest.mark.parametrize("value,expected", _REPRS)
def test_repr(value, expected):
    assert repr(jnp.asarray(value)) == expected
    assert repr(jax.numpy.asarray(value)) == expected  # the reference really is JAX's


def test_repr_2d_int_and_str():
    x = jnp.asarray(np.array([[1, 20], [300, 4]], np.int32))
    assert repr(x) == "Array([[  1,  20],\n       [300,   4]], dtype=int32)"
    assert str(jnp.asarray(np.array([1.0, 2.0], np.float32))) == "[1. 2.]"
