"""The public `mlax.dtypes` names, as jax.dtypes has them."""

import ml_dtypes
import numpy as np

from . import dtypes

# The dtype of the tangent of an integer or boolean input (JAX's float0:
# a zero-size void, so such tangents carry no data).
float0 = np.dtype([("float0", np.void, 0)])

# jax.dtypes.bfloat16 is the scalar type, like np.float32.
bfloat16 = ml_dtypes.bfloat16

finfo = dtypes.finfo
iinfo = dtypes.iinfo
issubdtype = dtypes.issubdtype


TypePromotionError = dtypes.TypePromotionError


class extended(np.generic):
    """Scalar type of extended dtypes (PRNG keys); no mlax dtype is one."""


class prng_key(extended):
    pass


def canonicalize_dtype(dtype, allow_extended_dtype=False):
    """The dtype arrays of `dtype` get (64-bit narrows to 32 without x64)."""
    dt = np.dtype(dtype)
    if dt == float0:
        return dt
    return dtypes.canonicalize_dtype(dt)


def result_type(*args, return_weak_type_flag=False):
    return dtypes.result_type(*args, return_weak_type_flag=return_weak_type_flag)


def scalar_type_of(x):
    """The Python scalar type (bool, int, float, complex) for `x`'s dtype."""
    dt = dtypes.dtype_and_weak(x)[0] if not isinstance(x, np.dtype) else x
    if dtypes.is_bool(dt):
        return bool
    if dtypes.is_int(dt):
        return int
    if dtypes.is_float(dt):
        return float
    if np.dtype(dt).kind == "c":
        return complex
    raise TypeError(f"Invalid scalar value {x}")


def itemsize_bits(dtype):
    if dtype is None:
        raise ValueError("dtype cannot be None.")
    return np.dtype(dtype).itemsize * 8


__all__ = [
    "TypePromotionError",
    "bfloat16",
    "canonicalize_dtype",
    "extended",
    "finfo",
    "float0",
    "iinfo",
    "issubdtype",
    "itemsize_bits",
    "prng_key",
    "result_type",
    "scalar_type_of",
]
