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

BF16 = np.dtype(ml_dtypes.bfloat16)
F16 = np.dtype(np.float16)
F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
I32 = np.dtype(np.int32)
U32 = np.dtype(np.uint32)
BOOL = np.dtype(np.bool_)

# (rtol, atol) by result dtype.
TOLERANCES = {
    F16: (1e-2, 1e-2),
    BF16: (2e-2, 2e-2),
    F32: (1e-5, 1e-6),
    F64: (1e-12, 1e-14),
}

_NARROW = {np.dtype(np.int64): I32, np.dtype(np.uint64): U32, F64: F32}


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
    mlax_value, numpy_value, dtype=None, *, rtol=None, atol=None, check_dtype=True, err_msg=""
):
    """Asserts an mlax result matches a NumPy reference.

    dtype: the result dtype JAX gives (float32 for default floats, int32 for
    default ints, bool for comparisons, ...). If omitted it is NumPy's result
    dtype canonicalized as JAX does (float64 -> float32, int64 -> int32).
    The value tolerance is chosen from `dtype`: exact for bool and integer
    results, ~1e-5 relative for float32, ~1e-2 for float16/bfloat16. NaNs
    compare equal to NaNs.
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
    default_rtol, default_atol = TOLERANCES.get(dtype, (1e-5, 1e-6))
    np.testing.assert_allclose(
        actual.astype(np.float64),
        expected.astype(np.float64),
        rtol=default_rtol if rtol is None else rtol,
        atol=default_atol if atol is None else atol,
        equal_nan=True,
        err_msg=err_msg,
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
