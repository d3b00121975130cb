"""Sorting and set-like functions on lax.sort / lax.top_k: sort, argsort,
lexsort, partition, argpartition and the unique family, as JAX defines
them (stable sorts; `descending`; partition through top_k; unique with
`size=`/`fill_value=` under jit, concrete input otherwise).
"""

import operator
from typing import NamedTuple

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..lax.indexing import scatter_points
from ..runtime.array import Array
from .advanced_indexing import _canonical_axis, take, update
from .selection import _concrete, nonzero
from .util import asarray


def _index_dtype():
    return dtypes.default_int()


def _no_kind_or_order(name, kind, order):
    if kind is not None:
        raise user_error(
            TypeError,
            f"'kind' argument to {name} is not supported. Use stable=True or stable=False "
            "to specify sort stability.",
        )
    if order is not None:
        raise user_error(TypeError, f"'order' argument to {name} is not supported.")


def _flat_or_axis(name, a, axis):
    if axis is None:
        return lax.reshape(a, (aval_of(a).size,)), 0
    ndim = aval_of(a).ndim
    if ndim == 0:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension 0")
    return a, _canonical_axis(name, operator.index(axis), ndim)


def sort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    """Like jnp.sort (NaNs last; descending reverses the ascending sort)."""
    _no_kind_or_order("sort", kind, order)
    a, axis = _flat_or_axis("sort", asarray(a), axis)
    out = lax.sort(a, dimension=axis, is_stable=stable)
    return lax.rev(out, (axis,)) if descending else out


def argsort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False, dtype=None):
    """Like jnp.argsort: stable; descending keeps equal elements in their
    original order when stable (JAX's reversal trick)."""
    _no_kind_or_order("argsort", kind, order)
    a, axis = _flat_or_axis("argsort", asarray(a), axis)
    idx_dtype = np.dtype(dtype) if dtype is not None else _index_dtype()
    iota = lax.broadcasted_iota(idx_dtype, aval_of(a).shape, axis)
    if descending and stable:
        a, iota = lax.rev(a, (axis,)), lax.rev(iota, (axis,))
    _, indices = lax.sort_key_val(a, iota, dimension=axis)
    return lax.rev(indices, (axis,)) if descending else indices


def lexsort(keys, axis=-1):
    """Like jnp.lexsort: the last key is the primary one."""
    keys = tuple(asarray(k) for k in keys)
    if not keys:
        raise user_error(TypeError, "need sequence of keys with len > 0 in lexsort")
    if len({aval_of(k).shape for k in keys}) > 1:
        raise user_error(ValueError, "all keys need to be the same shape")
    shape = aval_of(keys[0]).shape
    if len(shape) == 0:
        return lax.full((), 0, _index_dtype())
    axis = _canonical_axis("lexsort", operator.index(axis), len(shape))
    iota = lax.broadcasted_iota(_index_dtype(), shape, axis)
    return lax.sort((*keys[::-1], iota), dimension=axis, num_keys=len(keys))[-1]


def _partition_setup(name, a, kth, axis):
    a = asarray(a)
    ndim = aval_of(a).ndim
    axis = _canonical_axis(name, operator.index(axis), ndim)
    n = aval_of(a).shape[axis]
    kth = operator.index(kth)
    if not -n <= kth < n:
        raise user_error(ValueError, f"kth {kth} is out of bounds for axis of size {n}")
    perm = list(range(ndim))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return lax.transpose(a, perm), kth % n, perm


def _negated_for_bottom(arr):
    """-arr, or -(arr + 1) for unsigned types (JAX's trick keeps 0 last)."""
    if dtypes.is_unsigned(aval_of(arr).dtype):
        return lax.neg(lax.add(arr, lax._scalar_like(arr, 1)))
    return lax.neg(arr)


def partition(a, kth, axis=-1):
    """Like jnp.partition: the kth+1 smallest (ascending), then the rest
    (descending), as JAX builds it from two top_k's."""
    arr, kth, perm = _partition_setup("partition", a, kth, axis)
    n = aval_of(arr).shape[-1]
    bottom = lax.neg(lax.top_k(_negated_for_bottom(arr), kth + 1)[0])
    if dtypes.is_unsigned(aval_of(arr).dtype):
        bottom = lax.sub(bottom, lax._scalar_like(bottom, 1))
    top = lax.top_k(arr, n - kth - 1)[0]
    out = lax.concatenate([bottom, top], aval_of(arr).ndim - 1)
    return lax.transpose(out, perm)


def argpartition(a, kth, axis=-1):
    """Like jnp.argpartition (JAX's proxy for the top part keeps duplicates
    apart)."""
    arr, kth, perm = _partition_setup("argpartition", a, kth, axis)
    shape = aval_of(arr).shape
    n = shape[-1]
    bottom_ind = lax.top_k(_negated_for_bottom(arr), kth + 1)[1]
    ones = lax.full(shape, 1.0, np.float32)
    # proxy[..., bottom_ind] = 0: the positions already taken sort last.
    rows = shape[:-1]
    points = [lax.broadcasted_iota(np.int32, rows + (kth + 1,), d) for d in range(len(rows))]
    points.append(bottom_ind)
    idx = lax.concatenate([lax.reshape(p, rows + (kth + 1, 1)) for p in points], len(rows) + 1)
    proxy = scatter_points(
        ones, idx, lax.full(rows + (kth + 1,), 0.0, np.float32), tuple(range(len(shape)))
    )
    top_ind = lax.top_k(proxy, n - kth - 1)[1]
    out = lax.concatenate([bottom_ind, top_ind], len(shape) - 1)
    return lax.transpose(out, perm)


# ---------------------------------------------------------------------------
# unique
# ---------------------------------------------------------------------------

_UNIQUE_HINT = (
    "to make jnp.unique() compatible with JIT and other transforms, you can specify a "
    "concrete value for the size argument, which will determine the output size."
)


def _sorted_mask(ar, equal_nan):
    """Rows of `ar` (axis 0) sorted lexicographically, the mask of first
    occurrences, and the permutation (JAX's _unique_sorted_mask)."""
    shape = aval_of(ar).shape
    size, rest = shape[0], int(np.prod(shape[1:], dtype=np.int64))
    if rest == 0:
        size = 1
        perm = lax.full((1,), 0, _index_dtype())
    else:
        cols = lax.transpose(lax.reshape(ar, (size, rest)), (1, 0))
        keys = [lax.reshape(lax.slice(cols, (i, 0), (i + 1, size)), (size,)) for i in range(rest)]
        iota = lax.broadcasted_iota(_index_dtype(), (size,), 0)
        perm = lax.sort((*keys, iota), dimension=0, num_keys=rest)[-1]
    aux = take(ar, perm, axis=0)
    if aval_of(aux).size:
        first, rest_rows = aux[1:], aux[:-1]
        neq = lax.ne(first, rest_rows)
        if equal_nan and dtypes.is_float(aval_of(aux).dtype):
            both = lax.bitwise_and(lax.ne(first, first), lax.ne(rest_rows, rest_rows))
            neq = lax.bitwise_and(neq, lax.bitwise_not(both))
        if aval_of(neq).ndim > 1:
            neq = lax.reduce_or(neq, tuple(range(1, aval_of(neq).ndim)))
        mask = lax.concatenate([lax.full((1,), True, np.bool_), neq], 0)
    else:
        mask = lax.full((size,), False, np.bool_)
    return aux, mask, perm


def _unique(ar, axis, return_index, return_inverse, return_counts, equal_nan, size, fill_value):
    ndim = aval_of(ar).ndim
    if aval_of(ar).shape[axis] == 0 and size and fill_value is None:
        raise user_error(
            ValueError,
            "jnp.unique: for zero-sized input with nonzero size argument, fill_value must "
            "be specified",
        )
    moved = lax.transpose(ar, [axis] + [d for d in range(ndim) if d != axis])
    aux, mask, perm = _sorted_mask(moved, equal_nan)
    n_mask = aval_of(mask).shape[0]
    if size is None:
        ind = asarray(np.nonzero(np.asarray(mask))[0].astype(_index_dtype()))
    else:
        ind = nonzero(mask, size=size)[0]
    result = take(aux, ind, axis=0) if aval_of(aux).size else aux
    if size is not None and fill_value is not None:
        fill = lax.convert_element_type(asarray(fill_value), aval_of(result).dtype)
        rshape = aval_of(result).shape
        if rshape[0]:
            count = lax.reduce_sum(lax.convert_element_type(mask, _index_dtype()), (0,))
            valid = lax.lt(lax.broadcasted_iota(_index_dtype(), (size,), 0), count)
            valid = lax.broadcast_in_dim(valid, rshape, (0,))
            result = lax.select(valid, result, lax.broadcast_in_dim(fill, rshape, ()))
        else:
            result = lax.broadcast_in_dim(fill, (size,) + rshape[1:], ())
    back = list(range(1, axis + 1)) + [0] + list(range(axis + 1, ndim))
    result = lax.transpose(result, back)
    ret = (result,)
    if return_index:
        ret += (take(perm, ind) if aval_of(aux).size else perm,)
    if return_inverse:
        if aval_of(aux).size:
            counts = lax.cumsum(lax.convert_element_type(mask, _index_dtype()))
            imask = lax.sub(counts, lax.full_like(counts, 1))
            inv = update(lax.full((n_mask,), 0, _index_dtype()), perm, imask, "replace")
        else:
            inv = lax.full((aval_of(ar).shape[axis],), 0, _index_dtype())
        ret += (inv,)
    if return_counts:
        if aval_of(aux).size:
            if size is None:
                idx = lax.concatenate([ind, lax.full((1,), n_mask, _index_dtype())], 0)
            else:
                idx = nonzero(mask, size=size + 1)[0]
                tail = idx[1:]
                tail = lax.select(
                    lax.ne(tail, lax.full_like(tail, 0)), tail, lax.full_like(tail, n_mask)
                )
                idx = lax.concatenate([idx[:1], tail], 0)
            ret += (lax.sub(idx[1:], idx[:-1]),)
        elif aval_of(ar).shape[axis]:
            ret += (lax.full((1,), aval_of(ar).shape[axis], _index_dtype()),)
        else:
            ret += (lax.full((0,), 0, _index_dtype()),)
    return ret[0] if len(ret) == 1 else ret


def unique(
    ar,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    *,
    equal_nan=True,
    size=None,
    fill_value=None,
    sorted=True,
):
    """Like jnp.unique: concrete input, or size= (and fill_value=) under jit."""
    arr = asarray(ar)
    if size is None:
        _concrete("unique", arr, _UNIQUE_HINT)
    else:
        size = operator.index(size)
    shape = aval_of(arr).shape
    if axis is None:
        arr = lax.reshape(arr, (aval_of(arr).size,))
        axis_int = 0
    else:
        axis_int = _canonical_axis("unique", operator.index(axis), len(shape))
    result = _unique(
        arr, axis_int, return_index, return_inverse, return_counts, equal_nan, size, fill_value
    )
    if return_inverse and axis is None:
        i = 2 if return_index else 1
        result = (*result[:i], lax.reshape(result[i], shape), *result[i + 1 :])
    return result


class _UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class _UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class _UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


def unique_all(x, *, size=None, fill_value=None):
    """Like jnp.unique_all (array API)."""
    values, indices, inverse, counts = unique(
        x,
        return_index=True,
        return_inverse=True,
        return_counts=True,
        equal_nan=False,
        size=size,
        fill_value=fill_value,
    )
    return _UniqueAllResult(values, indices, inverse, counts)


def unique_counts(x, *, size=None, fill_value=None):
    """Like jnp.unique_counts (array API)."""
    values, counts = unique(
        x, return_counts=True, equal_nan=False, size=size, fill_value=fill_value
    )
    return _UniqueCountsResult(values, counts)


def unique_inverse(x, *, size=None, fill_value=None):
    """Like jnp.unique_inverse (array API)."""
    values, inverse = unique(
        x, return_inverse=True, equal_nan=False, size=size, fill_value=fill_value
    )
    return _UniqueInverseResult(values, inverse)


def unique_values(x, *, size=None, fill_value=None):
    """Like jnp.unique_values (array API)."""
    return unique(x, equal_nan=False, size=size, fill_value=fill_value)


__all__ = [
    "argpartition",
    "argsort",
    "lexsort",
    "partition",
    "sort",
    "unique",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
]
