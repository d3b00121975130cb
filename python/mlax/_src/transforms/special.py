"""lax's special functions that need a loop or a custom derivative:
igamma, igammac, igamma_grad_a, random_gamma_grad and betainc, ported from
JAX's jax/_src/lax/special.py (itself XLA's math.cc): series and continued
fractions under `while_loop`, with JAX's derivative rules as custom_jvp
(autodiff cannot go through the data-dependent loops).

Also the eager entry points of every lax special function: outside a trace
each call runs as one jitted executable, not one per elementwise op.
"""

import functools
import math

import numpy as np

from ..core import aval_of, current_trace
from ..lax import special as ls
from ..lax.elementwise import (
    abs,
    add,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    div,
    eq,
    exp,
    ge,
    gt,
    le,
    log,
    log1p,
    lt,
    mul,
    ne,
    neg,
    select,
    sub,
)
from ..lax.markers import stop_gradient
from ..lax.reductions import reduce_or
from ..lax.special import _c, _finfo, _float_nary, _restore
from .callee import _eager
from .control_flow import while_loop
from .custom_derivatives import custom_jvp


def _eager_jitted(fn):
    """fn, run under jit when called outside a trace (one compile per
    signature instead of one per op)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if current_trace() is None:
            key = (wrapper, tuple(sorted(kwargs.items())))
            return _eager(key, lambda *a: fn(*a, **kwargs))(*args)
        return fn(*args, **kwargs)

    return wrapper


def _any(p):
    return reduce_or(p, tuple(range(len(aval_of(p).shape))))


def _isnan(x):
    return ne(x, x)


def _any_of(*ps):
    return functools.reduce(bitwise_or, ps)


# ---------------------------------------------------------------------------
# Incomplete gamma
# ---------------------------------------------------------------------------

_VALUE, _DERIVATIVE, _SAMPLE_DERIVATIVE = "value", "derivative", "sample_derivative"


def _igamma_series(ax, x, a, enabled, mode):
    """sum_n x^n / (a+1)...(a+n), run until the terms stop mattering."""
    eps = float(_finfo(x).eps)

    def body(vals):
        enabled, r, c, ans, x_, dc_da, dans_da = vals
        r_new = add(r, 1.0)
        dc_da_new = sub(mul(dc_da, div(x_, r_new)), div(mul(c, x_), mul(r_new, r_new)))
        dans_da_new = add(dans_da, dc_da_new)
        c_new = mul(c, div(x_, r_new))
        ans_new = add(ans, c_new)
        if mode == _VALUE:
            more = bitwise_and(enabled, gt(div(c_new, ans_new), eps))
        else:
            more = bitwise_and(enabled, gt(abs(div(dc_da_new, dans_da_new)), eps))
        new = (r_new, c_new, ans_new, x_, dc_da_new, dans_da_new)
        return (more,) + tuple(select(enabled, n, o) for n, o in zip(new, vals[1:]))

    init = (enabled, a, _c(a, 1.0), _c(a, 1.0), x, _c(a, 0.0), _c(a, 0.0))
    _, _, _, ans, _, _, dans_da = while_loop(lambda v: _any(v[0]), body, init)
    if mode == _VALUE:
        return div(mul(ans, ax), a)
    dlogax_da = sub(log(x), ls.digamma(add(a, 1.0)))
    if mode == _DERIVATIVE:
        return div(mul(ax, add(mul(ans, dlogax_da), dans_da)), a)
    return div(mul(neg(add(dans_da, mul(ans, dlogax_da))), x), a)


def _igammac_continued_fraction(ax, x, a, enabled, mode):
    """Legendre's continued fraction for the upper incomplete gamma function,
    at most 2000 steps, rescaled when the convergents grow past 1/eps."""
    eps = float(_finfo(x).eps)

    def cond(vals):
        return bitwise_and(lt(vals[5], 2000.0), _any(vals[0]))

    def body(vals):
        (enabled, ans, t, y, z, c, pkm1, qkm1, pkm2, qkm2) = vals[:10]
        (dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da, dans_da) = vals[10:]
        c = add(c, 1.0)
        y = add(y, 1.0)
        z = add(z, 2.0)
        yc = mul(y, c)
        pk = sub(mul(pkm1, z), mul(pkm2, yc))
        qk = sub(mul(qkm1, z), mul(qkm2, yc))
        qk_nonzero = ne(qk, 0.0)
        r = div(pk, qk)
        t = select(qk_nonzero, abs(div(sub(ans, r), r)), _c(r, 1.0))
        ans = select(qk_nonzero, r, ans)
        dpk_da = add(sub(sub(mul(dpkm1_da, z), pkm1), mul(dpkm2_da, yc)), mul(pkm2, c))
        dqk_da = add(sub(sub(mul(dqkm1_da, z), qkm1), mul(dqkm2_da, yc)), mul(qkm2, c))
        dans_da_new = select(qk_nonzero, div(sub(dpk_da, mul(ans, dqk_da)), qk), dans_da)
        grad_change = select(qk_nonzero, abs(sub(dans_da_new, dans_da)), _c(dans_da, 1.0))
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da = dpkm1_da, dqkm1_da, dpk_da, dqk_da
        rescale = gt(abs(pk), 1.0 / eps)

        def scaled(v):
            return select(rescale, mul(v, eps), v)

        pkm2, pkm1, qkm2, qkm1 = map(scaled, (pkm2, pkm1, qkm2, qkm1))
        dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da = map(
            scaled, (dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da)
        )
        if mode == _VALUE:
            more = bitwise_and(enabled, gt(t, eps))
        else:
            more = bitwise_and(enabled, gt(grad_change, eps))
        new = (ans, t, y, z)
        rest = (pkm1, qkm1, pkm2, qkm2, dpkm2_da, dqkm2_da, dpkm1_da, dqkm1_da, dans_da_new)
        return (
            (more,)
            + tuple(select(enabled, n, o) for n, o in zip(new, vals[1:5]))
            + (c,)
            + tuple(select(enabled, n, o) for n, o in zip(rest, vals[6:]))
        )

    y = sub(1.0, a)
    z = add(add(x, y), 1.0)
    pkm1 = add(x, 1.0)
    qkm1 = mul(z, x)
    ans = div(pkm1, qkm1)
    zero = _c(x, 0.0)
    dqkm1_da = neg(x)
    dans_da = div(neg(mul(ans, dqkm1_da)), qkm1)
    c0 = ls._scalar(0.0, aval_of(x).dtype)
    init = (enabled, ans, _c(x, 1.0), y, z, c0, pkm1, qkm1, _c(x, 1.0), x)
    init += (zero, zero, zero, dqkm1_da, dans_da)
    vals = while_loop(cond, body, init)
    ans, dans_da = vals[1], vals[14]
    if mode == _VALUE:
        return mul(ans, ax)
    dlogax_da = sub(log(x), ls.digamma(a))
    if mode == _DERIVATIVE:
        return mul(ax, add(mul(ans, dlogax_da), dans_da))
    return neg(mul(add(dans_da, mul(ans, dlogax_da)), x))


def _log_ax(a, x):
    """(x^a e^-x / Γ(a), whether its log underflows)."""
    log_ax = sub(sub(mul(a, log(x)), x), ls.lgamma(a))
    underflow = lt(log_ax, -math.log(float(_finfo(x).max)))
    return exp(log_ax), underflow


def _igamma_value(a, x):
    is_nan = bitwise_or(_isnan(a), _isnan(x))
    x_inf = eq(x, math.inf)
    x_zero = eq(x, 0.0)
    domain_error = _any_of(lt(x, 0.0), lt(a, 0.0), bitwise_and(eq(a, 0.0), x_zero), is_nan)
    use_igammac = bitwise_and(ge(x, 1.0), gt(x, a))
    ax, underflow = _log_ax(a, x)
    enabled = bitwise_not(_any_of(x_zero, domain_error, underflow, x_inf))
    cf = _igammac_continued_fraction(ax, x, a, bitwise_and(enabled, use_igammac), _VALUE)
    series = _igamma_series(ax, x, a, bitwise_and(enabled, bitwise_not(use_igammac)), _VALUE)
    out = select(use_igammac, sub(1.0, cf), series)
    out = select(x_zero, _c(a, 0.0), out)
    out = select(x_inf, _c(a, 1.0), out)
    return select(domain_error, _c(a, math.nan), out)


def _igammac_value(a, x):
    is_nan = bitwise_or(_isnan(a), _isnan(x))
    a_zero = eq(a, 0.0)
    x_inf = eq(x, math.inf)
    domain_error = _any_of(lt(x, 0.0), lt(a, 0.0), bitwise_and(a_zero, eq(x, 0.0)), is_nan)
    use_igamma = bitwise_or(lt(x, 1.0), lt(x, a))
    ax, underflow = _log_ax(a, x)
    enabled = bitwise_not(_any_of(domain_error, underflow, x_inf, a_zero))
    series = _igamma_series(ax, x, a, bitwise_and(enabled, use_igamma), _VALUE)
    cf = _igammac_continued_fraction(
        ax, x, a, bitwise_and(enabled, bitwise_not(use_igamma)), _VALUE
    )
    out = select(use_igamma, sub(1.0, series), cf)
    out = select(bitwise_or(x_inf, a_zero), _c(out, 0.0), out)
    return select(domain_error, _c(a, math.nan), out)


def _igamma_derivative(a, x, mode):
    is_nan = bitwise_or(_isnan(a), _isnan(x))
    x_zero = eq(x, 0.0)
    domain_error = bitwise_or(lt(x, 0.0), le(a, 0.0))
    use_igammac = bitwise_and(gt(x, 1.0), gt(x, a))
    ax, underflow = _log_ax(a, x)
    enabled = bitwise_not(_any_of(x_zero, domain_error, underflow, is_nan))
    cf = _igammac_continued_fraction(ax, x, a, bitwise_and(enabled, use_igammac), mode)
    series = _igamma_series(ax, x, a, bitwise_and(enabled, bitwise_not(use_igammac)), mode)
    out = select(use_igammac, neg(cf), series)
    out = select(x_zero, _c(out, 0.0), out)
    return select(bitwise_or(domain_error, is_nan), _c(a, math.nan), out)


def _d_igamma_dx(a, x):
    return exp(sub(add(neg(x), mul(sub(a, 1.0), log(x))), ls.lgamma(a)))


# The loops run outside the custom_jvp functions and reach them as extra
# (non-differentiated) operands: mlax's reverse mode cannot transpose a rule
# whose primal part holds a while loop, and vmap of grad of such a rule
# aborts in the batching pass. So P's derivative in a is always computed
# (JAX computes it only when differentiating).


@custom_jvp
def _with_igamma_derivatives(a, x, value, grad_a):
    return value


@_with_igamma_derivatives.defjvp
def _with_igamma_derivatives_jvp(primals, tangents):
    a, x, value, grad_a = primals
    da, dx = tangents[:2]
    return value, add(mul(da, grad_a), mul(dx, _d_igamma_dx(a, x)))


def _igamma(a, x):
    value = stop_gradient(_igamma_value(a, x))
    grad_a = stop_gradient(_igamma_grad_a(a, x))
    return _with_igamma_derivatives(a, x, value, grad_a)


def _igammac(a, x):
    # Q = 1 - P: P's derivatives, negated, on Q's own value
    value = stop_gradient(_igammac_value(a, x))
    grad_a = stop_gradient(_igamma_grad_a(a, x))
    return neg(_with_igamma_derivatives(a, x, neg(value), grad_a))


def _igamma_grad_a(a, x):
    return _igamma_derivative(a, x, _DERIVATIVE)


def _binary(name, impl):
    def fn(a, x):
        (a, x), low = _float_nary(name, a, x)
        return _restore(impl(a, x), low, a, x)

    fn.__name__ = fn.__qualname__ = name
    return fn


igamma = _eager_jitted(_binary("igamma", _igamma))
igamma.__doc__ = "lax.igamma: the regularized lower incomplete gamma function P(a, x)."
igammac = _eager_jitted(_binary("igammac", _igammac))
igammac.__doc__ = "lax.igammac: the regularized upper incomplete gamma function Q(a, x)."
igamma_grad_a = _eager_jitted(_binary("igamma_grad_a", _igamma_grad_a))
igamma_grad_a.__doc__ = "lax.igamma_grad_a: dP(a, x)/da."


@_eager_jitted
def random_gamma_grad(a, x):
    """lax.random_gamma_grad: the derivative of a Gamma(a, 1) sample x with
    respect to a (implicit reparameterization)."""
    (a, x), low = _float_nary("random_gamma_grad", *_broadcast_pair(a, x))
    return _restore(_igamma_derivative(a, x, _SAMPLE_DERIVATIVE), low, a, x)


def _broadcast_pair(a, x):
    # JAX broadcasts random_gamma_grad's operands (NumPy rules)
    from ..lax.common import _as_operand
    from ..lax.shape import broadcast_in_dim

    a, x = _as_operand(a), _as_operand(x)
    sa, sx = aval_of(a).shape, aval_of(x).shape
    shape = tuple(np.broadcast_shapes(sa, sx))

    def up(v, s):
        return (
            v
            if s == shape
            else broadcast_in_dim(v, shape, tuple(range(len(shape) - len(s), len(shape))))
        )

    return up(a, sa), up(x, sx)


# ---------------------------------------------------------------------------
# Regularized incomplete beta
# ---------------------------------------------------------------------------


def _lentz(num_iterations, small, threshold, numerator, inputs):
    """The modified Lentz method for the continued fraction
    0 + a1/(1 + a2/(1 + ...)), stopping when every element converged."""

    def cond(vals):
        return bitwise_and(lt(vals[0], num_iterations), vals[1])

    def body(vals):
        i, _, c, d, h = vals
        an = numerator(i, *inputs)
        c = add(div(an, c), 1.0)
        c = select(lt(abs(c), small), _c(c, small), c)
        d = add(mul(an, d), 1.0)
        d = select(lt(abs(d), small), _c(d, small), d)
        d = div(1.0, d)
        delta = mul(c, d)
        h = mul(h, delta)
        return (add(i, 1), _any(ge(abs(sub(delta, 1.0)), threshold)), c, d, h)

    like = inputs[0]
    h = _c(like, small)  # the leading term 0, replaced by `small` as Lentz does
    one = ls._scalar(1, np.int32)
    true = ls._scalar(True, np.bool_)
    return while_loop(cond, body, (one, true, h, _c(h, 0.0), h))[4]


def _betainc_numerator(i, a, b, x):
    """The i-th partial numerator of the continued fraction (DLMF 8.17.23):
    1 for i = 1, then -(a+m)(a+b+m)x/((a+2m)(a+2m+1)) for even i and
    m(b-m)x/((a+2m-1)(a+2m)) for odd i, m = (i-1)//2."""
    fi = ls.convert_element_type(i, aval_of(a).dtype)
    m = ls.floor(mul(sub(fi, 1.0), 0.5))
    even = eq(sub(fi, mul(ls.floor(mul(fi, 0.5)), 2.0)), 0.0)
    a2m = add(a, mul(m, 2.0))
    even_num = div(mul(mul(neg(add(a, m)), add(add(a, b), m)), x), mul(a2m, add(a2m, 1.0)))
    # m = 0: the same term written without a + 2m, precise for tiny a
    even_num = select(eq(m, 0.0), div(mul(neg(add(a, b)), x), add(a, 1.0)), even_num)
    odd_num = div(mul(mul(m, sub(b, m)), x), mul(sub(a2m, 1.0), a2m))
    num = select(even, even_num, odd_num)
    return select(eq(fi, 1.0), _c(x, 1.0), num)


def _betainc_value(a, b, x):
    f64 = aval_of(a).dtype == np.float64
    a_zero = bitwise_or(eq(a, 0.0), eq(b, math.inf))
    b_zero = bitwise_or(eq(b, 0.0), eq(a, math.inf))
    x_zero, x_one = eq(x, 0.0), eq(x, 1.0)
    is_nan = _any_of(_isnan(a), _isnan(b), _isnan(x))
    result_zero = bitwise_or(bitwise_and(b_zero, bitwise_not(x_one)), bitwise_and(a_zero, x_zero))
    result_one = bitwise_or(bitwise_and(a_zero, bitwise_not(x_zero)), bitwise_and(b_zero, x_one))
    result_nan = _any_of(
        lt(a, 0.0), lt(b, 0.0), lt(x, 0.0), gt(x, 1.0), bitwise_and(a_zero, b_zero), is_nan
    )
    # The fraction converges fast for x < (a+1)/(a+b+2); beyond, the symmetry
    # I_x(a, b) = 1 - I_{1-x}(b, a) (DLMF 8.17.4).
    fast = lt(x, div(add(a, 1.0), add(add(a, b), 2.0)))
    a, b = select(fast, a, b), select(fast, b, a)
    x = select(fast, x, sub(1.0, x))
    eps = float(_finfo(x).eps) / 2
    fraction = _lentz(600 if f64 else 200, eps, eps, _betainc_numerator, (a, b, x))
    # a·Γ(a) = Γ(a+1) → 1 as a → 0+: the small-a form avoids 0/0
    very_small = float(_finfo(x).tiny) * 2
    lbeta_small_a = sub(ls.lgamma(b), ls.lgamma(add(a, b)))
    lbeta = add(ls.lgamma(a), lbeta_small_a)
    factor = select(
        lt(a, very_small),
        exp(sub(mul(log1p(neg(x)), b), lbeta_small_a)),
        div(exp(sub(add(mul(log(x), a), mul(log1p(neg(x)), b)), lbeta)), a),
    )
    out = mul(fraction, factor)
    out = select(fast, out, sub(1.0, out))
    out = select(result_zero, _c(out, 0.0), out)
    out = select(result_one, _c(out, 1.0), out)
    return select(result_nan, _c(out, math.nan), out)


@custom_jvp
def _with_betainc_derivative(a, b, x, value):
    return value


@_with_betainc_derivative.defjvp
def _with_betainc_derivative_jvp(primals, tangents):
    # JAX differentiates only in x (and raises for a and b, which a tangent
    # rule cannot tell apart from a zero tangent: here they contribute 0).
    a, b, x, value = primals
    dx = tangents[2]
    lbeta = sub(add(ls.lgamma(a), ls.lgamma(b)), ls.lgamma(add(a, b)))
    partial_x = exp(sub(add(mul(sub(b, 1.0), log1p(neg(x))), mul(sub(a, 1.0), log(x))), lbeta))
    return value, mul(partial_x, dx)


def _betainc(a, b, x):
    return _with_betainc_derivative(a, b, x, stop_gradient(_betainc_value(a, b, x)))


@_eager_jitted
def betainc(a, b, x):
    """lax.betainc: the regularized incomplete beta function I_x(a, b)."""
    (a, b, x), low = _float_nary("regularized_incomplete_beta", a, b, x)  # JAX's name
    return _restore(_betainc(a, b, x), low, a, b, x)


# Eager entry points of the loop-free special functions.
sinh = _eager_jitted(ls.sinh)
cosh = _eager_jitted(ls.cosh)
asin = _eager_jitted(ls.asin)
acos = _eager_jitted(ls.acos)
atan = _eager_jitted(ls.atan)
asinh = _eager_jitted(ls.asinh)
acosh = _eager_jitted(ls.acosh)
atanh = _eager_jitted(ls.atanh)
lgamma = _eager_jitted(ls.lgamma)
digamma = _eager_jitted(ls.digamma)
erfc = _eager_jitted(ls.erfc)
bessel_i0e = _eager_jitted(ls.bessel_i0e)
bessel_i1e = _eager_jitted(ls.bessel_i1e)
zeta = _eager_jitted(ls.zeta)
polygamma = _eager_jitted(ls.polygamma)
