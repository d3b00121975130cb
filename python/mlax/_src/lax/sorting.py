"""Sorting: the mlax.sort and mlax.top_k primitives under their jax.lax
names (lax.sort, lax.sort_key_val, lax.top_k). The sort is stable, in JAX's
order (NaN last, -0.0 equal to 0.0); docs/indexing.md.
"""

import operator

import numpy as np

from ..core import Primitive, aval_of, dtypes, i64_attr, user_error
from . import shape
from .common import _as_operand, _canon_axes


def _sort_eval(*operands, dimension, num_keys):
    shapes = {x.shape for x in operands}
    if len(shapes) > 1:
        raise user_error(
            TypeError,
            "Arguments to sort must have equal shapes, got: "
            + " ".join(str(x.shape) for x in operands),
        )
    return [x.update() for x in operands]


def _sort_attrs(dimension, num_keys):
    return {"dimension": i64_attr(dimension), "num_keys": i64_attr(num_keys)}


sort_p = Primitive("sort", _sort_eval, _sort_attrs, multiple_results=True)


def sort(operand, dimension=-1, is_stable=True, num_keys=1):
    """Like jax.lax.sort: one array, or a sequence sorted together by its
    first `num_keys` (lexicographically). Always stable."""
    single = not isinstance(operand, (list, tuple))
    operands = [_as_operand(x) for x in ([operand] if single else operand)]
    if not operands:
        raise user_error(TypeError, "sort requires at least one operand")
    num_keys = operator.index(num_keys)
    if single and num_keys != 1:
        raise user_error(ValueError, f"num_keys={num_keys} must equal 1 for a single operand.")
    if not 1 <= num_keys <= len(operands):
        raise user_error(
            ValueError, f"num_keys={num_keys} must be between 1 and len(operand)={len(operands)}"
        )
    avals = [aval_of(x) for x in operands]
    if any(dtypes.is_complex(a.dtype) for a in avals):
        out = _sort_complex_parts(operands, dimension, num_keys)
        return out[0] if single else out
    _sort_eval(*avals, dimension=0, num_keys=num_keys)
    (dim,) = _canon_axes("sort", (operator.index(dimension),), avals[0].ndim)
    if avals[0].ndim == 0:
        raise user_error(ValueError, f"axis {dimension} is out of bounds for array of dimension 0")
    out = sort_p.bind(*operands, dimension=dim, num_keys=num_keys)
    return out[0] if single else tuple(out)


def _sort_complex_parts(operands, dimension, num_keys):
    """A sort with complex operands: each is sorted as its (real, imag) parts,
    a complex key being two keys (JAX's lexicographic order)."""
    from .elementwise import complex as complex_
    from .elementwise import imag, real

    parts, keys = [], 0
    for i, x in enumerate(operands):
        split = dtypes.is_complex(aval_of(x).dtype)
        parts += [real(x), imag(x)] if split else [x]
        if i < num_keys:
            keys += 2 if split else 1
    sorted_parts = list(sort(tuple(parts), dimension=dimension, num_keys=keys))
    out = []
    for x in operands:
        if dtypes.is_complex(aval_of(x).dtype):
            out.append(complex_(sorted_parts.pop(0), sorted_parts.pop(0)))
        else:
            out.append(sorted_parts.pop(0))
    return tuple(out)


def sort_key_val(keys, values, dimension=-1, is_stable=True):
    """Like jax.lax.sort_key_val: `values` reordered as `keys` sort."""
    k, v = sort((keys, values), dimension=dimension, is_stable=is_stable, num_keys=1)
    return k, v


def _top_k_eval(operand, *, k):
    out_shape = operand.shape[:-1] + (k,)
    return [operand.update(shape=out_shape), operand.update(shape=out_shape, dtype=np.int32)]


top_k_p = Primitive("top_k", _top_k_eval, lambda k: {"k": i64_attr(k)}, multiple_results=True)


def top_k(operand, k, *, axis=-1):
    """Like jax.lax.top_k: the k largest entries along `axis` (descending,
    ties in index order, NaN largest) and their int32 positions."""
    operand = _as_operand(operand)
    ndim = aval_of(operand).ndim
    if ndim == 0:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension 0")
    (axis,) = _canon_axes("top_k", (operator.index(axis),), ndim)
    k = operator.index(k)
    if k < 0:
        raise user_error(ValueError, f"k argument to top_k must be nonnegative, got {k}")
    size = aval_of(operand).shape[axis]
    if k > size:
        raise user_error(
            ValueError,
            "k argument to top_k must be no larger than size along axis; "
            f"got k={k} with shape={list(aval_of(operand).shape)} and axis={axis}",
        )
    # The op works on the last dimension: swap `axis` there and back.
    perm = list(range(ndim))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    if axis != ndim - 1:
        operand = shape.transpose(operand, perm)
    if 0 < k and k * k * 16 <= size and size >= 1024:
        values, indices = _chunked_top_k(operand, k)
    else:
        values, indices = top_k_p.bind(operand, k=k)
    if axis != ndim - 1:
        values, indices = shape.transpose(values, perm), shape.transpose(indices, perm)
    return [values, indices]


# ---------------------------------------------------------------------------
# Long rows, small k: chunk maxima first
# ---------------------------------------------------------------------------
#
# IREE's topk costs O(n k) per row. For k << n: split each row into chunks
# of C, take the k chunks with the largest maxima (only they can hold a
# top-k element: the k-th largest chunk maximum bounds the k-th largest
# element from below), and run top_k over their k * C elements, in index
# order so that ties still go to the lower index. Keys are integers that
# order as XLA's TopK (floats by their total-order bits), so NaNs and
# signed zeros rank exactly as the op ranks them.


def _order_keys(x):
    from .elementwise import (
        bitcast_convert_type,
        bitwise_and,
        bitwise_xor,
        convert_element_type,
        full_like,
        shift_right_arithmetic,
    )

    dtype = np.dtype(aval_of(x).dtype)
    if dtype == np.bool_:
        return convert_element_type(x, np.uint8)
    if dtype.kind in "iu":
        return x
    width = dtype.itemsize * 8
    bits = bitcast_convert_type(x, np.dtype(f"int{width}"))
    sign = shift_right_arithmetic(bits, full_like(bits, width - 1))
    return bitwise_xor(bits, bitwise_and(sign, full_like(bits, 2 ** (width - 1) - 1)))


def _take_last(x, idx):
    """x[..., idx] along the last axis (idx: [..., m], same leading dims)."""
    from .elementwise import broadcasted_iota, convert_element_type
    from .indexing import gather_points

    lead = aval_of(idx).shape[:-1]
    m = aval_of(idx).shape[-1]
    cols = [
        shape.reshape(broadcasted_iota(np.int32, lead + (m,), d), lead + (m, 1))
        for d in range(len(lead))
    ]
    cols.append(shape.reshape(convert_element_type(idx, np.int32), lead + (m, 1)))
    points = shape.concatenate(cols, len(lead) + 1) if len(cols) > 1 else cols[0]
    return gather_points(x, points, tuple(range(len(lead) + 1)), mode="clip")


def _chunk_size(n, k):
    target = max(8, round((n / k) ** 0.5))
    for delta in range(target // 2 + 1):
        for c in (target + delta, target - delta):
            if c > 1 and n % c == 0:
                return c
    return target


def _chunked_top_k(x, k):
    from .elementwise import add, broadcasted_iota, full, mul
    from .reductions import reduce_max

    lead = aval_of(x).shape[:-1]
    n = aval_of(x).shape[-1]
    c = _chunk_size(n, k)
    keys = _order_keys(x)
    pad = (-n) % c
    if pad:
        # The smallest key, after every real element: never picked first.
        low = np.iinfo(np.dtype(aval_of(keys).dtype)).min
        keys = shape.concatenate([keys, full(lead + (pad,), low, aval_of(keys).dtype)], len(lead))
    chunks = (n + pad) // c
    blocks = shape.reshape(keys, lead + (chunks, c))
    maxima = reduce_max(blocks, (len(lead) + 1,))
    k1 = min(k, chunks)
    _, best = top_k_p.bind(maxima, k=k1)
    best = sort(best, dimension=len(lead))  # index order keeps ties stable
    starts = mul(best, full(aval_of(best).shape, c, np.int32))
    positions = add(
        shape.broadcast_in_dim(starts, lead + (k1, c), tuple(range(len(lead) + 1))),
        broadcasted_iota(np.int32, lead + (k1, c), len(lead) + 1),
    )
    positions = shape.reshape(positions, lead + (k1 * c,))
    candidates = _take_last(keys, positions)
    _, local = top_k_p.bind(candidates, k=k)
    indices = _take_last(positions, local)
    return _take_last(x, indices), indices
