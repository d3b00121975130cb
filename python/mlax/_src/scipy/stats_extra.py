"""jax.scipy.stats's remaining distributions (betabinom, gennorm, gumbel_l,
gumbel_r, multinomial, nbinom, truncnorm, vonmises, wrapcauchy,
multivariate_normal, gaussian_kde) and its summary functions (mode,
rankdata, sem), written as JAX writes them (jax/_src/scipy/stats/*.py).

stats.py holds the first distributions; this file shares its helpers.
"""

import math
from functools import partial
from typing import NamedTuple

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import creation, reductions, selection, shape, sorting, statistics
from ..numpy import ufuncs as uf
from ..numpy.util import _promote, _promote_inexact, array, asarray, broadcast_arrays
from ..transforms.batching import vmap
from ..transforms.jit import jit
from . import special as sp
from .special import _args, _const, _where
from .stats import _nan_where, _neg_inf_where, _scaled
from .stats import norm as _norm


def _log1mexp(x):
    """log(1 - exp(-x)), as jax.nn.log1mexp picks its two formulas."""
    return _where(
        lax.lt(x, math.log(2.0)),
        lax.log(lax.neg(lax.expm1(lax.neg(x)))),
        lax.log1p(lax.neg(lax.exp(lax.neg(x)))),
    )


class betabinom:
    @staticmethod
    @jit
    def logpmf(k, n, a, b, loc=0):
        k, n, a, b, loc = _args("betabinom.logpmf", k, n, a, b, loc)
        y = lax.sub(lax.floor(k), loc)
        combiln = lax.neg(
            lax.add(lax.log1p(n), sp._betaln(lax.add(lax.sub(n, y), 1.0), lax.add(y, 1.0)))
        )
        beta_lns = lax.sub(sp._betaln(lax.add(y, a), lax.add(lax.sub(n, y), b)), sp._betaln(a, b))
        log_probs = lax.add(combiln, beta_lns)
        trivial = lax.bitwise_and(lax.eq(y, 0.0), lax.eq(n, 0.0))
        log_probs = _where(trivial, _const(log_probs, 0.0), log_probs)
        outside = lax.bitwise_or(
            lax.bitwise_or(lax.lt(y, lax.neg(loc)), lax.gt(y, n)), lax.le(lax.add(y, a), 0.0)
        )
        log_probs = _neg_inf_where(outside, log_probs)
        bad = lax.bitwise_or(lax.bitwise_or(lax.lt(n, 0.0), lax.le(a, 0.0)), lax.le(b, 0.0))
        return _nan_where(bad, log_probs)

    @staticmethod
    @jit
    def pmf(k, n, a, b, loc=0):
        return lax.exp(betabinom.logpmf(k, n, a, b, loc))


class gennorm:
    @staticmethod
    @jit
    def logpdf(x, beta):
        x, beta = _args("gennorm.logpdf", x, beta)
        return lax.sub(
            lax.sub(lax.log(lax.mul(beta, 0.5)), sp.ls.lgamma(lax.div(1.0, beta))),
            lax.pow(lax.abs(x), beta),
        )

    @staticmethod
    @jit
    def cdf(x, beta):
        x, beta = _args("gennorm.cdf", x, beta)
        inc = sp.gammainc(lax.div(1.0, beta), lax.pow(lax.abs(x), beta))
        return lax.mul(lax.add(lax.mul(lax.sign(x), inc), 1.0), 0.5)

    @staticmethod
    @jit
    def pdf(x, beta):
        return lax.exp(gennorm.logpdf(x, beta))


def _positive_scale_or_nan(scale, value):
    return _nan_where(lax.bitwise_not(lax.gt(scale, 0.0)), value)


class gumbel_l:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_l.logpdf", x, loc, scale)
        z = _scaled(x, loc, scale)
        log_pdf = lax.add(sp._xlogy(_const(scale, -1.0), scale), lax.sub(z, lax.exp(z)))
        return _positive_scale_or_nan(scale, log_pdf)

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(gumbel_l.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def logcdf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_l.logcdf", x, loc, scale)
        neg_exp_z = lax.neg(lax.exp(_scaled(x, loc, scale)))
        return _positive_scale_or_nan(scale, lax.log(lax.neg(lax.expm1(neg_exp_z))))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        return lax.exp(gumbel_l.logcdf(x, loc, scale))

    @staticmethod
    @jit
    def ppf(p, loc=0, scale=1):
        p, loc, scale = _args("gumbel_l.ppf", p, loc, scale)
        ok = lax.bitwise_and(lax.gt(p, 0.0), lax.lt(p, 1.0))
        t1 = sp._xlog1py(_const(p, -1.0), lax.neg(p))
        quantile = lax.add(loc, lax.mul(scale, lax.log(t1)))
        return _nan_where(lax.bitwise_not(ok), quantile)

    @staticmethod
    @jit
    def logsf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_l.logsf", x, loc, scale)
        return _positive_scale_or_nan(scale, lax.neg(lax.exp(_scaled(x, loc, scale))))

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        return lax.exp(gumbel_l.logsf(x, loc, scale))


class gumbel_r:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_r.logpdf", x, loc, scale)
        z = _scaled(x, loc, scale)
        t2 = lax.neg(lax.add(z, lax.exp(lax.neg(z))))
        return _positive_scale_or_nan(scale, lax.add(sp._xlogy(_const(scale, -1.0), scale), t2))

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(gumbel_r.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def logcdf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_r.logcdf", x, loc, scale)
        z = _scaled(x, loc, scale)
        return _positive_scale_or_nan(scale, lax.neg(lax.exp(lax.neg(z))))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        return lax.exp(gumbel_r.logcdf(x, loc, scale))

    @staticmethod
    @jit
    def ppf(p, loc=0, scale=1):
        p, loc, scale = _args("gumbel_r.ppf", p, loc, scale)
        ok = lax.bitwise_and(lax.gt(p, 0.0), lax.lt(p, 1.0))
        t1 = sp._xlogy(_const(p, -1.0), p)
        quantile = lax.sub(loc, lax.mul(scale, lax.log(t1)))
        return _nan_where(lax.bitwise_not(ok), quantile)

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_r.sf", x, loc, scale)
        neg_z = lax.div(lax.sub(loc, x), scale)
        value = lax.sub(1.0, lax.exp(lax.neg(lax.exp(neg_z))))
        return _positive_scale_or_nan(scale, value)

    @staticmethod
    @jit
    def logsf(x, loc=0, scale=1):
        x, loc, scale = _args("gumbel_r.logsf", x, loc, scale)
        neg_z = lax.div(lax.sub(loc, x), scale)
        return _positive_scale_or_nan(scale, _log1mexp(lax.exp(neg_z)))


class multinomial:
    @staticmethod
    @jit
    def logpmf(x, n, p):
        (p,) = _promote_inexact("multinomial.logpmf", p)
        x, n = _promote("multinomial.logpmf", x, n)
        x_dtype, n_dtype = aval_of(x).dtype, aval_of(n).dtype
        if not np.issubdtype(x_dtype, np.integer):
            raise user_error(
                ValueError,
                f"x and n must be of integer type; got x.dtype={x_dtype}, n.dtype={n_dtype}",
            )
        p_dtype = aval_of(p).dtype
        x = lax.convert_element_type(x, p_dtype)
        n = lax.convert_element_type(n, p_dtype)
        terms = uf.subtract(sp._xlogy(*_args("xlogy", x, p)), sp.ls.lgamma(uf.add(x, 1)))
        logprobs = uf.add(sp.ls.lgamma(uf.add(n, 1)), reductions.sum(terms, axis=-1))
        # JAX compares the sum over all of x (not the last axis) with n
        return uf.where(uf.equal(reductions.sum(x), n), logprobs, -np.inf)

    @staticmethod
    @jit
    def pmf(x, n, p):
        return lax.exp(multinomial.logpmf(x, n, p))


class nbinom:
    @staticmethod
    @jit
    def logpmf(k, n, p, loc=0):
        k, n, p, loc = _args("nbinom.logpmf", k, n, p, loc)
        y = lax.sub(k, loc)
        lg = sp.ls.lgamma
        comb_term = lax.sub(lax.sub(lg(lax.add(y, n)), lg(n)), lg(lax.add(y, 1.0)))
        log_linear = lax.add(sp._xlogy(n, p), sp._xlogy(y, lax.sub(1.0, p)))
        return _neg_inf_where(lax.lt(k, loc), lax.add(comb_term, log_linear))

    @staticmethod
    @jit
    def pmf(k, n, p, loc=0):
        return lax.exp(nbinom.logpmf(k, n, p, loc))


def _log_diff(x, y):
    """log(exp(x) - exp(y)) by JAX's logsumexp with b = [1, -1]."""
    return sp.logsumexp(
        shape.stack([x, y]),
        b=shape.stack([creation.ones_like(x), uf.negative(creation.ones_like(y))]),
        axis=0,
    )


def _log_gauss_mass(a, b):
    a, b = broadcast_arrays(asarray(a), asarray(b))
    case_left = lax.le(b, 0.0)
    case_right = lax.gt(a, 0.0)
    case_central = lax.bitwise_not(lax.bitwise_or(case_left, case_right))
    a_tail = _where(case_right, lax.neg(b), a)
    b_tail = _where(case_right, lax.neg(a), b)
    mass_tail = _log_diff(sp._log_ndtr(b_tail, 3), sp._log_ndtr(a_tail, 3))
    mass_central = lax.log1p(lax.sub(lax.neg(sp._ndtr(a)), sp._ndtr(lax.neg(b))))
    return uf.where(case_central, mass_central, mass_tail)


class truncnorm:
    @staticmethod
    @jit
    def logpdf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("truncnorm.logpdf", x, a, b, loc, scale)
        val = uf.subtract(_norm.logpdf(x, loc, scale), _log_gauss_mass(a, b))
        x_scaled = _scaled(x, loc, scale)
        val = uf.where(lax.bitwise_or(lax.lt(x_scaled, a), lax.gt(x_scaled, b)), -np.inf, val)
        return uf.where(lax.ge(a, b), np.nan, val)

    @staticmethod
    @jit
    def pdf(x, a, b, loc=0, scale=1):
        return lax.exp(truncnorm.logpdf(x, a, b, loc, scale))

    @staticmethod
    @jit
    def logsf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("truncnorm.logsf", x, a, b, loc, scale)
        return truncnorm.logcdf(lax.neg(x), lax.neg(b), lax.neg(a), lax.neg(loc), scale)

    @staticmethod
    @jit
    def sf(x, a, b, loc=0, scale=1):
        return lax.exp(truncnorm.logsf(x, a, b, loc, scale))

    @staticmethod
    @jit
    def logcdf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("truncnorm.logcdf", x, a, b, loc, scale)
        x = _scaled(x, loc, scale)
        lgm_ab = _log_gauss_mass(a, b)
        logcdf = uf.subtract(_log_gauss_mass(a, x), lgm_ab)
        logsf = uf.subtract(_log_gauss_mass(x, b), lgm_ab)
        choices = [0, -np.inf, uf.log1p(uf.negative(uf.exp(logsf))), logcdf]
        conds = [lax.ge(x, b), lax.le(x, a), uf.greater(logcdf, -0.1), lax.gt(x, a)]
        out = selection.select(conds, choices)
        return uf.where(lax.ge(a, b), np.nan, out)

    @staticmethod
    @jit
    def cdf(x, a, b, loc=0, scale=1):
        return lax.exp(truncnorm.logcdf(x, a, b, loc, scale))


class vonmises:
    @staticmethod
    @jit
    def logpdf(x, kappa):
        x, kappa = _args("vonmises.logpdf", x, kappa)
        value = uf.subtract(
            uf.multiply(kappa, uf.subtract(uf.cos(x), 1)),
            uf.log(uf.multiply(2 * np.pi, lax.bessel_i0e(kappa))),
        )
        return uf.where(lax.gt(kappa, 0.0), value, np.nan)

    @staticmethod
    @jit
    def pdf(x, kappa):
        return lax.exp(vonmises.logpdf(x, kappa))


class wrapcauchy:
    @staticmethod
    @jit
    def logpdf(x, c):
        x, c = _args("wrapcauchy.logpdf", x, c)
        c2 = uf.multiply(c, c)
        value = uf.subtract(
            uf.subtract(uf.log(uf.subtract(1, c2)), uf.log(2 * np.pi)),
            uf.log(uf.subtract(uf.add(1, c2), uf.multiply(uf.multiply(2, c), uf.cos(x)))),
        )
        in_range = lax.bitwise_and(lax.ge(x, 0.0), lax.le(x, np.pi * 2))
        valid_c = lax.bitwise_and(lax.gt(c, 0.0), lax.lt(c, 1.0))
        return uf.where(valid_c, uf.where(in_range, value, -np.inf), np.nan)

    @staticmethod
    @jit
    def pdf(x, c):
        return lax.exp(wrapcauchy.logpdf(x, c))


# ---------------------------------------------------------------------------
# mode, rankdata, sem
# ---------------------------------------------------------------------------


class ModeResult(NamedTuple):
    mode: object
    count: object


def _check_nan_policy(name, nan_policy):
    if nan_policy not in ["propagate", "omit", "raise"]:
        raise user_error(
            ValueError,
            f"Illegal nan_policy value {nan_policy!r}; expected one of "
            "{'propagate', 'omit', 'raise'}",
        )
    if nan_policy == "omit":
        raise user_error(
            NotImplementedError, f"Logic for `nan_policy` of {nan_policy} is not implemented"
        )
    if nan_policy == "raise":
        raise user_error(
            NotImplementedError,
            f"In order to best JIT compile `{name}`, we cannot know whether `x` contains "
            f"nans. Please check if nans exist in `x` outside of the `{name}` function.",
        )


def _canonical_axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


@partial(jit, static_argnames=["axis", "nan_policy", "keepdims"])
def mode(a, axis=0, nan_policy="propagate", keepdims=False):
    x = shape.atleast_1d(asarray(a))
    _check_nan_policy("mode", nan_policy)
    in_shape = aval_of(x).shape
    if axis is not None:
        axis = _canonical_axis(axis, len(in_shape))
    if keepdims:
        out_shape = tuple(1 if axis is None or i == axis else s for i, s in enumerate(in_shape))
    elif axis is None:
        out_shape = ()
    else:
        out_shape = tuple(s for i, s in enumerate(in_shape) if i != axis)
    if axis is None:
        axis = 0
        x = shape.ravel(x)

    def mode_of_column(col):
        size = aval_of(col).shape[0]
        if size == 0:
            float_dtype = dtypes.default_float()
            return array(np.nan, float_dtype), array(0, float_dtype)
        vals, counts = sorting.unique(col, return_counts=True, size=size)
        return vals[reductions.argmax(counts)], reductions.max(counts)

    x = shape.moveaxis(x, axis, 0)
    xs = aval_of(x).shape
    x = shape.reshape(x, (xs[0], math.prod(xs[1:])))
    vals, counts = vmap(mode_of_column, in_axes=1)(x)
    return ModeResult(shape.reshape(vals, out_shape), shape.reshape(counts, out_shape))


def _invert_permutation(perm):
    n = aval_of(perm).shape[0]
    return creation.empty_like(perm).at[perm].set(creation.arange(n, dtype=aval_of(perm).dtype))


@partial(jit, static_argnames=["method", "axis", "nan_policy"])
def rankdata(a, method="average", *, axis=None, nan_policy="propagate"):
    a = asarray(a)
    _check_nan_policy("rankdata", nan_policy)
    if method not in ("average", "min", "max", "dense", "ordinal"):
        raise user_error(ValueError, f"unknown method '{method}'")
    if axis is not None:
        from ..numpy.numerics import apply_along_axis

        return apply_along_axis(rankdata, axis, a, method)
    a = shape.ravel(a)
    size = aval_of(a).shape[0]
    out_dtype = dtypes.default_float()
    sorter = sorting.argsort(a, stable=True)
    arr = a[sorter]
    inv = _invert_permutation(sorter)
    if method == "ordinal":
        ranks = lax.convert_element_type(uf.add(inv, 1), out_dtype)
    else:
        obs = shape.concatenate([array([True]), uf.not_equal(arr[1:], arr[:-1])])
        dense = reductions.cumsum(obs)[inv]
        if method == "dense":
            ranks = lax.convert_element_type(dense, out_dtype)
        else:
            count = selection.nonzero(obs, size=size + 1, fill_value=size)[0]
            count = lax.convert_element_type(count, out_dtype)
            if method == "max":
                ranks = count[dense]
            elif method == "min":
                ranks = uf.add(count[uf.subtract(dense, 1)], 1)
            else:
                ranks = uf.multiply(
                    0.5, uf.add(uf.add(count[dense], count[uf.subtract(dense, 1)]), 1)
                )
    has_nan = reductions.any(uf.isnan(a))
    return uf.where(has_nan, creation.full_like(a, np.nan, out_dtype), ranks)


@partial(jit, static_argnames=["axis", "nan_policy", "keepdims"])
def sem(a, axis=0, ddof=1, nan_policy="propagate", *, keepdims=False):
    (b,) = _promote_inexact("sem", a)
    b_dtype = aval_of(b).dtype
    if nan_policy == "propagate":
        size = math.prod(aval_of(b).shape) if axis is None else aval_of(b).shape[axis]
        spread = reductions.std(b, axis, ddof=ddof, keepdims=keepdims)
        return uf.divide(spread, lax.convert_element_type(uf.sqrt(size), b_dtype))
    if nan_policy == "omit":
        count = reductions.sum(uf.logical_not(uf.isnan(b)), axis, keepdims=keepdims)
        spread = statistics.nanstd(b, axis, ddof=ddof, keepdims=keepdims)
        return uf.divide(spread, lax.convert_element_type(uf.sqrt(count), b_dtype))
    raise user_error(ValueError, f"{nan_policy} is not supported")


# ---------------------------------------------------------------------------
# multivariate_normal
# ---------------------------------------------------------------------------


class multivariate_normal:
    @staticmethod
    @partial(jit, static_argnames=["allow_singular"])
    def logpdf(x, mean, cov, allow_singular=None):
        from ..numpy.contractions import einsum
        from ..numpy.lax_linalg import cholesky, triangular_solve
        from ..numpy.numerics import vectorize

        if allow_singular is not None:
            raise user_error(
                NotImplementedError, "allow_singular argument of multivariate_normal.logpdf"
            )
        x, mean, cov = _promote_inexact("multivariate_normal.logpdf", x, mean, cov)
        log_2pi = uf.log(2 * np.pi)
        mean_shape = aval_of(mean).shape
        if not mean_shape:
            quad = uf.divide(uf.multiply(-1 / 2, uf.square(uf.subtract(x, mean))), cov)
            return uf.subtract(quad, uf.multiply(1 / 2, uf.add(log_2pi, uf.log(cov))))
        n = mean_shape[-1]
        cov_shape = aval_of(cov).shape
        if not cov_shape:
            y = uf.subtract(x, mean)
            quad = uf.divide(uf.multiply(-1 / 2, einsum("...i,...i->...", y, y)), cov)
            return uf.subtract(quad, uf.multiply(n / 2, uf.add(log_2pi, uf.log(cov))))
        if len(cov_shape) < 2 or cov_shape[-2:] != (n, n):
            raise user_error(ValueError, "multivariate_normal.logpdf got incompatible shapes")
        chol = cholesky(cov)

        # y L^T = x - mean as one row (mlax's triangular_solve takes no 1-D b)
        def solve_row(chol, b):
            return triangular_solve(chol, b[None, :], lower=True, transpose_a=True)[0]

        solve = vectorize(solve_row, signature="(n,n),(n)->(n)")
        y = solve(chol, uf.subtract(x, mean))
        log_diag = reductions.sum(uf.log(selection.diagonal(chol, axis1=-1, axis2=-2)), -1)
        quad = uf.multiply(-1 / 2, einsum("...i,...i->...", y, y))
        return uf.subtract(uf.subtract(quad, uf.multiply(n / 2, log_2pi)), log_diag)

    @staticmethod
    @jit
    def pdf(x, mean, cov):
        return lax.exp(multivariate_normal.logpdf(x, mean, cov))
