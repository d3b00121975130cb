"""NaN-ignoring reductions (the nan* family) and the statistics built on the
reductions: average, cov, corrcoef, ptp, count_nonzero. Definitions follow
jax.numpy's, so results (including all-NaN slices and empty inputs) match."""

import operator

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..transforms.jit import jit
from .contractions import dot
from .reductions import (
    _reduction_axes,
    argmax,
    argmin,
    max,
    mean,
    min,
    prod,
    sum,
)
from .reductions import (
    all as _all,
)
from .shape import atleast_2d, concatenate
from .ufuncs import clip, isnan, sqrt, true_divide, where
from .util import _broadcast_to_shape, _check_arraylike, _dtype_arg, _promote_inexact, asarray

_STATIC = ("axis", "dtype", "keepdims", "out")
where_ = where  # the reductions' `where=` argument shadows the function


def _no_out(name, out):
    if out is not None:
        raise user_error(NotImplementedError, f"The 'out' argument to jnp.{name} is not supported.")


def _is_inexact(x):
    return dtypes.is_float(aval_of(x).dtype)


def _nan_reduction(name, reduction, fill, nan_if_all_nan):
    def impl(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        _no_out(name, out)
        a = asarray(a)
        kw = {"axis": axis, "keepdims": keepdims}
        if initial is not None:
            kw["initial"] = initial
        if where is not None:
            kw["where"] = where
        if dtype is not None:
            kw["dtype"] = dtype
        if not _is_inexact(a):
            return reduction(a, **kw)
        filled = where_(isnan(a), lax._scalar_like(a, fill), a)
        out = reduction(filled, **kw)
        if nan_if_all_nan:
            all_nan = _all(isnan(a), axis=axis, keepdims=keepdims)
            out = where_(all_nan, lax._scalar_like(out, np.nan), out)
        return out

    impl.__name__ = name
    return jit(impl, static_argnames=_STATIC)


nansum = _nan_reduction("nansum", sum, 0, False)
nanprod = _nan_reduction("nanprod", prod, 1, False)
nanmax = _nan_reduction("nanmax", max, -np.inf, True)
nanmin = _nan_reduction("nanmin", min, np.inf, True)


def _nan_arg_reduction(name, arg_reduction, fill):
    def impl(a, axis=None, keepdims=False):
        if not _is_inexact(a):
            return arg_reduction(a, axis=axis, keepdims=keepdims)
        nan_mask = isnan(a)
        res = arg_reduction(
            where_(nan_mask, lax._scalar_like(a, fill), a), axis=axis, keepdims=keepdims
        )
        all_nan = _all(nan_mask, axis=axis, keepdims=keepdims)
        return where_(all_nan, lax._scalar_like(res, -1), res)

    fn = jit(impl, static_argnames=("axis", "keepdims"))

    def wrapper(a, axis=None, out=None, keepdims=None):
        _no_out(name, out)
        _check_arraylike(name, a)
        return fn(
            asarray(a), axis=None if axis is None else operator.index(axis), keepdims=bool(keepdims)
        )

    wrapper.__name__ = name
    return wrapper


nanargmax = _nan_arg_reduction("nanargmax", argmax, -np.inf)
nanargmin = _nan_arg_reduction("nanargmin", argmin, np.inf)


def _inexact_dtype(d):
    return d if dtypes.is_float(d) else dtypes.default_float()


def _nanmean_impl(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    _no_out("nanmean", out)
    a = asarray(a)
    if not _is_inexact(a):
        return mean(a, axis, dtype, None, keepdims, where=where)
    dtype = _dtype_arg(dtype) or _inexact_dtype(aval_of(a).dtype)
    count = sum(lax.bitwise_not(isnan(a)), axis=axis, dtype=dtype, keepdims=keepdims, where=where)
    total = nansum(a, axis, dtype=dtype, keepdims=keepdims, where=where)
    return lax.div(total, count)


nanmean = jit(_nanmean_impl, static_argnames=_STATIC)


def _nanvar_impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, mean=None):
    _no_out("nanvar", out)
    a = asarray(a)
    out_dtype = _dtype_arg(dtype) or _inexact_dtype(aval_of(a).dtype)
    # float16/bfloat16 accumulate in float32, as JAX's _var_promote_types.
    compute = dtypes.float32 if np.dtype(out_dtype).itemsize < 4 else out_dtype
    a = lax.convert_element_type(a, compute)
    if mean is None:
        a_mean = _nanmean_impl(a, axis, dtype=compute, keepdims=True, where=where)
    else:
        a_mean = lax.convert_element_type(asarray(mean), compute)
    centered = where_(isnan(a), lax._scalar_like(a, 0), lax.sub(a, a_mean))
    centered = lax.mul(centered, centered)
    normalizer = sum(lax.bitwise_not(isnan(a)), axis=axis, keepdims=keepdims, where=where)
    normalizer = lax.sub(normalizer, lax._scalar_like(normalizer, ddof))
    empty = lax.le(normalizer, lax._scalar_like(normalizer, 0))
    result = sum(centered, axis, keepdims=keepdims, where=where)
    result = where_(empty, lax._scalar_like(result, np.nan), result)
    divisor = where_(empty, lax._scalar_like(normalizer, 1), normalizer)
    result = lax.div(result, lax.convert_element_type(divisor, aval_of(result).dtype))
    return lax.convert_element_type(result, out_dtype)


nanvar = jit(_nanvar_impl, static_argnames=(*_STATIC, "ddof"))


def _nanstd_impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, mean=None):
    return lax.sqrt(_nanvar_impl(a, axis, dtype, out, ddof, keepdims, where, mean))


nanstd = jit(_nanstd_impl, static_argnames=(*_STATIC, "ddof"))

# ---------------------------------------------------------------------------
# ptp, count_nonzero, average
# ---------------------------------------------------------------------------


def _ptp_impl(a, axis=None, out=None, keepdims=False):
    _no_out("ptp", out)
    a = asarray(a)
    return lax.sub(max(a, axis=axis, keepdims=keepdims), min(a, axis=axis, keepdims=keepdims))


ptp = jit(_ptp_impl, static_argnames=("axis", "out", "keepdims"))


def _count_nonzero_impl(a, axis=None, keepdims=False):
    a = asarray(a)
    nonzero = lax.ne(a, lax._scalar_like(a, 0))
    return sum(nonzero, axis=axis, dtype=dtypes.default_int(), keepdims=keepdims)


_count_nonzero_jit = jit(_count_nonzero_impl, static_argnames=("axis", "keepdims"))


def count_nonzero(a, axis=None, keepdims=False):
    _check_arraylike("count_nonzero", a)
    if isinstance(axis, list):
        axis = tuple(axis)
    return _count_nonzero_jit(a, axis=axis, keepdims=keepdims)


def _average_impl(a, axis=None, weights=None, returned=False, keepdims=False):
    if weights is None:
        (a,) = _promote_inexact("average", asarray(a))
        avg = mean(a, axis=axis, keepdims=keepdims)
        axes = _reduction_axes("average", a, axis)
        count = int(np.prod([aval_of(a).shape[i] for i in axes], dtype=np.int64))
        weights_sum = lax.full((), count, aval_of(avg).dtype)
    else:
        a, weights = _promote_inexact("average", asarray(a), asarray(weights))
        a_shape, w_shape = aval_of(a).shape, aval_of(weights).shape
        if a_shape != w_shape:
            if axis is None:
                raise user_error(
                    ValueError, "Axis must be specified when shapes of a and weights differ."
                )
            axes = _reduction_axes("average", a, axis)
            if w_shape != tuple(a_shape[ax] for ax in axes):
                raise user_error(
                    ValueError,
                    "Shape of weights must be consistent with shape of a along specified axis.",
                )
            order = tuple(int(i) for i in np.argsort(axes))
            weights = (
                lax.transpose(weights, order) if order != tuple(range(len(order))) else weights
            )
            weights = lax.broadcast_in_dim(weights, a_shape, tuple(sorted(axes)))
        weights_sum = sum(weights, axis=axis, keepdims=keepdims)
        avg = lax.div(sum(lax.mul(a, weights), axis=axis, keepdims=keepdims), weights_sum)
    if returned:
        if aval_of(avg).shape != aval_of(weights_sum).shape:
            weights_sum = _broadcast_to_shape(weights_sum, aval_of(avg).shape)
        return avg, weights_sum
    return avg


_average_jit = jit(_average_impl, static_argnames=("axis", "returned", "keepdims"))


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    """Weighted mean along axis; returned=True also gives the weight sums."""
    if isinstance(axis, list):
        axis = tuple(axis)
    return _average_jit(a, axis=axis, weights=weights, returned=returned, keepdims=keepdims)


# ---------------------------------------------------------------------------
# cov, corrcoef
# ---------------------------------------------------------------------------


def _cov_impl(
    m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None
):
    if y is not None:
        m, y = _promote_inexact("cov", asarray(m), asarray(y))
        if aval_of(y).ndim > 2:
            raise user_error(ValueError, "y has more than 2 dimensions")
    else:
        (m,) = _promote_inexact("cov", asarray(m))
    if aval_of(m).ndim > 2:
        raise user_error(ValueError, "m has more than 2 dimensions")
    if dtype is not None and not dtypes.is_float(np.dtype(dtype)):
        raise user_error(
            ValueError, f"cov: dtype must be a subclass of float or complex; got dtype={dtype}"
        )
    x = atleast_2d(m)
    if not rowvar and aval_of(m).ndim != 1:
        x = lax.transpose(x, (1, 0))
    if aval_of(x).shape[0] == 0:
        return lax.full((0, 0), 0, aval_of(x).dtype)
    if y is not None:
        y2 = atleast_2d(y)
        if not rowvar and aval_of(y2).shape[0] != 1:
            y2 = lax.transpose(y2, (1, 0))
        x = concatenate((x, y2), axis=0)
    n_vars, n_obs = aval_of(x).shape
    if n_obs == 0:
        shape = () if n_vars == 1 else (n_vars, n_vars)
        return lax.full(shape, np.nan, aval_of(x).dtype)
    if ddof is None:
        ddof = 1 if not bias else 0
    w = None
    if fweights is not None:
        fweights = asarray(fweights)
        if aval_of(fweights).ndim > 1:
            raise user_error(RuntimeError, "cannot handle multidimensional fweights")
        if aval_of(fweights).shape[0] != n_obs:
            raise user_error(RuntimeError, "incompatible numbers of samples and fweights")
        if not dtypes.is_int(aval_of(fweights).dtype):
            raise user_error(TypeError, "fweights must be integer.")
        w = lax.abs(fweights)
    if aweights is not None:
        aweights = asarray(aweights)
        if aval_of(aweights).ndim > 1:
            raise user_error(RuntimeError, "cannot handle multidimensional aweights")
        if aval_of(aweights).shape[0] != n_obs:
            raise user_error(RuntimeError, "incompatible numbers of samples and aweights")
        aweights = lax.abs(aweights)
        w = aweights if w is None else asarray(w * aweights)
    if dtype is not None:
        x = lax.convert_element_type(x, np.dtype(dtype))
        w = None if w is None else lax.convert_element_type(w, np.dtype(dtype))
    avg, w_sum = _average_impl(x, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        f = n_obs - ddof
    elif ddof == 0:
        f = w_sum
    elif aweights is None:
        f = w_sum - ddof
    else:
        f = w_sum - ddof * sum(w * aweights) / w_sum
    x = lax.sub(x, lax.broadcast_in_dim(avg, aval_of(x).shape, (0,)))
    if w is None:
        xt = lax.transpose(x, (1, 0))
    else:
        xw = lax.mul(
            x,
            lax.broadcast_in_dim(
                lax.convert_element_type(w, aval_of(x).dtype), aval_of(x).shape, (1,)
            ),
        )
        xt = lax.transpose(xw, (1, 0))
    c = true_divide(dot(x, xt), f)
    return lax.reshape(c, tuple(d for d in aval_of(c).shape if d != 1))


cov = jit(_cov_impl, static_argnames=("rowvar", "bias", "ddof", "dtype"))


def _corrcoef_impl(x, y=None, rowvar=True, dtype=None):
    if dtype is not None and not dtypes.is_float(np.dtype(dtype)):
        raise user_error(
            ValueError, f"corrcoef: dtype must be a subclass of float or complex; got dtype={dtype}"
        )
    c = _cov_impl(x, y, rowvar, dtype=dtype)
    if aval_of(c).ndim == 0:
        return lax.div(c, c)
    n = aval_of(c).shape[0]
    d = lax.reduce_sum(
        lax.select(
            lax.eq(
                lax.broadcasted_iota(np.int32, (n, n), 0), lax.broadcasted_iota(np.int32, (n, n), 1)
            ),
            c,
            lax.full((n, n), 0, aval_of(c).dtype),
        ),
        (1,),
    )
    stddev = sqrt(d)
    c = lax.div(c, lax.broadcast_in_dim(stddev, (n, n), (0,)))
    c = lax.div(c, lax.broadcast_in_dim(stddev, (n, n), (1,)))
    return clip(c, -1, 1)


corrcoef = jit(_corrcoef_impl, static_argnames=("rowvar", "dtype"))
