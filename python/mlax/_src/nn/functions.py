"""jax.nn's non-activation functions: one_hot and the reductions
(logsumexp, which mlax.scipy.special re-exports, log_softmax, softmax,
logmeanexp, standardize), written as JAX 0.10 writes them."""

import operator
import warnings

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import reductions as _red
from ..numpy import ufuncs as jnp
from ..numpy.advanced_indexing import _canonical_axis
from ..numpy.util import _check_arraylike, _promote_inexact, asarray, broadcast_to
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit


def one_hot(x, num_classes, *, dtype=None, axis=-1):
    """Like jax.nn.one_hot: `x == arange(num_classes)` on a new `axis`;
    out-of-range and non-integral values give all zeros."""
    try:
        num_classes = operator.index(num_classes)
    except TypeError:
        raise user_error(
            TypeError,
            f"num_classes must be a concrete integer, got {num_classes!r} (one_hot needs a "
            "static number of classes)",
        ) from None
    x = asarray(x)
    if not dtypes.is_int(aval_of(x).dtype):
        warnings.warn(
            f"jax.nn.one_hot input should be integer-typed; got dtype={aval_of(x).dtype}",
            DeprecationWarning,
            stacklevel=1,  # as JAX's: shown only where warnings are on
        )
    dtype = dtypes.default_float() if dtype is None else np.dtype(dtype)
    out_ndim = aval_of(x).ndim + 1
    axis = _canonical_axis("one_hot", operator.index(axis), out_ndim)
    shape = list(aval_of(x).shape)
    shape.insert(axis, num_classes)
    shape = tuple(shape)
    keep = tuple(d for d in range(out_ndim) if d != axis)
    xs = lax.broadcast_in_dim(x, shape, keep)
    classes = lax.broadcasted_iota(aval_of(x).dtype, shape, axis)
    return lax.convert_element_type(lax.eq(xs, classes), dtype)


# ---------------------------------------------------------------------------
# Reductions: logsumexp, log_softmax, softmax, logmeanexp, standardize


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None):
    """Like jax.nn.logsumexp (jax.scipy.special.logsumexp): log(sum(b * exp(a)))
    over `axis`, shifted by the (gradient-stopped) maximum; with
    `return_sign`, (log|sum|, sign(sum))."""
    if isinstance(axis, list):
        axis = tuple(axis)
    return _logsumexp(a, axis, b, keepdims, return_sign, where)


def _logsumexp_impl(a, axis, b, keepdims, return_sign, where):
    if where is not None:
        a = jnp.where(where, a, 0)
    if b is not None:
        a, b = _promote_inexact("logsumexp", a, b)
        a = jnp.where(jnp.not_equal(b, 0), a, -np.inf)
    else:
        (a,) = _promote_inexact("logsumexp", a)
    dims = _red._reduction_axes("logsumexp", a, axis)
    amax = _red.max(a, axis=dims, keepdims=keepdims, where=where, initial=-np.inf)
    amax = lax.stop_gradient(lax.select(lax.is_finite(amax), amax, lax.full_like(amax, 0)))
    amax_with_dims = amax if keepdims else lax.expand_dims(amax, dims)
    exp_a = lax.exp(jnp.subtract(a, amax_with_dims))
    if b is not None:
        exp_a = jnp.multiply(exp_a, b)
    sumexp = _red.sum(exp_a, axis=dims, keepdims=keepdims, where=where)
    sign = lax.sign(sumexp)
    out = lax.add(lax.log(lax.abs(sumexp)), amax)
    if return_sign:
        return out, sign
    if b is not None:
        out = jnp.where(jnp.less(sign, 0), lax.full_like(out, np.nan), out)
    return out


_logsumexp = jit(_logsumexp_impl, static_argnums=(1, 3, 4))


def _count(x, axis, where, keepdims, dtype):
    """How many elements each reduction over `axis` sees (JAX's _count)."""
    dims = _red._reduction_axes("count", x, axis)
    shape = aval_of(x).shape
    if where is None:
        n = int(np.prod([shape[d] for d in dims], dtype=np.int64))
        out_shape = tuple(
            1 if i in dims else s for i, s in enumerate(shape) if keepdims or i not in dims
        )
        return lax.full(out_shape, n, dtype)
    mask = lax.convert_element_type(broadcast_to(asarray(where), shape), dtype)
    return _red.sum(mask, axis=dims, keepdims=keepdims)


def _logmeanexp_impl(x, axis=None, where=None, keepdims=False):
    lse = _logsumexp_impl(x, axis, None, keepdims, False, where)
    count = _count(asarray(x), axis, where, keepdims, aval_of(lse).dtype)
    return jnp.subtract(lse, jnp.log(count))


logmeanexp = jit(_logmeanexp_impl, static_argnames=("axis", "keepdims"))
logmeanexp.__doc__ = """Like jax.nn.logmeanexp: logsumexp(x) - log(count) over `axis`."""


def _log_softmax_impl(x, axis=-1, where=None):
    _check_arraylike("log_softmax", x)
    x = asarray(x)
    x_max = _red.max(x, axis, where=where, initial=-np.inf, keepdims=True)
    x_safe = x if where is None else jnp.where(where, x, -np.inf)
    shifted = jnp.subtract(x_safe, lax.stop_gradient(x_max))
    shifted_logsumexp = jnp.log(_red.sum(jnp.exp(shifted), axis, where=where, keepdims=True))
    result = jnp.subtract(shifted, shifted_logsumexp)
    if where is not None:
        return jnp.where(where, result, -np.inf)
    return result


log_softmax = jit(_log_softmax_impl, static_argnames=("axis",))
log_softmax.__doc__ = """Like jax.nn.log_softmax: x - logsumexp(x) along `axis`
(entries outside `where` give -inf)."""


def softmax(x, axis=-1, where=None):
    """Like jax.nn.softmax: exp(x - max) / sum along `axis` (entries outside
    `where` give 0), with JAX's custom derivative y * (dx - sum(y * dx))."""
    _check_arraylike("softmax", x)
    x = asarray(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return _softmax(x, axis, where)


def _softmax_impl(x, axis, where):
    x_max = _red.max(x, axis, where=where, initial=-np.inf, keepdims=True)
    x_safe = x if where is None else jnp.where(where, x, -np.inf)
    unnormalized = jnp.exp(jnp.subtract(x_safe, x_max))
    result = jnp.divide(unnormalized, _red.sum(unnormalized, axis, where=where, keepdims=True))
    if where is not None:
        result = jnp.where(where, result, 0)
    return result


_softmax = custom_jvp(_softmax_impl, nondiff_argnums=(1,))


@_softmax.defjvp
def _softmax_jvp(axis, primals, tangents):
    (x, where), (x_dot, _) = primals, tangents
    y = _softmax(x, axis, where)
    inner = _red.sum(jnp.multiply(y, x_dot), axis, where=where, keepdims=True)
    return y, jnp.multiply(y, jnp.subtract(x_dot, inner))


def _mean(x, axis, where):
    if where is None:
        return _red.mean(x, axis, keepdims=True)
    total = _red.sum(x, axis, keepdims=True, where=where)
    return jnp.divide(total, _count(x, axis, where, True, aval_of(total).dtype))


def _standardize_impl(x, axis=-1, mean=None, variance=None, epsilon=1e-5, where=None, *,
                      algorithm="fast"):  # fmt: skip
    _check_arraylike("standardize", x)
    for name, v in (("mean", mean), ("variance", variance), ("where", where)):
        if v is not None:
            _check_arraylike("standardize", v)
    x = asarray(x)
    if mean is None:
        mean = _mean(x, axis, where)
    if variance is None:
        if algorithm == "stable":
            variance = _mean(jnp.square(jnp.subtract(x, mean)), axis, where)
        elif algorithm == "fast":
            # JAX's one-pass E[x^2] - E[x]^2, clipped at 0 (it can round negative).
            variance = jnp.subtract(_mean(jnp.square(x), axis, where), jnp.square(mean))
            variance = jnp.clip(variance, 0)
        else:
            raise user_error(
                ValueError, f"Unknown algorithm '{algorithm}'. Expected 'fast' or 'stable'."
            )
    return jnp.multiply(jnp.subtract(x, mean), lax.rsqrt(jnp.add(variance, epsilon)))


standardize = jit(_standardize_impl, static_argnames=("axis", "algorithm"))
standardize.__doc__ = """Like jax.nn.standardize: (x - mean) / sqrt(variance + epsilon)
along `axis` (mean and variance computed when not given; algorithm 'fast'
or 'stable' as in JAX)."""
