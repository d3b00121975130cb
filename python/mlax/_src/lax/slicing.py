"""Slicing: static slices and dynamic (traced-index) slices and updates."""

import builtins
import operator

from ..core import (
    Primitive,
    aval_of,
    dtypes,
    i64_array_attr,
    user_error,
)
from .common import _as_operand, _check_same_dtypes
from .elementwise import add, lt, select
from .shape import squeeze


def _slice_eval(x, start_indices, limit_indices, strides):
    if not (len(start_indices) == len(limit_indices) == len(strides) == x.ndim):
        raise user_error(
            TypeError,
            f"slice start_indices, limit_indices and strides must have length equal "
            f"to the operand ndim; got {start_indices}, {limit_indices}, {strides} "
            f"for operand shape {x.shape}.",
        )
    shape = []
    for d, s, l, st in zip(x.shape, start_indices, limit_indices, strides):
        if not 0 <= s <= l <= d:
            raise user_error(
                TypeError,
                f"slice indices must satisfy 0 <= start <= limit <= shape; got "
                f"start_indices {start_indices}, limit_indices {limit_indices} for "
                f"operand shape {x.shape}.",
            )
        if st < 1:
            raise user_error(ValueError, f"slice strides must be positive, got {strides}")
        shape.append(-(-(l - s) // st))
    return x.update(shape=tuple(shape))


slice_p = Primitive(
    "slice",
    _slice_eval,
    lambda start_indices, limit_indices, strides: {
        "start_indices": i64_array_attr(start_indices),
        "limit_indices": i64_array_attr(limit_indices),
        "strides": i64_array_attr(strides),
    },
)


def slice(operand, start_indices, limit_indices, strides=None):
    operand = _as_operand(operand)
    start_indices = tuple(operator.index(i) for i in start_indices)
    limit_indices = tuple(operator.index(i) for i in limit_indices)
    strides = (
        tuple(operator.index(i) for i in strides)
        if strides is not None
        else (1,) * len(start_indices)
    )
    shape = aval_of(operand).shape
    if (
        start_indices == (0,) * len(shape)
        and limit_indices == shape
        and strides == (1,) * len(shape)
    ):
        return operand
    return slice_p.bind(
        operand, start_indices=start_indices, limit_indices=limit_indices, strides=strides
    )


def slice_in_dim(operand, start_index, limit_index, stride=1, axis=0):
    """slice along one axis (every other axis whole), as jax.lax.slice_in_dim
    with non-negative, in-range bounds."""
    shape = aval_of(operand).shape
    starts, limits, strides = [0] * len(shape), list(shape), [1] * len(shape)
    starts[axis], limits[axis], strides[axis] = start_index, limit_index, stride
    return slice(operand, starts, limits, strides)


def _index_operands(name, start_indices, ndim, shape=None):
    if len(start_indices) != ndim:
        raise user_error(
            TypeError,
            f"{name}: length of start_indices ({len(start_indices)}) must equal the "
            f"operand ndim ({ndim})",
        )
    out = []
    for i in start_indices:
        i = _as_operand(i)
        a = aval_of(i)
        if a.shape != () or not dtypes.is_int(a.dtype):
            raise user_error(
                TypeError, f"{name}: start indices must be integer scalars, got {a.str_short()}"
            )
        if shape is not None and not dtypes.is_unsigned(a.dtype):
            # Negative starts count from the end, as in JAX (the op then clamps).
            i = select(lt(i, 0), add(i, int(d)), i) if (d := shape[len(out)]) else i
        out.append(i)
    return out


def _dynamic_slice_eval(x, *starts, slice_sizes):
    if len(slice_sizes) != x.ndim:
        raise user_error(
            TypeError,
            f"dynamic_slice slice_sizes must have the same length as "
            f"operand ndim, got {slice_sizes} for shape {x.shape}",
        )
    for s, d in zip(slice_sizes, x.shape):
        if not 0 <= s <= d:
            raise user_error(
                TypeError,
                f"slice slice_sizes must be less than or equal to "
                f"operand shape, got slice_sizes {slice_sizes} for "
                f"operand shape {x.shape}.",
            )
    return x.update(shape=slice_sizes)


dynamic_slice_p = Primitive(
    "dynamic_slice",
    _dynamic_slice_eval,
    lambda slice_sizes: {"slice_sizes": i64_array_attr(slice_sizes)},
)


def dynamic_slice(operand, start_indices, slice_sizes):
    operand = _as_operand(operand)
    starts = _index_operands(
        "dynamic_slice", list(start_indices), aval_of(operand).ndim, aval_of(operand).shape
    )
    return dynamic_slice_p.bind(
        operand, *starts, slice_sizes=tuple(operator.index(s) for s in slice_sizes)
    )


def _dynamic_update_slice_eval(x, update, *starts):
    _check_same_dtypes("dynamic_update_slice", x, update)
    if update.ndim != x.ndim or builtins.any(u > d for u, d in zip(update.shape, x.shape)):
        raise user_error(
            TypeError,
            f"dynamic_update_slice update shape must be smaller than operand shape, "
            f"got update shape {update.shape} for operand shape {x.shape}.",
        )
    return x


dynamic_update_slice_p = Primitive("dynamic_update_slice", _dynamic_update_slice_eval)


def dynamic_update_slice(operand, update, start_indices):
    operand = _as_operand(operand)
    update = _as_operand(update, aval_of(operand).dtype)
    starts = _index_operands(
        "dynamic_update_slice", list(start_indices), aval_of(operand).ndim, aval_of(operand).shape
    )
    return dynamic_update_slice_p.bind(operand, update, *starts)


def dynamic_index_in_dim(operand, index, axis=0, keepdims=True):
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    starts = [0] * len(shape)
    starts[axis] = index
    sizes = list(shape)
    sizes[axis] = 1
    out = dynamic_slice(operand, starts, sizes)
    return out if keepdims else squeeze(out, (axis,))
