"""Shared helpers for the mlax Python tests.

The compile cache is left at its default (~/.cache/mlax or $MLAX_CACHE_DIR):
set MLAX_CACHE_DIR to a fresh directory to time a cold run.
"""

import os

import ml_dtypes

# mlax comes from the installed package (scripts/test.sh), or from the source
# tree with PYTHONPATH=python when python/mlax/_mlir points at a build.
import mlax
import numpy as np
import pytest

# parity.py is the parity tests' shared helper: its asserts report values too.
pytest.register_assert_rewrite("parity")

BF16 = np.dtype(ml_dtypes.bfloat16)
F16 = np.dtype(np.float16)
F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
I32 = np.dtype(np.int32)
U32 = np.dtype(np.uint32)
BOOL = np.dtype(np.bool_)

# (rtol, atol) by result dtype.
TOLERANCES = {
    F32: (1e-5, 1e-6),
    F64: (1e-12, 1e-14),
}
# float16/bfloat16 results: at most this many units in the last place from the
# reference (computed in float32 on the same values) rounded to the result
# dtype. JAX computes these ops in float32 and rounds once, so a correct
# result is the rounded reference or, where the float32 values differ in the
# last bits, its neighbour.
LOW_PRECISION_ULPS = {F16: 1, BF16: 1}

_NARROW = {
    np.dtype(np.int64): I32,
    np.dtype(np.uint64): U32,
    F64: F32,
    np.dtype(np.complex128): np.dtype(np.complex64),
}


def canonical_dtype(dtype):
    """The dtype JAX (and mlax) give for NumPy's `dtype`: 64-bit types narrow
    to 32 bits unless x64 is enabled (float64 -> float32, int64 -> int32)."""
    dtype = np.dtype(dtype)
    if mlax.config.x64:
        return dtype
    return _NARROW.get(dtype, dtype)


def is_low_precision(dtype):
    return np.dtype(dtype) in (F16, BF16)


def assert_allclose(
    mlax_value,
    numpy_value,
    dtype=None,
    *,
    rtol=None,
    atol=None,
    exact=False,
    check_dtype=True,
    err_msg="",
):
    """Asserts an mlax result matches a NumPy reference.

    dtype: the result dtype JAX gives (float32 for default floats, int32 for
    default ints, bool for comparisons, ...). If omitted it is NumPy's result
    dtype canonicalized as JAX does (float64 -> float32, int64 -> int32).
    The value tolerance is chosen from `dtype`: exact for bool and integer
    results, ~1e-5 relative for float32, 1 ulp of the rounded reference for
    float16/bfloat16 (LOW_PRECISION_ULPS; an explicit rtol/atol replaces it).
    NaNs compare equal to NaNs.

    exact=True: for results that are exact in any dtype (conversions, shape
    ops, floor/ceil/round, abs/neg/sign, max/min, select, and the correctly
    rounded add/sub/mul/div of float16/bfloat16 values, whose float32
    reference rounds to the same value): the reference is rounded to `dtype`
    as NumPy/ml_dtypes round, and every element must equal it, with the sign
    of zero, NaN matching NaN.
    """
    assert isinstance(mlax_value, mlax.Array), (
        f"expected an mlax.Array, got {type(mlax_value).__name__}: {mlax_value!r} {err_msg}"
    )
    expected = np.asarray(numpy_value)
    dtype = canonical_dtype(expected.dtype) if dtype is None else np.dtype(dtype)
    if check_dtype:
        assert mlax_value.dtype == dtype, (
            f"dtype mismatch: mlax gave {mlax_value.dtype}, expected {dtype} {err_msg}"
        )
    actual = np.asarray(mlax_value)
    assert actual.dtype == mlax_value.dtype, "np.asarray(Array) changed the dtype"
    assert actual.shape == expected.shape, (
        f"shape mismatch: mlax gave {actual.shape}, NumPy gave {expected.shape} {err_msg}"
    )
    if dtype == BOOL or dtype.kind in "iu":
        np.testing.assert_array_equal(actual, expected.astype(dtype), err_msg=err_msg)
        return
    if dtype.kind == "c":
        # Complex: both parts, each within the part's tolerance.
        part = np.dtype(np.float32 if dtype == np.complex64 else np.float64)
        for take in (np.real, np.imag):
            assert_allclose(
                mlax.numpy.asarray(take(actual)),
                take(expected).astype(part),
                rtol=rtol,
                atol=atol,
                err_msg=err_msg,
                exact=exact,
                check_dtype=False,
            )
        return
    if exact:
        assert rtol is None and atol is None, "exact comparisons take no tolerance"
        assert_same_floats(actual, expected, dtype, err_msg=err_msg)
        return
    if dtype in LOW_PRECISION_ULPS and rtol is None and atol is None:
        assert_within_ulps(actual, expected, dtype, LOW_PRECISION_ULPS[dtype], err_msg=err_msg)
        return
    default_rtol, default_atol = TOLERANCES.get(dtype, (1e-5, 1e-6))
    np.testing.assert_allclose(
        actual.astype(np.float64),
        expected.astype(np.float64),
        rtol=default_rtol if rtol is None else rtol,
        atol=default_atol if atol is None else atol,
        equal_nan=True,
        err_msg=err_msg,
    )


def assert_same_floats(actual, expected, dtype, err_msg=""):
    """Every element of `actual` equals `expected` rounded to `dtype`, zeros
    with the same sign; NaN matches NaN."""
    with np.errstate(all="ignore"):
        want = np.asarray(expected).astype(dtype)
    got = np.asarray(actual).astype(dtype)
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    same = (got64 == want64) & (np.signbit(got64) == np.signbit(want64))
    same |= np.isnan(got64) & np.isnan(want64)
    if not np.all(same):
        bad = np.flatnonzero(~same.ravel())
        pairs = ", ".join(
            f"[{i}] got {got64.ravel()[i]!r} want {want64.ravel()[i]!r}" for i in bad[:8]
        )
        raise AssertionError(
            f"not exact in {dtype}: {len(bad)} of {got.size} elements differ: {pairs} {err_msg}"
        )


def _ordinals(x):
    """Integers that count representable values: adjacent floats of x.dtype
    differ by 1 (+0 and -0 are both 0)."""
    bits = x.view(f"i{x.dtype.itemsize}").astype(np.int64)
    magnitude = bits & ((1 << (8 * x.dtype.itemsize - 1)) - 1)
    return np.where(bits < 0, -magnitude, magnitude)


def assert_within_ulps(actual, expected, dtype, ulps, err_msg=""):
    """Every element of `actual` is at most `ulps` representable `dtype`
    values away from `expected` rounded to `dtype`; NaN matches NaN only,
    an infinity only itself."""
    with np.errstate(all="ignore"):
        want = np.ascontiguousarray(np.asarray(expected).astype(dtype))
    got = np.ascontiguousarray(np.asarray(actual).astype(dtype))
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    nan = np.isnan(got64) | np.isnan(want64)
    finite = np.isfinite(got64) & np.isfinite(want64)
    distance = np.abs(_ordinals(got) - _ordinals(want))
    ok = np.where(
        nan, np.isnan(got64) & np.isnan(want64), np.where(finite, distance <= ulps, got64 == want64)
    )
    if not np.all(ok):
        bad = np.flatnonzero(~ok.ravel())
        pairs = ", ".join(
            f"[{i}] got {got64.ravel()[i]!r} want {want64.ravel()[i]!r}" for i in bad[:8]
        )
        raise AssertionError(
            f"more than {ulps} ulp from the reference in {dtype}: {len(bad)} of {got.size} "
            f"elements: {pairs} {err_msg}"
        )


@pytest.fixture
def fresh_cache_env(tmp_path):
    """Environment for a subprocess with an empty on-disk compile cache."""
    env = dict(os.environ)
    # The subprocess imports the same mlax as this process.
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(mlax.__file__)))
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    env["MLAX_CACHE_DIR"] = str(tmp_path / "mlax-cache")
    env.pop("MLAX_DISABLE_PERSISTENT_CACHE", None)
    return env


@pytest.fixture
def x64():
    """Runs the test with jax_enable_x64 on, and restores it afterwards."""
    assert not mlax.config.jax_enable_x64
    mlax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        mlax.config.update("jax_enable_x64", False)
