"""Selection and index helpers built on gather/scatter, cumsum and masks:
roll, tril/triu, diag/diagonal/trace, diff/ediff1d, nonzero/argwhere/
flatnonzero, bincount, select, compress/extract, searchsorted/digitize, the
*_indices constructors and put_along_axis.

Functions whose output size depends on values (nonzero, compress, bincount
without `length`) need concrete inputs, or `size=` under jit, as in JAX.
"""

import builtins

import numpy as np

from .. import lax
from ..core import ConcretizationTypeError, Tracer, aval_of, dtypes, user_error
from ..lax.slicing import slice_in_dim
from .advanced_indexing import _canonical_axis, take, update
from .shape import ravel
from .util import asarray


def _concrete(name, x, hint):
    if isinstance(x, Tracer):
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: the size "
            f"of {name}'s result depends on the values of its argument; {hint}",
        )
    return np.asarray(x)


# ---------------------------------------------------------------------------
# Shifts and triangles
# ---------------------------------------------------------------------------


def roll(a, shift, axis=None):
    """Like jnp.roll (integer or traced shifts)."""
    a = asarray(a)
    if axis is None:
        flat = lax.reshape(a, (aval_of(a).size,))
        return lax.reshape(roll(flat, shift, 0), aval_of(a).shape)
    shifts = shift if isinstance(shift, (tuple, list)) else (shift,)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise user_error(ValueError, "Inconsistent lengths for 'shift' and 'axis' in jnp.roll")
    for s, ax in zip(shifts, axes):
        ax = _canonical_axis("roll", ax, aval_of(a).ndim)
        n = aval_of(a).shape[ax]
        if n == 0:
            continue
        if isinstance(s, (int, np.integer)):
            s = int(s) % n
            if s:
                lo = slice_in_dim(a, n - s, n, axis=ax)
                hi = slice_in_dim(a, 0, n - s, axis=ax)
                a = lax.concatenate([lo, hi], ax)
        else:
            i = lax.rem(
                lax.add(
                    lax.sub(
                        lax.iota(np.int32, n), lax.rem(lax.convert_element_type(s, np.int32), n)
                    ),
                    np.int32(n),
                ),
                np.int32(n),
            )
            a = take(a, i, axis=ax, mode="clip")
    return a


def _tri_mask(shape, k, lower):
    rows = lax.broadcasted_iota(np.int32, shape, len(shape) - 2)
    cols = lax.broadcasted_iota(np.int32, shape, len(shape) - 1)
    if lower:
        return lax.ge(lax.add(rows, np.int32(k)), cols)
    return lax.le(lax.add(rows, np.int32(k)), cols)


def _tri(name, lower):
    def tri(m, k=0):
        m = asarray(m)
        if aval_of(m).ndim < 2:
            raise user_error(ValueError, f"{name} requires an array of at least two dimensions")
        mask = _tri_mask(aval_of(m).shape, int(k), lower)
        return lax.select(mask, m, lax.full_like(m, 0))

    tri.__name__ = name
    tri.__doc__ = f"Like jnp.{name}: the {'lower' if lower else 'upper'} triangle from diagonal k."
    return tri


tril = _tri("tril", True)
triu = _tri("triu", False)


def _tri_indices(name, lower):
    def indices(n, k=0, m=None):
        rows, cols = (np.tril_indices if lower else np.triu_indices)(n, k, m)
        idx = dtypes.default_int()  # int64 under x64, as JAX
        return asarray(rows.astype(idx)), asarray(cols.astype(idx))

    indices.__name__ = name
    indices.__doc__ = f"Like jnp.{name}."
    return indices


tril_indices = _tri_indices("tril_indices", True)
triu_indices = _tri_indices("triu_indices", False)


def diag_indices(n, ndim=2):
    """Like jnp.diag_indices."""
    if n < 0 or ndim < 0:
        raise user_error(ValueError, f"n argument to diag_indices must be nonnegative, got {n}")
    return (asarray(np.arange(n, dtype=dtypes.default_int())),) * ndim


# ---------------------------------------------------------------------------
# Diagonals
# ---------------------------------------------------------------------------


def diagonal(a, offset=0, axis1=0, axis2=1):
    """Like jnp.diagonal: the diagonal moves to the last axis."""
    a = asarray(a)
    nd = aval_of(a).ndim
    if nd < 2:
        raise user_error(ValueError, "diagonal requires an array of at least two dimensions.")
    axis1, axis2 = _canonical_axis("diagonal", axis1, nd), _canonical_axis("diagonal", axis2, nd)
    if axis1 == axis2:
        raise user_error(ValueError, "axis1 and axis2 can not be the same")
    perm = [d for d in range(nd) if d not in (axis1, axis2)] + [axis1, axis2]
    a = lax.transpose(a, perm)
    n, m = aval_of(a).shape[-2:]
    offset = int(offset)
    length = builtins.max(0, builtins.min(n + builtins.min(offset, 0), m - builtins.max(offset, 0)))
    rows = np.arange(length, dtype=np.int32) - builtins.min(offset, 0)
    cols = np.arange(length, dtype=np.int32) + builtins.max(offset, 0)
    return a[(Ellipsis, rows, cols)]


def diag(v, k=0):
    """Like jnp.diag: a 1-D array's diagonal matrix, or a 2-D array's diagonal."""
    v = asarray(v)
    nd = aval_of(v).ndim
    k = int(k)
    if nd == 2:
        return diagonal(v, k)
    if nd != 1:
        raise user_error(ValueError, "diag input must be 1d or 2d")
    n = aval_of(v).shape[0] + builtins.abs(k)
    shape = (n, n)
    rows = lax.broadcasted_iota(np.int32, shape, 0)
    cols = lax.broadcasted_iota(np.int32, shape, 1)
    on = lax.eq(lax.add(rows, np.int32(k)), cols)
    # Row r of the diagonal holds v[r] (k >= 0) or v[r + k] (k < 0).
    src = lax.add(rows, np.int32(builtins.min(k, 0)))
    vals = take(v, src, mode="clip")
    return lax.select(on, vals, lax.full_like(vals, 0))


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Like jnp.trace."""
    from .reductions import sum as _sum

    if out is not None:
        raise user_error(NotImplementedError, "The 'out' argument to jnp.trace is not supported.")
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


# ---------------------------------------------------------------------------
# Differences
# ---------------------------------------------------------------------------


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """Like jnp.diff."""
    a = asarray(a)
    nd = aval_of(a).ndim
    if nd == 0:
        raise user_error(
            ValueError, f"diff requires input that is at least one dimensional; got {a}"
        )
    if n < 0:
        raise user_error(ValueError, f"order must be non-negative but got {n}")
    axis = _canonical_axis("diff", axis, nd)
    if prepend is not None or append is not None:
        from .util import _promote

        def edge(x):
            x = asarray(x)
            if aval_of(x).ndim == 0:
                shape = list(aval_of(a).shape)
                shape[axis] = 1
                x = lax.broadcast_in_dim(x, tuple(shape), ())
            return x

        parts = ([edge(prepend)] if prepend is not None else []) + [a]
        parts += [edge(append)] if append is not None else []
        a = lax.concatenate(list(_promote("diff", *parts)), axis)
    bool_input = aval_of(a).dtype == np.bool_
    for _ in range(n):
        size = aval_of(a).shape[axis]
        hi = slice_in_dim(a, 1, size, axis=axis)
        lo = slice_in_dim(a, 0, builtins.max(size - 1, 0), axis=axis)
        a = lax.ne(hi, lo) if bool_input else lax.sub(hi, lo)
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    """Like jnp.ediff1d."""
    from .util import _promote

    out = diff(ravel(ary))
    parts = [ravel(to_begin)] if to_begin is not None else []
    parts.append(out)
    if to_end is not None:
        parts.append(ravel(to_end))
    if len(parts) == 1:
        return out
    return lax.concatenate(list(_promote("ediff1d", *parts)), 0)


# ---------------------------------------------------------------------------
# Value-dependent sizes: nonzero & co.
# ---------------------------------------------------------------------------


def _nonzero_sized(a, size, fill_value):
    """nonzero with a static size: positions by a cumulative count, written
    with a scatter (surplus positions dropped, missing ones filled)."""
    from .reductions import cumsum

    shape = aval_of(a).shape
    flat = lax.ne(lax.reshape(a, (aval_of(a).size,)), lax.full((), 0, aval_of(a).dtype))
    count = lax.sub(cumsum(flat, dtype=np.int32), np.int32(1))
    slot = lax.select(flat, count, lax.full_like(count, size))
    positions = lax.iota(np.int32, aval_of(a).size)
    out = []
    strides = [int(np.prod(shape[d + 1 :])) for d in range(len(shape))]
    fills = fill_value if isinstance(fill_value, tuple) else (fill_value,) * len(shape)
    idx = dtypes.default_int()  # int64 under x64, as JAX
    for d, stride in enumerate(strides):
        coord = lax.rem(lax.div(positions, np.int32(stride)), np.int32(shape[d]))
        init = lax.full((size,), 0 if fills[d] is None else fills[d], idx)
        out.append(update(init, (slot,), lax.convert_element_type(coord, idx), "replace", None))
    return tuple(out)


def nonzero(a, *, size=None, fill_value=None):
    """Like jnp.nonzero: needs a concrete array, or size= (under jit)."""
    a = asarray(a)
    if aval_of(a).ndim == 0:
        raise user_error(
            ValueError, "Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar)."
        )
    if size is None:
        concrete = _concrete("nonzero", a, "pass size= (and fill_value=) to use nonzero under jit.")
        return tuple(asarray(i.astype(dtypes.default_int())) for i in np.nonzero(concrete))
    return _nonzero_sized(a, int(size), fill_value)


def flatnonzero(a, *, size=None, fill_value=None):
    """Like jnp.flatnonzero."""
    return nonzero(ravel(a), size=size, fill_value=fill_value)[0]


def argwhere(a, *, size=None, fill_value=None):
    """Like jnp.argwhere: one row per nonzero element."""
    a = asarray(a)
    if aval_of(a).ndim == 0:
        (col,) = nonzero(lax.reshape(a, (1,)), size=size, fill_value=fill_value)
        return lax.full((aval_of(col).shape[0], 0), 0, dtypes.default_int())
    cols = nonzero(a, size=size, fill_value=fill_value)
    return lax.concatenate([lax.reshape(c, (aval_of(c).shape[0], 1)) for c in cols], 1)


def bincount(x, weights=None, minlength=0, *, length=None):
    """Like jnp.bincount: needs a concrete x, or length= (under jit)."""
    from .advanced_indexing import segment_sum

    x = asarray(x)
    if not dtypes.is_int(aval_of(x).dtype):
        raise user_error(
            TypeError, f"x argument to bincount must have an integer type; got {aval_of(x).dtype}"
        )
    if aval_of(x).ndim != 1:
        raise user_error(ValueError, "only 1-dimensional input supported.")
    if length is None:
        concrete = _concrete("bincount", x, "pass length= to use bincount under jit.")
        length = builtins.max(int(minlength), int(concrete.max()) + 1 if concrete.size else 0)
    w = lax.full(aval_of(x).shape, 1, dtypes.default_int()) if weights is None else asarray(weights)
    # Negative values are clipped to 0 (JAX); larger ones dropped.
    ids = lax.max(x, lax.full_like(x, 0))
    return segment_sum(w, ids, num_segments=int(length))


def select(condlist, choicelist, default=0):
    """Like jnp.select: the first true condition's choice, else default."""
    from .ufuncs import where

    if len(condlist) != len(choicelist):
        raise user_error(
            ValueError,
            f"condlist must have length equal to choicelist ({len(choicelist)} vs {len(condlist)})",
        )
    if len(condlist) == 0:
        raise user_error(ValueError, "condlist must be non-empty")
    out = asarray(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        cond = asarray(cond)
        if aval_of(cond).dtype != np.bool_:
            raise user_error(
                TypeError, f"condlist must be a list of boolean arrays; got {aval_of(cond).dtype}"
            )
        out = where(cond, choice, out)
    return out


def compress(condition, a, axis=None, *, size=None, fill_value=0, out=None):
    """Like jnp.compress: the slices where a (concrete) condition holds."""
    if out is not None:
        raise user_error(
            NotImplementedError, "The 'out' argument to jnp.compress is not supported."
        )
    a = asarray(a)
    if axis is None:
        a, axis = ravel(a), 0
    condition = asarray(condition)
    if aval_of(condition).ndim != 1:
        raise user_error(ValueError, "condition must be a 1D array")
    n = aval_of(a).shape[_canonical_axis("compress", axis, aval_of(a).ndim)]
    if size is None:
        cond = _concrete("compress", condition, "pass size= to use compress under jit.")
        idx = np.nonzero(cond[:n] != 0)[0].astype(np.int32)
        return take(a, idx, axis=axis, mode="clip")
    (idx,) = nonzero(
        lax.slice(condition, (0,), (builtins.min(n, aval_of(condition).shape[0]),)),
        size=size,
        fill_value=n,
    )
    return take(a, idx, axis=axis, mode="fill", fill_value=fill_value)


def extract(condition, arr, *, size=None, fill_value=0):
    """Like jnp.extract."""
    return compress(ravel(condition), ravel(arr), size=size, fill_value=fill_value)


def searchsorted(a, v, side="left", sorter=None, *, method="scan"):
    """Like jnp.searchsorted for a sorted 1-D `a` (by comparison counts)."""
    from .reductions import sum as _sum

    if side not in ("left", "right"):
        raise user_error(ValueError, f"{side!r} is an invalid value for keyword 'side'")
    a, v = asarray(a), asarray(v)
    if aval_of(a).ndim != 1:
        raise user_error(ValueError, "a should be 1-dimensional")
    if sorter is not None:
        a = take(a, sorter, mode="clip")
    from .util import _promote

    a, v = _promote("searchsorted", a, v)
    vshape = aval_of(v).shape
    vv = lax.reshape(v, vshape + (1,))
    av = lax.reshape(a, (1,) * len(vshape) + (aval_of(a).shape[0],))
    vv = lax.broadcast_in_dim(vv, vshape + (aval_of(a).shape[0],), tuple(range(len(vshape) + 1)))
    av = lax.broadcast_in_dim(av, vshape + (aval_of(a).shape[0],), tuple(range(len(vshape) + 1)))
    below = lax.lt(av, vv) if side == "left" else lax.le(av, vv)
    return _sum(below, axis=-1, dtype=np.int32)


def digitize(x, bins, right=False):
    """Like jnp.digitize (monotonic bins)."""
    bins_arr = asarray(bins)
    if aval_of(bins_arr).ndim != 1:
        raise user_error(ValueError, f"digitize: bins must be a 1-dimensional array; got {bins}")
    if aval_of(bins_arr).shape[0] == 0:
        return lax.full(aval_of(asarray(x)).shape, 0, np.int32)
    side = "left" if right else "right"
    concrete = None if isinstance(bins_arr, Tracer) else np.asarray(bins_arr)
    if concrete is not None and concrete.size > 1 and concrete[-1] < concrete[0]:
        n = concrete.size
        return lax.sub(
            np.int32(n),
            searchsorted(concrete[::-1].copy(), x, side="left" if side == "right" else "right"),
        )
    return searchsorted(bins_arr, x, side=side)


def _tile_to(v, n):
    """`v` (1-d) repeated to length n."""
    m = aval_of(v).shape[0]
    if m == n:
        return v
    reps = -(-n // m)
    tiled = lax.reshape(lax.broadcast_in_dim(v, (reps, m), (1,)), (reps * m,))
    return slice_in_dim(tiled, 0, n)


def place(arr, mask, vals, *, inplace=True):
    """Like jnp.place (inplace=False): the True positions of `mask`, in
    order, take `vals` cycled."""
    if inplace:
        raise user_error(
            ValueError,
            "jax.numpy.place cannot modify arrays in-place, because JAX arrays are immutable. "
            "Pass inplace=False to instead return an updated array.",
        )
    data, mask = asarray(arr), asarray(mask)
    n = aval_of(mask).size
    (positions,) = nonzero(ravel(mask), size=n, fill_value=n)
    values = _tile_to(ravel(lax.convert_element_type(asarray(vals), aval_of(data).dtype)), n)
    flat = update(ravel(data), positions, values, "replace", mode="drop")
    return lax.reshape(flat, aval_of(data).shape)


def put(a, ind, v, mode=None, *, inplace=True):
    """Like jnp.put (inplace=False): flat positions `ind` take `v` cycled;
    out-of-range positions clamp (mode None or 'clip') or wrap."""
    if inplace:
        raise user_error(
            ValueError,
            "jax.numpy.put cannot modify arrays in-place, because JAX arrays are immutable. "
            "Pass inplace=False to instead return an updated array.",
        )
    arr = asarray(a)
    ind = ravel(asarray(ind))
    v = ravel(lax.convert_element_type(asarray(v), aval_of(arr).dtype))
    size = aval_of(arr).size
    if not size or not aval_of(ind).size or not aval_of(v).size:
        return arr
    if mode == "raise":
        raise user_error(NotImplementedError, "The 'raise' mode to jnp.put is not supported.")
    if mode not in (None, "clip", "wrap"):
        raise user_error(ValueError, f"mode should be one of 'wrap' or 'clip'; got {mode=}")
    ind = lax.convert_element_type(ind, dtypes.default_int())
    if mode == "wrap":
        n = lax.full_like(ind, size)
        ind = lax.rem(lax.add(lax.rem(ind, n), n), n)
    else:
        ind = lax.clamp(
            lax.full((), 0, aval_of(ind).dtype), ind, lax.full((), size - 1, aval_of(ind).dtype)
        )
    values = _tile_to(v, aval_of(ind).shape[0])
    flat = update(ravel(arr), ind, values, "replace", mode="clip")
    return lax.reshape(flat, aval_of(arr).shape)


def put_along_axis(arr, indices, values, axis, inplace=True, *, mode=None):
    """Like jnp.put_along_axis (inplace=False, as JAX requires)."""
    if inplace:
        raise user_error(
            ValueError,
            "jax.numpy.put_along_axis cannot modify arrays in-place, because JAX arrays are "
            "immutable. Pass inplace=False to instead return an updated array.",
        )
    arr, indices = asarray(arr), asarray(indices)
    if axis is None:
        arr_flat = ravel(arr)
        out = put_along_axis(
            arr_flat, ravel(indices), ravel(asarray(values)), 0, inplace=False, mode=mode
        )
        return lax.reshape(out, aval_of(arr).shape)
    nd = aval_of(arr).ndim
    axis = _canonical_axis("put_along_axis", axis, nd)
    ishape = aval_of(indices).shape
    index = []
    for d in range(nd):
        if d == axis:
            index.append(indices)
        else:
            shape = [1] * nd
            shape[d] = ishape[d]
            index.append(lax.broadcasted_iota(np.int32, tuple(shape), d))
    return update(arr, tuple(index), asarray(values), "replace", mode)


def fill_diagonal(a, val, wrap=False, *, inplace=True):
    """Like jnp.fill_diagonal (inplace=False, wrap=False, as JAX requires)."""
    if inplace:
        raise user_error(
            ValueError,
            "JAX arrays are immutable, so jnp.fill_diagonal cannot modify arrays in-place; "
            "pass inplace=False to instead return an updated array.",
        )
    if wrap:
        raise user_error(NotImplementedError, "wrap=True is not implemented, must use wrap=False")
    a = asarray(a)
    shape = aval_of(a).shape
    if len(shape) < 2:
        raise user_error(ValueError, "array must be at least 2-d")
    if len(shape) > 2 and any(n != shape[0] for n in shape):
        raise user_error(ValueError, "All dimensions of input must be of equal length")
    n = builtins.min(shape)
    values = asarray(val)
    values = lax.convert_element_type(values, aval_of(a).dtype)
    flat = lax.reshape(values, (aval_of(values).size,))
    if aval_of(values).size == 0:
        return a
    # The diagonal takes val's elements in order, repeated as needed.
    reps = -(-n // aval_of(values).size)
    if reps > 1:
        flat = lax.concatenate([flat] * reps, 0)
    if aval_of(flat).shape[0] != n:
        flat = lax.slice(flat, (0,), (n,))
    index = np.arange(n, dtype=np.int32)
    return update(a, (index,) * len(shape), flat, "replace", None)
