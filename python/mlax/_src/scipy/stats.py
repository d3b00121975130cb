"""mlax.scipy.stats: jax.scipy.stats's distributions, each a namespace of
its functions written as JAX writes them (jax/_src/scipy/stats/*.py).

Every function is jitted: an eager call compiles one executable per
signature rather than one per op.
"""

import math

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy.util import _promote_inexact, asarray
from ..transforms.jit import jit
from . import special as sp
from .special import _args, _const, _isnan, _where


def _neg_inf_where(pred, x):
    return _where(pred, _const(x, -math.inf), x)


def _nan_where(pred, x):
    return _where(pred, _const(x, math.nan), x)


def _any(*preds):
    out = preds[0]
    for p in preds[1:]:
        out = lax.bitwise_or(out, p)
    return out


def _scaled(x, loc, scale):
    return lax.div(lax.sub(x, loc), scale)


class norm:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("norm.logpdf", x, loc, scale)
        scale_sqrd = lax.mul(scale, scale)
        log_normalizer = lax.log(lax.mul(scale_sqrd, 2 * math.pi))
        quadratic = lax.div(lax.integer_pow(lax.sub(x, loc), 2), scale_sqrd)
        return lax.div(lax.add(log_normalizer, quadratic), -2.0)

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(norm.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("norm.cdf", x, loc, scale)
        return sp._ndtr(_scaled(x, loc, scale))

    @staticmethod
    @jit
    def logcdf(x, loc=0, scale=1):
        x, loc, scale = _args("norm.logcdf", x, loc, scale)
        return sp._log_ndtr(_scaled(x, loc, scale), 3)

    @staticmethod
    @jit
    def ppf(q, loc=0, scale=1):
        q = asarray(q)
        if aval_of(q).dtype not in (np.float32, np.float64):
            raise user_error(
                TypeError,
                f"x.dtype={aval_of(q).dtype.name} is not supported, see docstring for "
                f"supported types.",
            )
        from ..numpy import ufuncs

        out = ufuncs.add(ufuncs.multiply(sp._ndtri(q), scale), loc)
        return lax.convert_element_type(out, dtypes.default_float())

    @staticmethod
    @jit
    def logsf(x, loc=0, scale=1):
        x, loc, scale = _args("norm.logsf", x, loc, scale)
        return norm.logcdf(lax.neg(x), lax.neg(loc), scale)

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        x, loc, scale = _args("norm.sf", x, loc, scale)
        return norm.cdf(lax.neg(x), lax.neg(loc), scale)

    @staticmethod
    @jit
    def isf(q, loc=0, scale=1):
        q = asarray(q)
        return norm.ppf(lax.sub(_const(q, 1.0), q), loc, scale)


class uniform:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("uniform.logpdf", x, loc, scale)
        outside = lax.bitwise_or(lax.gt(x, lax.add(loc, scale)), lax.lt(x, loc))
        return _neg_inf_where(outside, lax.neg(lax.log(scale)))

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(uniform.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("uniform.cdf", x, loc, scale)
        hi = lax.add(loc, scale)
        inside = lax.bitwise_and(lax.ge(x, loc), lax.le(x, hi))
        out = _where(inside, _scaled(x, loc, scale), _const(x, 0.0))
        out = _where(lax.gt(x, hi), _const(x, 1.0), out)
        out = _where(lax.lt(x, loc), _const(x, 0.0), out)
        return lax.convert_element_type(out, aval_of(x).dtype, False)

    @staticmethod
    @jit
    def ppf(q, loc=0, scale=1):
        q, loc, scale = _args("uniform.ppf", q, loc, scale)
        bad = _any(_isnan(q), lax.lt(q, 0.0), lax.gt(q, 1.0))
        return _nan_where(bad, lax.add(loc, lax.mul(scale, q)))


class expon:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("expon.logpdf", x, loc, scale)
        log_probs = lax.neg(lax.add(_scaled(x, loc, scale), lax.log(scale)))
        return _neg_inf_where(lax.lt(x, loc), log_probs)

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(expon.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("expon.cdf", x, loc, scale)
        neg_scaled_x = lax.div(lax.sub(loc, x), scale)
        return _where(lax.lt(x, loc), _const(x, 0.0), lax.neg(lax.expm1(neg_scaled_x)))

    @staticmethod
    @jit
    def logcdf(x, loc=0, scale=1):
        return lax.log1p(lax.neg(expon.sf(x, loc, scale)))

    @staticmethod
    @jit
    def logsf(x, loc=0, scale=1):
        x, loc, scale = _args("expon.sf", x, loc, scale)
        neg_scaled_x = lax.div(lax.sub(loc, x), scale)
        return _where(lax.lt(x, loc), _const(x, 0.0), neg_scaled_x)

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        return lax.exp(expon.logsf(x, loc, scale))

    @staticmethod
    @jit
    def ppf(q, loc=0, scale=1):
        q, loc, scale = _args("expon.ppf", q, loc, scale)
        bad = _any(_isnan(q), lax.lt(q, 0.0), lax.gt(q, 1.0))
        return _nan_where(bad, lax.sub(loc, lax.mul(scale, lax.log1p(lax.neg(q)))))


class beta:
    @staticmethod
    @jit
    def logpdf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("beta.logpdf", x, a, b, loc, scale)
        y = _scaled(x, loc, scale)
        log_linear = lax.add(
            sp._xlogy(lax.sub(a, 1.0), y), sp._xlog1py(lax.sub(b, 1.0), lax.neg(y))
        )
        log_probs = lax.sub(lax.add(lax.neg(sp._betaln(a, b)), log_linear), lax.log(scale))
        outside = lax.bitwise_or(lax.gt(x, lax.add(loc, scale)), lax.lt(x, loc))
        result = _neg_inf_where(outside, log_probs)
        return _nan_where(_any(lax.le(a, 0.0), lax.le(b, 0.0), lax.le(scale, 0.0)), result)

    @staticmethod
    @jit
    def pdf(x, a, b, loc=0, scale=1):
        return lax.exp(beta.logpdf(x, a, b, loc, scale))

    @staticmethod
    @jit
    def cdf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("beta.cdf", x, a, b, loc, scale)
        return sp.betainc(a, b, lax.clamp(0.0, _scaled(x, loc, scale), 1.0))

    @staticmethod
    @jit
    def logcdf(x, a, b, loc=0, scale=1):
        return lax.log(beta.cdf(x, a, b, loc, scale))

    @staticmethod
    @jit
    def sf(x, a, b, loc=0, scale=1):
        x, a, b, loc, scale = _args("beta.sf", x, a, b, loc, scale)
        return sp.betainc(b, a, lax.sub(1.0, lax.clamp(0.0, _scaled(x, loc, scale), 1.0)))

    @staticmethod
    @jit
    def logsf(x, a, b, loc=0, scale=1):
        return lax.log(beta.sf(x, a, b, loc, scale))


class gamma:
    @staticmethod
    @jit
    def logpdf(x, a, loc=0, scale=1):
        x, a, loc, scale = _args("gamma.logpdf", x, a, loc, scale)
        ok = lax.ge(x, loc)
        y = _where(ok, _scaled(x, loc, scale), _const(x, 1.0))
        log_linear = lax.sub(sp._xlogy(lax.sub(a, 1.0), y), y)
        log_probs = lax.sub(log_linear, lax.add(sp.ls.lgamma(a), lax.log(scale)))
        return _neg_inf_where(lax.bitwise_not(ok), log_probs)

    @staticmethod
    @jit
    def pdf(x, a, loc=0, scale=1):
        return lax.exp(gamma.logpdf(x, a, loc, scale))

    @staticmethod
    @jit
    def cdf(x, a, loc=0, scale=1):
        x, a, loc, scale = _args("gamma.cdf", x, a, loc, scale)
        return sp.gammainc(a, lax.clamp(0.0, _scaled(x, loc, scale), math.inf))

    @staticmethod
    @jit
    def logcdf(x, a, loc=0, scale=1):
        return lax.log(gamma.cdf(x, a, loc, scale))

    @staticmethod
    @jit
    def sf(x, a, loc=0, scale=1):
        x, a, loc, scale = _args("gamma.sf", x, a, loc, scale)
        y = _scaled(x, loc, scale)
        return _where(lax.lt(y, 0.0), _const(y, 1.0), sp.gammaincc(a, y))

    @staticmethod
    @jit
    def logsf(x, a, loc=0, scale=1):
        return lax.log(gamma.sf(x, a, loc, scale))


class chi2:
    @staticmethod
    @jit
    def logpdf(x, df, loc=0, scale=1):
        x, df, loc, scale = _args("chi2.logpdf", x, df, loc, scale)
        y = _scaled(x, loc, scale)
        df_on_two = lax.div(df, 2.0)
        kernel = lax.sub(lax.mul(lax.sub(df_on_two, 1.0), lax.log(y)), lax.div(y, 2.0))
        normalizer = lax.neg(
            lax.add(sp.ls.lgamma(df_on_two), lax.div(lax.mul(df, math.log(2.0)), 2.0))
        )
        log_probs = lax.add(lax.sub(normalizer, lax.log(scale)), kernel)
        return _neg_inf_where(lax.lt(x, loc), log_probs)

    @staticmethod
    @jit
    def pdf(x, df, loc=0, scale=1):
        return lax.exp(chi2.logpdf(x, df, loc, scale))

    @staticmethod
    @jit
    def cdf(x, df, loc=0, scale=1):
        x, df, loc, scale = _args("chi2.cdf", x, df, loc, scale)
        y = lax.clamp(0.0, lax.div(lax.sub(x, loc), lax.mul(scale, 2.0)), math.inf)
        return sp.gammainc(lax.div(df, 2.0), y)

    @staticmethod
    @jit
    def logcdf(x, df, loc=0, scale=1):
        return lax.log(chi2.cdf(x, df, loc, scale))

    @staticmethod
    @jit
    def sf(x, df, loc=0, scale=1):
        x, df, loc, scale = _args("chi2.sf", x, df, loc, scale)
        y = lax.clamp(0.0, lax.div(lax.sub(x, loc), lax.mul(scale, 2.0)), math.inf)
        return sp.gammaincc(lax.div(df, 2.0), y)

    @staticmethod
    @jit
    def logsf(x, df, loc=0, scale=1):
        return lax.log(chi2.sf(x, df, loc, scale))


class t:
    @staticmethod
    @jit
    def logpdf(x, df, loc=0, scale=1):
        x, df, loc, scale = _args("t.logpdf", x, df, loc, scale)
        scaled_x = _scaled(x, loc, scale)
        half_df = lax.div(df, 2.0)
        half_df_plus_half = lax.add(half_df, 0.5)
        normalize = lax.div(lax.log(lax.mul(lax.mul(lax.mul(scale, scale), math.pi), df)), 2.0)
        normalize = lax.sub(
            lax.add(sp.ls.lgamma(half_df), normalize), sp.ls.lgamma(half_df_plus_half)
        )
        quadratic = lax.div(lax.mul(scaled_x, scaled_x), df)
        return lax.neg(lax.add(normalize, lax.mul(half_df_plus_half, lax.log1p(quadratic))))

    @staticmethod
    @jit
    def pdf(x, df, loc=0, scale=1):
        return lax.exp(t.logpdf(x, df, loc, scale))


class logistic:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("logistic.logpdf", x, loc, scale)
        half_x = lax.div(_scaled(x, loc, scale), 2.0)
        # logaddexp(h, -h) = |h| + log1p(exp(-2|h|)) (NaN stays NaN)
        abs_h = lax.abs(half_x)
        logaddexp = lax.add(abs_h, lax.log1p(lax.exp(lax.mul(abs_h, -2.0))))
        return lax.sub(lax.mul(logaddexp, -2.0), lax.log(scale))

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(logistic.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def ppf(x, loc=0, scale=1):
        x, loc, scale = _args("logistic.ppf", x, loc, scale)
        return lax.add(lax.mul(sp._logit(x), scale), loc)

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        x, loc, scale = _args("logistic.sf", x, loc, scale)
        return lax.logistic(lax.neg(_scaled(x, loc, scale)))

    @staticmethod
    @jit
    def isf(x, loc=0, scale=1):
        x, loc, scale = _args("logistic.isf", x, loc, scale)
        return lax.add(lax.mul(lax.neg(sp._logit(x)), scale), loc)

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("logistic.cdf", x, loc, scale)
        return lax.logistic(_scaled(x, loc, scale))


class laplace:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("laplace.logpdf", x, loc, scale)
        linear = lax.div(lax.abs(lax.sub(x, loc)), scale)
        return lax.neg(lax.add(linear, lax.log(lax.mul(scale, 2.0))))

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(laplace.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("laplace.cdf", x, loc, scale)
        diff = _scaled(x, loc, scale)
        below = lax.mul(lax.exp(diff), 0.5)
        above = lax.sub(1.0, lax.mul(lax.exp(lax.neg(diff)), 0.5))
        return _where(lax.le(diff, 0.0), below, above)


class cauchy:
    @staticmethod
    @jit
    def logpdf(x, loc=0, scale=1):
        x, loc, scale = _args("cauchy.logpdf", x, loc, scale)
        scaled_x = _scaled(x, loc, scale)
        normalize = lax.log(lax.mul(scale, math.pi))
        return lax.neg(lax.add(normalize, lax.log1p(lax.mul(scaled_x, scaled_x))))

    @staticmethod
    @jit
    def pdf(x, loc=0, scale=1):
        return lax.exp(cauchy.logpdf(x, loc, scale))

    @staticmethod
    @jit
    def cdf(x, loc=0, scale=1):
        x, loc, scale = _args("cauchy.cdf", x, loc, scale)
        return lax.add(lax.mul(sp.ls.atan(_scaled(x, loc, scale)), 1.0 / math.pi), 0.5)

    @staticmethod
    @jit
    def logcdf(x, loc=0, scale=1):
        return lax.log(cauchy.cdf(x, loc, scale))

    @staticmethod
    @jit
    def sf(x, loc=0, scale=1):
        x, loc, scale = _args("cauchy.sf", x, loc, scale)
        return cauchy.cdf(lax.neg(x), lax.neg(loc), scale)

    @staticmethod
    @jit
    def logsf(x, loc=0, scale=1):
        x, loc, scale = _args("cauchy.logsf", x, loc, scale)
        return cauchy.logcdf(lax.neg(x), lax.neg(loc), scale)

    @staticmethod
    @jit
    def isf(q, loc=0, scale=1):
        q, loc, scale = _args("cauchy.isf", q, loc, scale)
        unscaled = lax.tan(lax.sub(math.pi / 2, lax.mul(q, math.pi)))
        return lax.add(lax.mul(unscaled, scale), loc)

    @staticmethod
    @jit
    def ppf(q, loc=0, scale=1):
        q, loc, scale = _args("cauchy.ppf", q, loc, scale)
        unscaled = lax.tan(lax.sub(lax.mul(q, math.pi), math.pi / 2))
        return lax.add(lax.mul(unscaled, scale), loc)


class pareto:
    @staticmethod
    @jit
    def logpdf(x, b, loc=0, scale=1):
        x, b, loc, scale = _args("pareto.logpdf", x, b, loc, scale)
        scaled_x = _scaled(x, loc, scale)
        normalize = lax.log(lax.div(scale, b))
        log_probs = lax.neg(lax.add(normalize, lax.mul(lax.add(b, 1.0), lax.log(scaled_x))))
        return _neg_inf_where(lax.lt(x, lax.add(loc, scale)), log_probs)

    @staticmethod
    @jit
    def pdf(x, b, loc=0, scale=1):
        return lax.exp(pareto.logpdf(x, b, loc, scale))

    @staticmethod
    @jit
    def cdf(x, b, loc=0, scale=1):
        x, b, loc, scale = _args("pareto.cdf", x, b, loc, scale)
        value = lax.sub(1.0, lax.pow(_scaled(x, loc, scale), lax.neg(b)))
        return _where(lax.lt(x, lax.add(loc, scale)), _const(x, 0.0), value)

    @staticmethod
    @jit
    def logcdf(x, b, loc=0, scale=1):
        x, b, loc, scale = _args("pareto.logcdf", x, b, loc, scale)
        value = lax.log1p(lax.neg(lax.pow(_scaled(x, loc, scale), lax.neg(b))))
        return _neg_inf_where(lax.lt(x, lax.add(loc, scale)), value)

    @staticmethod
    @jit
    def logsf(x, b, loc=0, scale=1):
        x, b, loc, scale = _args("pareto.logsf", x, b, loc, scale)
        value = lax.neg(lax.mul(b, lax.log(_scaled(x, loc, scale))))
        return _where(lax.lt(x, lax.add(loc, scale)), _const(x, 0.0), value)

    @staticmethod
    @jit
    def sf(x, b, loc=0, scale=1):
        return lax.exp(pareto.logsf(x, b, loc, scale))

    @staticmethod
    @jit
    def ppf(q, b, loc=0, scale=1):
        q, b, loc, scale = _args("pareto.ppf", q, b, loc, scale)
        value = lax.add(loc, lax.mul(scale, lax.pow(lax.sub(1.0, q), lax.neg(lax.div(1.0, b)))))
        return _nan_where(_any(_isnan(q), lax.lt(q, 0.0), lax.gt(q, 1.0)), value)


# ---------------------------------------------------------------------------
# Discrete distributions
# ---------------------------------------------------------------------------


class poisson:
    @staticmethod
    @jit
    def logpmf(k, mu, loc=0):
        k, mu, loc = _args("poisson.logpmf", k, mu, loc)
        x = lax.sub(k, loc)
        log_probs = lax.sub(lax.sub(sp._xlogy(x, mu), sp.ls.lgamma(lax.add(x, 1.0))), mu)
        not_integer = lax.ne(lax.round(k, lax.RoundingMethod.TO_NEAREST_EVEN), k)
        return _neg_inf_where(lax.bitwise_or(lax.lt(x, 0.0), not_integer), log_probs)

    @staticmethod
    @jit
    def pmf(k, mu, loc=0):
        return lax.exp(poisson.logpmf(k, mu, loc))

    @staticmethod
    @jit
    def cdf(k, mu, loc=0):
        k, mu, loc = _args("poisson.logpmf", k, mu, loc)
        x = lax.sub(k, loc)
        p = sp.gammaincc(lax.floor(lax.add(x, 1.0)), mu)
        return _where(lax.lt(x, 0.0), _const(k, 0.0), p)


class bernoulli:
    @staticmethod
    @jit
    def logpmf(k, p, loc=0):
        k, p, loc = _args("bernoulli.logpmf", k, p, loc)
        x = lax.sub(k, loc)
        log_probs = lax.add(sp._xlogy(x, p), sp._xlog1py(lax.sub(1.0, x), lax.neg(p)))
        return _neg_inf_where(lax.bitwise_or(lax.lt(x, 0.0), lax.gt(x, 1.0)), log_probs)

    @staticmethod
    @jit
    def pmf(k, p, loc=0):
        return lax.exp(bernoulli.logpmf(k, p, loc))

    @staticmethod
    @jit
    def cdf(k, p):
        k, p = _args("bernoulli.cdf", k, p)
        bad = _any(_isnan(k), _isnan(p), lax.lt(p, 0.0), lax.gt(p, 1.0))
        out = _where(lax.ge(k, 1.0), _const(k, 1.0), _const(k, 0.0))
        out = _where(lax.bitwise_and(lax.ge(k, 0.0), lax.lt(k, 1.0)), lax.sub(1.0, p), out)
        out = _where(lax.lt(k, 0.0), _const(k, 0.0), out)
        return _nan_where(bad, out)

    @staticmethod
    @jit
    def ppf(q, p):
        q, p = _args("bernoulli.ppf", q, p)
        bad = _any(_isnan(q), _isnan(p), lax.lt(p, 0.0), lax.gt(p, 1.0))
        bad = _any(bad, lax.lt(q, 0.0), lax.gt(q, 1.0))
        out = _where(lax.le(q, lax.sub(1.0, p)), _const(q, 0.0), _const(q, 1.0))
        return _nan_where(bad, out)


class binom:
    @staticmethod
    @jit
    def logpmf(k, n, p, loc=0):
        k, n, p, loc = _args("binom.logpmf", k, n, p, loc)
        y = lax.sub(k, loc)
        lg = sp.ls.lgamma
        comb_term = lax.sub(
            lg(lax.add(n, 1.0)), lax.add(lg(lax.add(y, 1.0)), lg(lax.add(lax.sub(n, y), 1.0)))
        )
        log_linear = lax.add(sp._xlogy(y, p), sp._xlog1py(lax.sub(n, y), lax.neg(p)))
        log_probs = lax.add(comb_term, log_linear)
        trivial = lax.bitwise_or(
            lax.bitwise_and(lax.eq(y, 0.0), lax.eq(n, 0.0)), lax.eq(log_linear, 0.0)
        )
        log_probs = _where(trivial, _const(log_probs, 0.0), log_probs)
        inside = lax.bitwise_and(lax.ge(k, loc), lax.lt(k, lax.add(lax.add(loc, n), 1.0)))
        return _neg_inf_where(lax.bitwise_not(inside), log_probs)

    @staticmethod
    @jit
    def pmf(k, n, p, loc=0):
        return lax.exp(binom.logpmf(k, n, p, loc))


class geom:
    @staticmethod
    @jit
    def logpmf(k, p, loc=0):
        k, p, loc = _args("geom.logpmf", k, p, loc)
        x = lax.sub(k, loc)
        log_probs = lax.add(sp._xlog1py(lax.sub(x, 1.0), lax.neg(p)), lax.log(p))
        return _neg_inf_where(lax.le(x, 0.0), log_probs)

    @staticmethod
    @jit
    def pmf(k, p, loc=0):
        return lax.exp(geom.logpmf(k, p, loc))


class dirichlet:
    @staticmethod
    @jit
    def logpdf(x, alpha):
        x, alpha = _promote_inexact("dirichlet.logpdf", x, alpha)
        xs, als = aval_of(x).shape, aval_of(alpha).shape
        if len(als) != 1:
            raise user_error(ValueError, f"`alpha` must be one-dimensional; got alpha.shape={als}")
        if not xs or xs[0] not in (als[0], als[0] - 1):
            raise user_error(
                ValueError,
                f"`x` must have either the same number of entries as `alpha` or one entry "
                f"fewer; got x.shape={xs}, alpha.shape={als}",
            )
        if xs[0] != als[0]:
            rest = lax.sub(1.0, lax.reduce_sum(x, (0,)))
            x = lax.concatenate([x, lax.expand_dims(rest, (0,))], 0)
        lg = sp.ls.lgamma
        normalize = lax.sub(lax.reduce_sum(lg(alpha), (0,)), lg(lax.reduce_sum(alpha, (0,))))
        xs = aval_of(x).shape
        alpha_b = lax.broadcast_in_dim(alpha, xs, (0,))
        log_probs = lax.sub(lax.reduce_sum(sp._xlogy(lax.sub(alpha_b, 1.0), x), (0,)), normalize)
        x_sum = lax.reduce_sum(x, (0,))
        positive = lax.reduce_and(lax.gt(x, 0.0), (0,))
        simplex = lax.bitwise_and(positive, lax.lt(lax.abs(lax.sub(x_sum, 1.0)), 1e-6))
        return _neg_inf_where(lax.bitwise_not(simplex), log_probs)

    @staticmethod
    @jit
    def pdf(x, alpha):
        return lax.exp(dirichlet.logpdf(x, alpha))
