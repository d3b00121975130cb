"""Binning and rearranging by index: histogram, histogram_bin_edges,
repeat with per-element counts, choose and rot90, as JAX builds them
(searchsorted into the edges and a scatter-add; a scatter of block starts
and a cumulative sum; a gather)."""

import operator

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .advanced_indexing import _canonical_axis, take, take_along_axis, update
from .creation import linspace
from .selection import _concrete, searchsorted
from .shape import flip, ravel, swapaxes
from .util import asarray, broadcast_arrays


def _inexact(dtype):
    return dtype if dtypes.is_float(dtype) else dtypes.default_float()


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    """Like jnp.histogram_bin_edges (integer or array bins)."""
    if isinstance(bins, str):
        raise user_error(NotImplementedError, "string values for `bins` not implemented.")
    arr = asarray(a)
    dtype = _inexact(aval_of(arr).dtype)
    if np.ndim(bins) == 1 or (hasattr(bins, "ndim") and bins.ndim == 1):
        return lax.convert_element_type(asarray(bins), dtype)
    nbins = operator.index(_concrete("histogram", bins, "bins must be a concrete integer"))
    if range is None:
        lo = lax.reduce_min(ravel(arr), (0,))
        hi = lax.reduce_max(ravel(arr), (0,))
    else:
        if np.shape(range) != (2,):
            raise user_error(
                ValueError, f"`range` must be either None or a sequence of scalars, got {range}"
            )
        lo, hi = asarray(range[0]), asarray(range[1])
    lo = lax.convert_element_type(lo, dtype)
    hi = lax.convert_element_type(hi, dtype)
    flat = lax.eq(hi, lo)
    half = lax.full((), 0.5, dtype)
    lo = lax.select(flat, lax.sub(lo, half), lo)
    hi = lax.select(flat, lax.add(hi, half), hi)
    return linspace(lo, hi, nbins + 1, dtype=dtype)


def histogram(a, bins=10, range=None, weights=None, density=None):
    """Like jnp.histogram: counts (or weighted sums, or a density) per bin,
    the last bin closed, and the edges."""
    arr = ravel(asarray(a))
    dtype = _inexact(aval_of(arr).dtype)
    if weights is not None:
        w = ravel(asarray(weights))
        dtype = dtypes.result_type(dtype, aval_of(w).dtype)
        if aval_of(w).shape != aval_of(arr).shape:
            raise user_error(
                ValueError,
                f"weights should have the same shape as a, got {aval_of(w).shape} and "
                f"{aval_of(arr).shape}",
            )
        w = lax.convert_element_type(w, dtype)
    else:
        w = lax.full(aval_of(arr).shape, 1, dtype)
    arr = lax.convert_element_type(arr, dtype)
    edges = histogram_bin_edges(arr, bins, range, weights)
    n_edges = aval_of(edges).shape[0]
    idx = searchsorted(edges, arr, side="right")
    idx = lax.select(
        lax.eq(arr, lax.broadcast_in_dim(edges[-1], aval_of(arr).shape, ())),
        lax.full_like(idx, n_edges - 1),
        idx,
    )
    counts = update(lax.full((n_edges,), 0, dtype), idx, w, "add")[1:]
    if density:
        widths = lax.sub(edges[1:], edges[:-1])
        total = lax.reduce_sum(counts, (0,))
        counts = lax.div(lax.div(counts, widths), lax.broadcast_in_dim(total, (n_edges - 1,), ()))
    return counts, edges


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    """Like jnp.repeat: an int, or per-element counts (concrete, or with
    total_repeat_length under jit)."""
    from .shape import repeat as repeat_int

    if isinstance(repeats, (int, np.integer)) or (
        np.ndim(repeats) == 0 and not hasattr(repeats, "shape")
    ):
        return repeat_int(a, operator.index(repeats), axis)
    a = asarray(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    axis = _canonical_axis("repeat", operator.index(axis), aval_of(a).ndim)
    n = aval_of(a).shape[axis]
    if total_repeat_length is None:
        counts = _concrete(
            "repeat", repeats, "pass total_repeat_length= to use per-element repeats under jit."
        )
        if counts.ndim == 0:
            return repeat_int(a, int(counts), axis)
        counts = np.broadcast_to(counts.reshape(-1), (n,))
        total_repeat_length = int(counts.sum())
    reps = ravel(asarray(repeats))
    reps = lax.broadcast_in_dim(reps, (n,), (0,) if aval_of(reps).shape[0] != 1 else ())
    if aval_of(reps).shape[0] == 1 and n != 1:
        reps = lax.broadcast_in_dim(lax.reshape(reps, ()), (n,), ())
    reps = lax.convert_element_type(reps, np.int32)
    if total_repeat_length == 0:
        shape = list(aval_of(a).shape)
        shape[axis] = 0
        return lax.full(tuple(shape), 0, aval_of(a).dtype)
    # Block starts: exclusive cumsum of the counts, marked in a zero buffer;
    # a cumulative sum of the marks then names each output's source.
    exclusive = lax.concatenate([lax.full((1,), 0, np.int32), lax.cumsum(reps)[:-1]], 0)
    marks = update(
        lax.full((total_repeat_length,), 0, np.int32), exclusive, lax.full_like(reps, 1), "add"
    )
    source = lax.sub(lax.cumsum(marks), lax.full((total_repeat_length,), 1, np.int32))
    return take(a, source, axis=axis)


def choose(a, choices, out=None, mode="raise"):
    """Like jnp.choose: element i from choices[a[i]] (modes raise, wrap,
    clip)."""
    if out is not None:
        raise user_error(NotImplementedError, "The 'out' argument to jnp.choose is not supported.")
    a = asarray(a)
    choices = [asarray(c) for c in choices]
    n = len(choices)
    if not dtypes.is_int(aval_of(a).dtype):
        raise user_error(
            TypeError, f"jnp.choose: a must be an integer array, got {aval_of(a).dtype}"
        )
    if mode == "raise":
        concrete = _concrete("choose", a, "use mode='wrap' or mode='clip' under jit.")
        if np.any((concrete < 0) | (concrete >= n)):
            raise user_error(ValueError, "invalid entry in choice array.")
    elif mode == "wrap":
        a = lax.rem(
            lax.add(lax.rem(a, lax.full_like(a, n)), lax.full_like(a, n)), lax.full_like(a, n)
        )
    elif mode == "clip":
        a = lax.clamp(lax.full((), 0, aval_of(a).dtype), a, lax.full((), n - 1, aval_of(a).dtype))
    else:
        raise user_error(
            ValueError, f"mode={mode!r} not understood. Must be 'raise', 'wrap', or 'clip'"
        )
    arrays = broadcast_arrays(a, *choices)
    a, choices = arrays[0], arrays[1:]
    dtype = dtypes.result_type(*choices)
    stacked = lax.concatenate(
        [lax.expand_dims(lax.convert_element_type(c, dtype), (0,)) for c in choices], 0
    )
    return take_along_axis(stacked, lax.expand_dims(a, (0,)), axis=0)[0]


def rot90(m, k=1, axes=(0, 1)):
    """Like jnp.rot90: k quarter turns from axes[0] towards axes[1]."""
    m = asarray(m)
    ndim = aval_of(m).ndim
    if len(axes) != 2:
        raise user_error(ValueError, "len(axes) must be 2.")
    ax1 = _canonical_axis("rot90", operator.index(axes[0]), ndim)
    ax2 = _canonical_axis("rot90", operator.index(axes[1]), ndim)
    if ax1 == ax2:
        raise user_error(ValueError, "Axes must be different")
    k = operator.index(k) % 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, ax1), ax2)
    if k == 1:
        return swapaxes(flip(m, ax2), ax1, ax2)
    return flip(swapaxes(m, ax1, ax2), ax2)


__all__ = ["choose", "histogram", "histogram_bin_edges", "repeat", "rot90"]
