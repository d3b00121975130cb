"""Polynomials as coefficient arrays, highest power first (NumPy's
np.poly* convention, as jax.numpy): polyval, polyadd, polysub, polymul,
polydiv, polyder, polyint, poly from real roots and polyfit (least
squares). roots (complex results) waits for complex numbers."""

import operator

import numpy as np

from .. import lax
from ..core import ConcretizationTypeError, Tracer, aval_of, dtypes, user_error
from ..transforms.jit import jit
from .construction import trim_zeros
from .creation import zeros
from .numerics import convolve
from .shape import atleast_1d, concatenate
from .util import _broadcast_to_shape, _promote, _promote_inexact, asarray, broadcast_shapes


def _polyval_impl(p, x, unroll):
    p, x = _promote("polyval", asarray(p), asarray(x))
    shape = broadcast_shapes(aval_of(p).shape[1:], aval_of(x).shape)
    y = lax.full(shape, 0, aval_of(x).dtype)
    for i in range(aval_of(p).shape[0]):
        y = lax.add(lax.mul(y, _broadcast_to_shape(x, shape)), _broadcast_to_shape(p[i], shape))
    return y


_polyval_jit = jit(_polyval_impl, static_argnames=("unroll",))


def polyval(p, x, *, unroll=16):
    """Like jnp.polyval: Horner's rule over p's first axis."""
    return _polyval_jit(p, x, unroll=unroll)


def _polyadd_impl(a1, a2):
    a1, a2 = _promote("polyadd", asarray(a1), asarray(a2))
    n1, n2 = aval_of(a1).shape[0], aval_of(a2).shape[0]
    if n2 <= n1:
        return a1.at[n1 - n2 :].add(a2)
    return a2.at[n2 - n1 :].add(a1)


polyadd = jit(_polyadd_impl)
polyadd.__doc__ = "Like jnp.polyadd."


def _polysub_impl(a1, a2):
    a1, a2 = _promote("polysub", asarray(a1), asarray(a2))
    return _polyadd_impl(a1, lax.neg(a2))


polysub = jit(_polysub_impl)
polysub.__doc__ = "Like jnp.polysub."


def polymul(a1, a2, *, trim_leading_zeros=False):
    """Like jnp.polymul: the full convolution of the coefficients."""
    a1, a2 = _promote_inexact("polymul", asarray(a1), asarray(a2))
    if trim_leading_zeros and (aval_of(a1).shape[0] > 1 or aval_of(a2).shape[0] > 1):
        a1, a2 = trim_zeros(a1, trim="f"), trim_zeros(a2, trim="f")
    if aval_of(a1).shape[0] == 0:
        a1 = zeros(1, dtype=aval_of(a2).dtype)
    if aval_of(a2).shape[0] == 0:
        a2 = zeros(1, dtype=aval_of(a1).dtype)
    return convolve(a1, a2, mode="full")


def _polydiv_impl(u, v):
    u, v = _promote_inexact("polydiv", asarray(u), asarray(v))
    m, n = aval_of(u).shape[0] - 1, aval_of(v).shape[0] - 1
    scale = 1.0 / v[0]
    q = zeros(max(m - n + 1, 1), dtype=aval_of(u).dtype)
    for k in range(m - n + 1):
        d = scale * u[k]
        q = q.at[k].set(d)
        u = u.at[k : k + n + 1].add(-d * v)
    return q, u


_polydiv_jit = jit(_polydiv_impl)


def polydiv(u, v, *, trim_leading_zeros=False):
    """Like jnp.polydiv: (quotient, remainder) by long division."""
    q, r = _polydiv_jit(u, v)
    if trim_leading_zeros:
        r_host = np.asarray(_concrete("polydiv", r))
        tol = np.sqrt(np.finfo(r_host.dtype).eps)
        nz = np.abs(r_host) >= tol
        start = int(np.argmax(nz)) if nz.any() else len(r_host)
        r = r[start:]
    return q, r


def _concrete(name, x):
    if isinstance(x, Tracer):
        raise user_error(TypeError, f"{name} with trim_leading_zeros=True needs concrete inputs")
    return x


def _polyder_impl(p, m):
    (p,) = _promote_inexact("polyder", asarray(p))
    if m == 0:
        return p
    n = aval_of(p).shape[0]
    dt = aval_of(p).dtype
    coeff = np.prod(np.arange(m, n)[None] - np.arange(m)[:, None], axis=0)[::-1]
    return p[: n - m] * asarray(coeff.astype(np.float64)).astype(dt) if n > m else p[:0]


_polyder_jit = jit(_polyder_impl, static_argnums=(1,))


def polyder(p, m=1):
    """Like jnp.polyder: the m-th derivative's coefficients."""
    m = operator.index(m)
    if m < 0:
        raise user_error(ValueError, "Order of derivative must be positive")
    return _polyder_jit(p, m)


def _polyint_impl(p, m, k):
    p, k = _promote_inexact("polyint", asarray(p), asarray(0 if k is None else k))
    k = atleast_1d(k)
    if aval_of(k).shape[0] == 1:
        k = lax.broadcast_in_dim(lax.reshape(k, ()), (m,), ())
    if aval_of(k).shape != (m,):
        raise user_error(ValueError, "k must be a scalar or a rank-1 array of length 1 or m.")
    if m == 0:
        return p
    n = aval_of(p).shape[0]
    grid = np.arange(n + m)[None] - np.arange(m)[:, None]
    coeff = np.prod(np.maximum(1, grid), axis=0)[::-1].astype(np.float64)
    return concatenate((p, k)) / asarray(coeff).astype(aval_of(p).dtype)


_polyint_jit = jit(_polyint_impl, static_argnums=(1,))


def polyint(p, m=1, k=None):
    """Like jnp.polyint: the m-th antiderivative, integration constants k."""
    m = operator.index(m)
    if isinstance(k, (list, tuple)):
        raise user_error(
            TypeError, f"polyint requires ndarray or scalar arguments, got {type(k)} at position 1."
        )
    if m < 0:
        raise user_error(ValueError, "Order of integral must be positive (see polyder)")
    return _polyint_jit(p, m, k)


def poly(seq_of_zeros):
    """Like jnp.poly: the monic polynomial with the given roots (of a square
    matrix: its eigenvalues, so complex coefficients)."""
    (z,) = _promote_inexact("poly", asarray(seq_of_zeros))
    z = atleast_1d(z)
    sh = aval_of(z).shape
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        from .linalg import eigvals

        z = eigvals(z)
        sh = aval_of(z).shape
    if aval_of(z).ndim != 1:
        raise user_error(ValueError, "input must be 1d or non-empty square 2d array.")
    dt = aval_of(z).dtype
    if sh[0] == 0:
        return lax.full((), 1, dt)
    a = lax.full((1,), 1, dt)
    one = lax.full((1,), 1, dt)
    for k in range(sh[0]):
        a = convolve(a, concatenate([one, lax.neg(z[k : k + 1])]), mode="full")
    return a


def roots(p, *, strip_zeros=True):
    """Like jnp.roots: the eigenvalues of the companion matrix (complex,
    geev's order). Leading zeros are stripped (which needs concrete
    coefficients), or with strip_zeros=False give NaN roots."""
    from .util import _check_arraylike

    _check_arraylike("roots", p)
    (p,) = _promote_inexact("roots", asarray(p))
    p = atleast_1d(p)
    if p.ndim != 1:
        raise user_error(ValueError, "Input must be a rank-1 array.")
    cdt = dtypes.complex_dtype(aval_of(p).dtype)
    if p.size < 2:
        return zeros((0,), cdt)
    if strip_zeros:
        if isinstance(p, Tracer):
            raise user_error(
                ConcretizationTypeError,
                "The error occurred in the jnp.roots() function. To use this within a "
                "JIT-compiled context, pass strip_zeros=False, but be aware that leading zeros "
                "will result in some returned roots being set to NaN.",
            )
        nonzero = np.flatnonzero(np.asarray(p) != 0)
        leading = int(nonzero[0]) if nonzero.size else p.size
        return _roots_no_zeros(p[leading:])
    return _roots_with_zeros(p)


@jit
def _roots_no_zeros(p):
    from .creation import ones
    from .linalg import eigvals
    from .selection import diag

    if p.size < 2:
        return zeros((0,), dtypes.complex_dtype(aval_of(p).dtype))
    a = diag(ones((p.size - 2,), aval_of(p).dtype), -1)
    a = a.at[0, :].set(-p[1:] / p[0])
    return eigvals(a)


@jit
def _roots_with_zeros(p):
    from .creation import arange
    from .reductions import all, argmin
    from .selection import roll
    from .ufuncs import where

    n = p.size
    leading = where(all(p == 0), n, argmin(p == 0))
    p = where(n == leading, 1.0, p)  # LAPACK would fail on all zeros
    found = _roots_no_zeros(roll(p, -leading))
    found = lax.sort_key_val(found == 0, found)[1]
    return where(arange(found.size) < found.size - leading, found, complex(np.nan, np.nan))


def _polyfit_impl(x, y, deg, rcond=None, full=False, w=None, cov=False):
    from . import linalg
    from .construction import vander
    from .util import _check_arraylike

    if w is None:
        _check_arraylike("polyfit", x, y)
    else:
        _check_arraylike("polyfit", x, y, w)
    x, y = asarray(x), asarray(y)
    if rcond is None:
        # JAX's default, from x's own dtype (an integer x raises ValueError).
        rcond = aval_of(x).shape[0] * float(dtypes.finfo(aval_of(x).dtype).eps)
    x, y = _promote_inexact("polyfit", x, y)
    deg = operator.index(deg)
    order = deg + 1
    if deg < 0:
        raise user_error(ValueError, "expected deg >= 0")
    xa, ya = aval_of(x), aval_of(y)
    if xa.ndim != 1:
        raise user_error(TypeError, "expected 1D vector for x")
    if xa.size == 0:
        raise user_error(TypeError, "expected non-empty vector for x")
    if ya.ndim < 1 or ya.ndim > 2:
        raise user_error(TypeError, "expected 1D or 2D array for y")
    if xa.shape[0] != ya.shape[0]:
        raise user_error(TypeError, "expected x and y to have same length")
    rcond = float(rcond)
    lhs = vander(x, order)
    rhs = y
    if w is not None:
        (w,) = _promote_inexact("polyfit", asarray(w))
        if aval_of(w).ndim != 1:
            raise user_error(TypeError, "expected a 1-d array for weights")
        if aval_of(w).shape[0] != ya.shape[0]:
            raise user_error(TypeError, "expected w and y to have the same length")
        lhs = lhs * w[:, None]
        rhs = rhs * (w[:, None] if ya.ndim == 2 else w)
    # Scale lhs to improve the condition number, and solve (as JAX).
    scale = lax.sqrt((lhs * lhs).sum(axis=0))
    lhs = lhs / scale[None, :]
    c, resids, rank, sv = linalg.lstsq(lhs, rhs, rcond)
    c = (c.T / scale[None, :]).T if aval_of(c).ndim > 1 else c / scale
    if full:
        return c, resids, rank, sv, asarray(rcond)
    if cov:
        from .contractions import dot, outer

        vbase = linalg.inv(dot(lhs.T, lhs)) / outer(scale, scale)
        if cov == "unscaled":
            fac = asarray(1.0)
        else:
            if xa.shape[0] <= order:
                raise user_error(
                    ValueError,
                    "the number of data points must exceed order to scale the covariance matrix",
                )
            fac = resids / (xa.shape[0] - order)
        if ya.ndim == 1:
            return c, vbase * atleast_1d(fac)[None]
        return c, vbase[:, :, None] * atleast_1d(fac)[None, None, :]
    return c


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """jnp.polyfit: least squares on the scaled Vandermonde matrix, as JAX.
    Not one jit: IREE fails to partition the whole solve as one module
    ("circular dependency"), so eagerly each step runs on its own."""
    if isinstance(deg, Tracer):
        raise user_error(TypeError, "deg must be int")
    return _polyfit_impl(x, y, deg, rcond, full, w, cov)


__all__ = [
    "poly",
    "polyadd",
    "polyder",
    "polydiv",
    "polyfit",
    "polyint",
    "polymul",
    "polysub",
    "polyval",
    "roots",
]
