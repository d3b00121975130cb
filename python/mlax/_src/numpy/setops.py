"""Set operations on 1-D arrays: intersect1d, union1d, setdiff1d,
setxor1d, on sort and the unique machinery (sorting.py). Without `size=`
the inputs must be concrete (the result size depends on the values); with
`size=` they run under jit, padded with `fill_value` as JAX pads."""

import operator

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes
from .selection import nonzero
from .shape import concatenate, ravel
from .sorting import _UNIQUE_HINT, unique
from .util import _promote, asarray


def _index_dtype():
    return dtypes.default_int()


def _need_concrete(name, *arrays):
    for a in arrays:
        if isinstance(a, Tracer):
            from .selection import _concrete

            _concrete(name, a, _UNIQUE_HINT)


def _sorted_with_perm(a):
    """Stable sort of 1-D a with the permutation."""
    n = aval_of(a).shape[0]
    return lax.sort((a, lax.iota(_index_dtype(), n)), dimension=0, num_keys=1)


def _first_mask(s):
    """True at the first of each run of equal values of a sorted 1-D array."""
    n = aval_of(s).shape[0]
    if n == 0:
        return lax.full((0,), False, np.bool_)
    return lax.concatenate([lax.full((1,), True, np.bool_), lax.ne(s[1:], s[:-1])], 0)


def _member(x, y):
    """x[i] in y, for 1-D x and y (an all-pairs comparison)."""
    if aval_of(y).shape[0] == 0:
        return lax.full(aval_of(x).shape, False, np.bool_)
    return lax.reduce_or(lax.eq(x[:, None], y[None, :]), (1,))


def _compact(values, keep, size, fill_value):
    """values[keep] in order, the first `size` of them, padded with
    fill_value (default: the smallest kept value, as JAX)."""
    n = aval_of(values).shape[0]
    count = lax.reduce_sum(lax.convert_element_type(keep, _index_dtype()), (0,))
    if n == 0:
        fill = lax.convert_element_type(
            asarray(0 if fill_value is None else fill_value), aval_of(values).dtype
        )
        return lax.broadcast_in_dim(fill, (size,), ()), count, lax.full((size,), 0, _index_dtype())
    pos = nonzero(keep, size=size, fill_value=n)[0]
    vals = values.at[pos].get(mode="fill", fill_value=0)
    valid = lax.lt(lax.iota(_index_dtype(), size), lax.broadcast_in_dim(count, (size,), ()))
    if fill_value is None:
        vmax = lax.reduce_max(vals, (0,)) if size else None
        vals = lax.select(valid, vals, lax.broadcast_in_dim(vmax, (size,), ())) if size else vals
        vmin = lax.reduce_min(vals, (0,)) if size else None
        vals = lax.select(valid, vals, lax.broadcast_in_dim(vmin, (size,), ())) if size else vals
    else:
        fill = lax.convert_element_type(asarray(fill_value), aval_of(values).dtype)
        vals = lax.select(valid, vals, lax.broadcast_in_dim(fill, (size,), ()))
    return vals, count, pos


def _concrete_size(keep):
    return int(np.count_nonzero(np.asarray(keep)))


def _check_size(name, size):
    return None if size is None else operator.index(size)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False, *, size=None, fill_value=None):
    """Like jnp.intersect1d (indices of first occurrences; padded indices are
    out of bounds, as JAX pads them)."""
    size = _check_size("intersect1d", size)
    a1, a2 = _promote("intersect1d", ravel(asarray(ar1)), ravel(asarray(ar2)))
    if size is None:
        _need_concrete("intersect1d", a1, a2)
    n1, n2 = aval_of(a1).shape[0], aval_of(a2).shape[0]
    s1, p1 = _sorted_with_perm(a1)
    keep = lax.bitwise_and(_first_mask(s1), _member(s1, a2)) if n1 else _first_mask(s1)
    if size is None:
        size = _concrete_size(keep)
    vals, count, pos = _compact(s1, keep, size, fill_value)
    if not return_indices:
        return vals
    valid = lax.lt(lax.iota(_index_dtype(), size), lax.broadcast_in_dim(count, (size,), ()))
    i1 = p1.at[pos].get(mode="fill", fill_value=n1) if n1 else lax.full((size,), n1, _index_dtype())
    i1 = lax.select(valid, i1, lax.full_like(i1, n1))
    if n2:
        s2, p2 = _sorted_with_perm(a2)
        # First occurrence in a2: the leftmost equal element of the stable sort.
        lt = lax.convert_element_type(lax.lt(s2[None, :], vals[:, None]), _index_dtype())
        where2 = lax.reduce_sum(lt, (1,))
        i2 = p2.at[where2].get(mode="fill", fill_value=n2)
    else:
        i2 = lax.full((size,), n2, _index_dtype())
    i2 = lax.select(valid, i2, lax.full_like(i2, n2))
    return vals, i1, i2


def union1d(ar1, ar2, *, size=None, fill_value=None):
    """Like jnp.union1d: the unique values of both."""
    size = _check_size("union1d", size)
    a1, a2 = asarray(ar1), asarray(ar2)
    if size is None:
        _need_concrete("union1d", a1, a2)
    return unique(concatenate((a1, a2), axis=None), size=size, fill_value=fill_value)


def setdiff1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    """Like jnp.setdiff1d: unique values of ar1 not in ar2 (padding default 0,
    as JAX)."""
    size = _check_size("setdiff1d", size)
    a1, a2 = ravel(asarray(ar1)), ravel(asarray(ar2))
    if size is None:
        _need_concrete("setdiff1d", a1, a2)
    dtype = aval_of(a1).dtype
    fill = 0 if fill_value is None else fill_value
    n1 = aval_of(a1).shape[0]
    if n1 == 0:
        return (
            lax.full((size or 0,), 0, dtype)
            if not size
            else lax.broadcast_in_dim(lax.convert_element_type(asarray(fill), dtype), (size,), ())
        )
    if assume_unique:  # JAX keeps ar1's order then
        s1, keep = a1, lax.full((n1,), True, np.bool_)
    else:
        s1, _ = _sorted_with_perm(a1)
        keep = _first_mask(s1)
    keep = lax.bitwise_and(keep, lax.bitwise_not(_member(s1, a2)))
    if size is None:
        size = _concrete_size(keep)
    return _compact(s1, keep, size, fill)[0]


def setxor1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    """Like jnp.setxor1d: sorted values in exactly one of the inputs."""
    size = _check_size("setxor1d", size)
    a1, a2 = _promote("setxor1d", ravel(asarray(ar1)), ravel(asarray(ar2)))
    if size is None:
        _need_concrete("setxor1d", a1, a2)
    s1, _ = _sorted_with_perm(a1)
    s2, _ = _sorted_with_perm(a2)
    k1 = lax.bitwise_and(_first_mask(s1), lax.bitwise_not(_member(s1, a2)))
    k2 = lax.bitwise_and(_first_mask(s2), lax.bitwise_not(_member(s2, a1)))
    values = lax.concatenate([s1, s2], 0)
    keep = lax.concatenate([k1, k2], 0)
    if aval_of(values).shape[0]:
        drop = lax.convert_element_type(lax.bitwise_not(keep), np.int32)
        drop, values = lax.sort((drop, values), dimension=0, num_keys=2)
        keep = lax.eq(drop, lax.full_like(drop, 0))
    if size is None:
        size = _concrete_size(keep)
    return _compact(values, keep, size, fill_value)[0]


__all__ = ["intersect1d", "setdiff1d", "setxor1d", "union1d"]
