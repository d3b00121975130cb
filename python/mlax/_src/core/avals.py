"""Abstract values: shape, dtype and weak type (JAX's ShapedArray)."""

import math

import numpy as np

from . import dtypes
from .source_info import user_error


class ShapedArray:
    """Shape, dtype and weak-type flag of an array (JAX's aval)."""

    __slots__ = ("_hash", "dtype", "shape", "weak_type")

    def __init__(self, shape, dtype, weak_type=False):
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)
        self._hash = hash((self.shape, self.dtype, self.weak_type))

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    def __eq__(self, other):
        return (
            isinstance(other, ShapedArray)
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.weak_type == other.weak_type
        )

    def __hash__(self):
        return self._hash

    def update(self, shape=None, dtype=None, weak_type=None):
        return ShapedArray(
            self.shape if shape is None else shape,
            self.dtype if dtype is None else dtype,
            self.weak_type if weak_type is None else weak_type,
        )

    def str_short(self):
        name = _SHORT_NAMES.get(self.dtype, str(self.dtype))
        return f"{name}[{','.join(map(str, self.shape))}]"

    def str_long(self):
        """float32[2,3] (JAX's form in messages such as a deleted array's)."""
        return f"{self.dtype.name}[{','.join(map(str, self.shape))}]"

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_long()}{weak})"

    def __str__(self):
        # JAX's: float32[2,3], with a ~ for a weak type
        return ("~" if self.weak_type else "") + self.str_long()


class ShapeDtypeStruct:
    """jax.ShapeDtypeStruct: an array's shape and dtype, without data (for
    lower / export / eval_shape)."""

    __slots__ = ("dtype", "shape", "sharding", "weak_type")

    def __init__(self, shape, dtype, *, sharding=None, weak_type=False):
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.sharding = sharding
        self.weak_type = bool(weak_type)

    @property
    def aval(self):
        return ShapedArray(self.shape, dtypes.canonicalize_dtype(self.dtype), self.weak_type)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __eq__(self, other):
        return isinstance(other, ShapeDtypeStruct) and (
            self.shape,
            self.dtype,
            self.sharding,
            self.weak_type,
        ) == (other.shape, other.dtype, other.sharding, other.weak_type)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.weak_type))

    def __repr__(self):
        sharding = f", sharding={self.sharding}" if self.sharding is not None else ""
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name}{sharding}{weak})"


_SHORT_NAMES = {
    dtypes.bool_: "bool",
    dtypes.int8: "i8",
    dtypes.int16: "i16",
    dtypes.int32: "i32",
    dtypes.int64: "i64",
    dtypes.uint8: "u8",
    dtypes.uint16: "u16",
    dtypes.uint32: "u32",
    dtypes.uint64: "u64",
    dtypes.float16: "f16",
    dtypes.bfloat16: "bf16",
    dtypes.float32: "f32",
    dtypes.float64: "f64",
    dtypes.complex64: "c64",
    dtypes.complex128: "c128",
}


def shape_str(*avals_or_shapes):
    return ", ".join(str(tuple(getattr(a, "shape", a))) for a in avals_or_shapes)


_SCALAR_AVALS = {}


def aval_of(x):
    aval = getattr(x, "aval", None)
    if aval is not None:
        return aval
    t = type(x)
    if t is float or t is int or t is bool or t is complex:
        key = (t, dtypes.config.x64)
        aval = _SCALAR_AVALS.get(key)
        if aval is None:
            dt, weak = dtypes.dtype_and_weak(x)
            aval = _SCALAR_AVALS[key] = ShapedArray((), dt, weak)
        return aval
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        dt, weak = dtypes.dtype_and_weak(x)
        key = (type(x), np.shape(x), dt, weak)
        aval = _SCALAR_AVALS.get(key)
        if aval is None:
            aval = _SCALAR_AVALS[key] = ShapedArray(np.shape(x), dt, weak)
        return aval
    if isinstance(x, (list, tuple)):
        raise user_error(
            TypeError,
            f"mlax functions do not accept {type(x).__name__}s as array arguments; "
            f"use mlax.numpy.asarray first (got {x!r})",
        )
    raise user_error(TypeError, f"Value {x!r} of type {type(x)} is not a valid mlax type")
