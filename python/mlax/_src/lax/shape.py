"""Shape ops: broadcast_in_dim, reshape, squeeze, expand_dims, transpose,
rev, concatenate, pad."""

import builtins
import operator

import numpy as np

from ..core import (
    Primitive,
    aval_of,
    i64_array_attr,
    i64_attr,
    user_error,
)
from .common import _as_operand, _canon_axes, _check_same_dtypes

# ---------------------------------------------------------------------------
# Shape ops
# ---------------------------------------------------------------------------


def _broadcast_in_dim_eval(x, shape, broadcast_dimensions):
    if len(broadcast_dimensions) != x.ndim:
        raise user_error(
            TypeError,
            f"broadcast_in_dim broadcast_dimensions must have length equal to operand "
            f"ndim; got broadcast_dimensions {broadcast_dimensions} for operand ndim "
            f"{x.ndim}.",
        )
    for i, d in enumerate(broadcast_dimensions):
        if not 0 <= d < len(shape):
            raise user_error(
                TypeError,
                f"broadcast_in_dim broadcast_dimensions must be in range; got "
                f"{broadcast_dimensions} for shape {shape}.",
            )
        if x.shape[i] != 1 and x.shape[i] != shape[d]:
            raise user_error(
                TypeError,
                f"broadcast_in_dim operand dimension sizes must either be 1, or be "
                f"equal to their corresponding dimensions in the target broadcast "
                f"shape; got operand of shape {x.shape}, target broadcast shape "
                f"{shape}, broadcast_dimensions {broadcast_dimensions}",
            )
    if list(broadcast_dimensions) != sorted(set(broadcast_dimensions)):
        raise user_error(
            TypeError,
            f"broadcast_in_dim broadcast_dimensions must be strictly increasing; got "
            f"broadcast_dimensions {broadcast_dimensions}",
        )
    return x.update(shape=shape)


broadcast_in_dim_p = Primitive(
    "broadcast_in_dim",
    _broadcast_in_dim_eval,
    lambda shape, broadcast_dimensions: {
        "broadcast_dimensions": i64_array_attr(broadcast_dimensions)
    },
)


def broadcast_in_dim(operand, shape, broadcast_dimensions):
    operand = _as_operand(operand)
    shape = tuple(operator.index(d) for d in shape)
    broadcast_dimensions = tuple(operator.index(d) for d in broadcast_dimensions)
    if aval_of(operand).shape == shape and broadcast_dimensions == tuple(range(len(shape))):
        return operand
    return broadcast_in_dim_p.bind(operand, shape=shape, broadcast_dimensions=broadcast_dimensions)


def broadcast(operand, sizes):
    operand = _as_operand(operand)
    nd = aval_of(operand).ndim
    sizes = tuple(sizes)
    return broadcast_in_dim(
        operand, sizes + aval_of(operand).shape, tuple(range(len(sizes), len(sizes) + nd))
    )


def _reshape_eval(x, new_sizes):
    if int(np.prod(new_sizes, dtype=np.int64)) != x.size:
        raise user_error(
            TypeError,
            f"reshape total size must be unchanged, got new_sizes {new_sizes} (size "
            f"{int(np.prod(new_sizes, dtype=np.int64))}) for shape {x.shape} "
            f"(size {x.size}).",
        )
    return x.update(shape=new_sizes)


reshape_p = Primitive("reshape", _reshape_eval)


def reshape(operand, new_sizes, dimensions=None):
    operand = _as_operand(operand)
    new_sizes = tuple(operator.index(d) for d in new_sizes)
    if dimensions is not None and tuple(dimensions) != tuple(range(len(dimensions))):
        operand = transpose(operand, dimensions)
    if aval_of(operand).shape == new_sizes:
        return operand
    return reshape_p.bind(operand, new_sizes=new_sizes)


def squeeze(array, dimensions):
    array = _as_operand(array)
    shape = aval_of(array).shape
    dims = _canon_axes("squeeze", dimensions, len(shape))
    for d in dims:
        if shape[d] != 1:
            raise user_error(
                ValueError,
                f"cannot select an axis to squeeze out which has size not equal to "
                f"one, got shape={shape} and dimensions={tuple(dimensions)}",
            )
    return reshape(array, tuple(s for i, s in enumerate(shape) if i not in dims))


def expand_dims(array, dimensions):
    array = _as_operand(array)
    shape = list(aval_of(array).shape)
    ndim_out = len(shape) + len(dimensions)
    dims = sorted(_canon_axes("expand_dims", dimensions, ndim_out))
    for d in dims:
        shape.insert(d, 1)
    return reshape(array, tuple(shape))


def _transpose_eval(x, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise user_error(
            TypeError,
            f"transpose permutation isn't a permutation of operand dimensions, got "
            f"permutation {permutation} for operand shape {x.shape}.",
        )
    return x.update(shape=tuple(x.shape[p] for p in permutation))


transpose_p = Primitive(
    "transpose", _transpose_eval, lambda permutation: {"permutation": i64_array_attr(permutation)}
)


def transpose(operand, permutation):
    operand = _as_operand(operand)
    permutation = tuple(operator.index(p) for p in permutation)
    if permutation == tuple(range(len(permutation))) and len(permutation) == aval_of(operand).ndim:
        return operand
    return transpose_p.bind(operand, permutation=permutation)


def _rev_eval(x, dimensions):
    _canon_axes("rev", dimensions, x.ndim)
    if builtins.any(d < 0 for d in dimensions):
        raise user_error(ValueError, f"rev dimensions must be non-negative, got {dimensions}")
    return x


rev_p = Primitive("rev", _rev_eval, lambda dimensions: {"dimensions": i64_array_attr(dimensions)})


def rev(operand, dimensions):
    return rev_p.bind(_as_operand(operand), dimensions=tuple(dimensions))


def _concatenate_eval(*xs, dimension):
    if not xs:
        raise user_error(ValueError, "concatenate requires at least one operand")
    _check_same_dtypes("concatenate", *xs)
    ndim = xs[0].ndim
    if not 0 <= dimension < ndim:
        raise user_error(
            ValueError,
            f"concatenate dimension out of bounds: dimension {dimension} for shapes "
            f"{', '.join(str(x.shape) for x in xs)}.",
        )
    for x in xs:
        if x.ndim != ndim or builtins.any(
            a != b for i, (a, b) in enumerate(zip(x.shape, xs[0].shape)) if i != dimension
        ):
            raise user_error(
                TypeError,
                f"Cannot concatenate arrays with shapes that differ in dimensions "
                f"other than the one being concatenated: concatenating along "
                f"dimension {dimension} for shapes "
                f"{', '.join(str(x.shape) for x in xs)}.",
            )
    shape = list(xs[0].shape)
    shape[dimension] = builtins.sum(x.shape[dimension] for x in xs)
    return xs[0].update(shape=tuple(shape), weak_type=builtins.all(x.weak_type for x in xs))


concatenate_p = Primitive(
    "concatenate", _concatenate_eval, lambda dimension: {"dimension": i64_attr(dimension)}
)


def concatenate(operands, dimension):
    operands = [_as_operand(x) for x in operands]
    if len(operands) == 1:
        return operands[0]
    dimension = operator.index(dimension)
    avals = [aval_of(x) for x in operands]
    if any(0 <= dimension < a.ndim and a.shape[dimension] == 0 for a in avals):
        # Operands with no rows along `dimension` add nothing (IREE rejects
        # them in a concatenation); the checks run on all of them first.
        out = _concatenate_eval(*avals, dimension=dimension)
        kept = [x for x, a in zip(operands, avals) if a.shape[dimension] != 0]
        if len(kept) == 1 and aval_of(kept[0]).weak_type == out.weak_type:
            return kept[0]
        if 1 < len(kept):
            operands = kept
    return concatenate_p.bind(*operands, dimension=dimension)


def _pad_eval(x, padding_value, padding_config):
    _check_same_dtypes("pad", x, padding_value)
    if padding_value.shape != ():
        raise user_error(
            TypeError, f"pad padding_value must be a scalar, got shape {padding_value.shape}"
        )
    if len(padding_config) != x.ndim:
        raise user_error(
            ValueError,
            f"length of padding_config must equal the number of axes of operand, "
            f"got padding_config {padding_config} for operand shape {x.shape}",
        )
    shape = []
    for d, (lo, hi, interior) in zip(x.shape, padding_config):
        if interior < 0:
            raise user_error(
                ValueError,
                f"interior padding in padding_config must be "
                f"nonnegative, got padding_config {padding_config}",
            )
        size = lo + hi + d + builtins.max(d - 1, 0) * interior
        if size < 0:
            raise user_error(
                ValueError,
                f"Dimension size after padding is not at least 0, got "
                f"result shape for padding_config {padding_config} "
                f"and operand shape {x.shape}",
            )
        shape.append(size)
    # As JAX: weak only when the padding value is weak too.
    return x.update(shape=tuple(shape), weak_type=x.weak_type and padding_value.weak_type)


pad_p = Primitive(
    "pad",
    _pad_eval,
    lambda padding_config: {
        "edge_padding_low": i64_array_attr([c[0] for c in padding_config]),
        "edge_padding_high": i64_array_attr([c[1] for c in padding_config]),
        "interior_padding": i64_array_attr([c[2] for c in padding_config]),
    },
)


def pad(operand, padding_value, padding_config):
    operand = _as_operand(operand)
    # Python scalars take the operand's dtype; arrays must already match.
    if isinstance(padding_value, (bool, int, float, complex)):
        padding_value = _as_operand(padding_value, aval_of(operand).dtype, weak=True)
    else:
        padding_value = _as_operand(padding_value)
    config = tuple(tuple(operator.index(v) for v in c) for c in padding_config)
    return pad_p.bind(operand, padding_value, padding_config=config)
