"""quantile, percentile, median and their nan* forms, as JAX computes them:
sort along the reduced axes, then read (and interpolate) the two order
statistics around q * (n - 1). No weights yet (method 'inverted_cdf')."""

import operator

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .advanced_indexing import _canonical_axis, take_along_axis
from .util import asarray

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")


def _inexact(x):
    dtype = aval_of(x).dtype
    if dtypes.is_float(dtype):
        return x
    return lax.convert_element_type(x, dtypes.default_float())


def _fraction_of_percent(q):
    """q / 100 in q's inexact dtype (percentile's q is in percent)."""
    q = _inexact(asarray(q))
    return lax.div(q, lax.full((), 100, aval_of(q).dtype))


def _quantile(name, a, q, axis, method, keepdims, squash_nans, weights, out, overwrite_input):
    if dtypes.is_complex(aval_of(asarray(a)).dtype):
        raise user_error(
            ValueError,
            "quantile does not support complex input, as the operation is poorly defined.",
        )
    if overwrite_input or out is not None:
        raise user_error(
            ValueError,
            f"jax.numpy.{name} does not support overwrite_input=True or out != None",
        )
    if method not in _METHODS:
        raise user_error(
            ValueError,
            "method can only be 'linear', 'lower', 'higher', 'midpoint', 'nearest' or "
            "'inverted_cdf'",
        )
    if weights is not None or method == "inverted_cdf":
        raise user_error(
            NotImplementedError, f"jnp.{name}: weights and method='inverted_cdf' are not built yet"
        )
    a = _inexact(asarray(a))
    q = lax.convert_element_type(asarray(q), aval_of(a).dtype)
    if aval_of(q).ndim > 1:
        raise user_error(ValueError, f"q must be have rank <= 1, got shape {aval_of(q).shape}")
    shape = aval_of(a).shape
    ndim = len(shape)
    if axis is None:
        axes = tuple(range(ndim))
    elif isinstance(axis, (tuple, list)):
        axes = tuple(_canonical_axis(name, operator.index(ax), ndim) for ax in axis)
        if len(set(axes)) != len(axes):
            raise user_error(ValueError, "repeated axis")
    else:
        axes = (_canonical_axis(name, operator.index(axis), ndim),)
    rest = [d for d in range(ndim) if d not in axes]
    rest_shape = tuple(shape[d] for d in rest)
    n = int(np.prod([shape[d] for d in axes], dtype=np.int64))
    moved = lax.reshape(lax.transpose(a, rest + list(axes)), rest_shape + (n,))
    last = len(rest_shape)
    isnan = lax.ne(moved, moved)
    if squash_nans:
        nan = lax.full_like(moved, np.nan)
        ordered = lax.sort(lax.select(isnan, nan, moved), dimension=last)
        counts = lax.reduce_sum(
            lax.convert_element_type(lax.bitwise_not(isnan), aval_of(a).dtype), (last,)
        )
    else:
        any_nan = lax.broadcast_in_dim(
            lax.reduce_or(isnan, (last,)), rest_shape + (n,), tuple(range(last))
        )
        ordered = lax.sort(lax.select(any_nan, lax.full_like(moved, np.nan), moved), dimension=last)
        counts = lax.full(rest_shape, n, aval_of(a).dtype)
    q_shape = aval_of(q).shape
    out_shape = q_shape + rest_shape
    qb = lax.broadcast_in_dim(q, out_shape, tuple(range(len(q_shape))))
    cb = lax.broadcast_in_dim(counts, out_shape, tuple(range(len(q_shape), len(out_shape))))
    one = lax.full(out_shape, 1, aval_of(a).dtype)
    pos = lax.mul(qb, lax.sub(cb, one))
    low, high = lax.floor(pos), lax.ceil(pos)
    high_weight = lax.sub(pos, low)
    low_weight = lax.sub(one, high_weight)
    zero = lax.full(out_shape, 0, aval_of(a).dtype)
    top = lax.sub(cb, one)
    low = lax.max(zero, lax.min(low, top))
    high = lax.max(zero, lax.min(high, top))
    data = lax.broadcast_in_dim(
        ordered, out_shape + (n,), tuple(range(len(q_shape), len(out_shape) + 1))
    )

    def read(index):
        idx = lax.convert_element_type(index, np.int32)
        picked = take_along_axis(data, lax.expand_dims(idx, (len(out_shape),)), axis=-1)
        return lax.reshape(picked, out_shape)

    low_value, high_value = read(low), read(high)
    if method == "linear":
        result = lax.add(lax.mul(low_value, low_weight), lax.mul(high_value, high_weight))
    elif method == "lower":
        result = low_value
    elif method == "higher":
        result = high_value
    elif method == "nearest":
        half = lax.full(out_shape, 0.5, aval_of(a).dtype)
        result = lax.select(lax.le(high_weight, half), low_value, high_value)
    else:  # midpoint
        half = lax.full(out_shape, 0.5, aval_of(a).dtype)
        result = lax.mul(lax.add(low_value, high_value), half)
    if keepdims:
        kept = list(shape)
        for d in axes:
            kept[d] = 1
        result = lax.reshape(result, q_shape + tuple(kept))
    return result


def quantile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
):
    """Like jnp.quantile (no weights yet)."""
    return _quantile("quantile", a, q, axis, method, keepdims, False, weights, out, overwrite_input)


def nanquantile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
):
    """Like jnp.nanquantile: NaNs left out."""
    return _quantile(
        "nanquantile", a, q, axis, method, keepdims, True, weights, out, overwrite_input
    )


def percentile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
):
    """Like jnp.percentile: quantile of q / 100."""
    q = _fraction_of_percent(q)
    return _quantile(
        "percentile", a, q, axis, method, keepdims, False, weights, out, overwrite_input
    )


def nanpercentile(
    a,
    q,
    axis=None,
    out=None,
    overwrite_input=False,
    method="linear",
    keepdims=False,
    *,
    weights=None,
):
    """Like jnp.nanpercentile."""
    q = _fraction_of_percent(q)
    return _quantile(
        "nanpercentile", a, q, axis, method, keepdims, True, weights, out, overwrite_input
    )


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Like jnp.median (the midpoint of the two middle order statistics)."""
    return _quantile(
        "median", a, 0.5, axis, "midpoint", keepdims, False, None, out, overwrite_input
    )


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Like jnp.nanmedian."""
    return _quantile(
        "nanmedian", a, 0.5, axis, "midpoint", keepdims, True, None, out, overwrite_input
    )
