"""The random-bit generator: threefry2x32, elementwise over (key, counter)
pairs, and the 64-bit counters JAX feeds it (iota_2x32_shape).

Everything else in mlax.random (split, fold_in, bits, the samplers) is
built on these two in `mlax._src.random`, as JAX builds it on its
threefry2x32_p and iota_2x32_shape_p.
"""

import math

import numpy as np

from ..core import Primitive, ShapedArray, aval_of, dtypes, user_error
from .common import _as_operand
from .elementwise import add, broadcasted_iota, mul
from .shape import broadcast_in_dim


def _threefry2x32_eval(k0, k1, hi, lo):
    for a in (k0, k1, hi, lo):
        if a.dtype != dtypes.uint32:
            raise user_error(
                TypeError,
                f"Arguments to threefry2x32 must have uint32 type, got "
                f"{[x.dtype.name for x in (k0, k1, hi, lo)]}",
            )
    if not k0.shape == k1.shape == hi.shape == lo.shape:
        raise user_error(
            TypeError,
            f"threefry2x32 operands must have one shape, got {[x.shape for x in (k0, k1, hi, lo)]}",
        )
    out = ShapedArray(hi.shape, dtypes.uint32)
    return [out, out]


threefry2x32_p = Primitive("threefry2x32", _threefry2x32_eval, multiple_results=True)


def threefry2x32(key0, key1, count_hi, count_lo):
    """(bits0, bits1): Threefry-2x32 of the 64-bit counters (count_hi,
    count_lo) under the key (key0, key1); operands broadcast (NumPy rules)."""
    ops = [_as_operand(x) for x in (key0, key1, count_hi, count_lo)]
    shapes = [aval_of(x).shape for x in ops]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise user_error(
            TypeError, f"threefry2x32 got incompatible shapes for broadcasting: {shapes}"
        ) from None
    ops = [
        x if aval_of(x).shape == shape else broadcast_in_dim(x, shape, _trailing(x, shape))
        for x in ops
    ]
    return tuple(threefry2x32_p.bind(*ops))


def _trailing(x, shape):
    ndim = aval_of(x).ndim
    return tuple(range(len(shape) - ndim, len(shape)))


def iota_2x32_shape(shape):
    """(hi, lo): the row-major flat index of each element of `shape` as a
    64-bit counter split in two uint32 arrays (JAX's iota_2x32_shape). Each
    element's counter is the sum of per-dimension iotas times strides, so
    the bits of element i depend only on i (what makes the generator
    partitionable)."""
    shape = tuple(shape)
    size = math.prod(shape)
    if size > 2**32:
        raise user_error(
            NotImplementedError,
            f"random bits for {size} elements (more than 2**32) are not supported yet",
        )
    if not shape:
        zero = _as_operand(np.uint32(0))
        return zero, zero
    lo = None
    stride = 1
    for d in reversed(range(len(shape))):
        term = broadcasted_iota(dtypes.uint32, shape, d)
        if stride != 1:
            term = mul(term, broadcast_in_dim(_as_operand(np.uint32(stride)), shape, ()))
        lo = term if lo is None else add(lo, term)
        stride *= shape[d]
    hi = broadcast_in_dim(_as_operand(np.uint32(0)), shape, ())
    return hi, lo


__all__ = ["iota_2x32_shape", "threefry2x32", "threefry2x32_p"]
