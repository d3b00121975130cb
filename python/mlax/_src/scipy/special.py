"""mlax.scipy.special: jax.scipy.special's functions, as JAX computes them
(jax/_src/scipy/special.py), on the lax special functions.

Every public function is jitted, so an eager call compiles one executable
per signature rather than one per elementwise op.
"""

import functools
import math

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..lax import special as ls
from ..numpy.util import _broadcast_all, _promote_inexact, asarray
from ..transforms import special as ts
from ..transforms.control_flow import while_loop
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit
from ..transforms.special import _any


def _args(name, *args):
    """JAX's promote_args_inexact: a common inexact dtype (weak for Python
    scalars), broadcast to one shape."""
    out = _promote_inexact(name, *args)
    return _broadcast_all(*out, name=name) if len(out) > 1 else out


def _const(x, value):
    """value in x's dtype and shape, weakly typed like x."""
    a = aval_of(x)
    return lax.broadcast_in_dim(lax._scalar(value, a.dtype, a.weak_type), a.shape, ())


def _where(pred, x, y):
    return lax.select(pred, x, y)


def _isnan(x):
    return lax.ne(x, x)


def _strong(x):
    """x, not weakly typed (where JAX's result is strong: its jnp.piecewise,
    jnp.asarray and NumPy constants make it so)."""
    return lax.convert_element_type(x, aval_of(x).dtype)


def _jitted(*static):
    return functools.partial(jit, static_argnames=static) if static else jit


# ---------------------------------------------------------------------------
# Gamma and beta functions
# ---------------------------------------------------------------------------


@jit
def gammaln(x):
    (x,) = _args("gammaln", x)
    return ls.lgamma(x)


@jit
def gammasgn(x):
    (x,) = _args("gammasgn", x)
    floor_x = lax.floor(x)
    negative = lax.lt(x, 0.0)
    is_nan = lax.bitwise_or(lax.bitwise_and(negative, lax.eq(x, floor_x)), _isnan(x))
    odd_floor = lax.ne(lax.rem(floor_x, _const(x, 2.0)), 0.0)
    negative_zero = lax.bitwise_and(lax.eq(x, 0.0), _signbit(x))
    minus = lax.bitwise_or(lax.bitwise_and(negative, odd_floor), negative_zero)
    out = _where(minus, _const(x, -1.0), _const(x, 1.0))
    out = _where(is_nan, _const(x, math.nan), out)
    return lax.convert_element_type(out, aval_of(x).dtype)  # strong, as JAX's select of constants


def _signbit(x):
    # x < 0, or x is -0.0 (1/x = -inf)
    return lax.bitwise_or(lax.lt(x, 0.0), lax.lt(lax.div(_const(x, 1.0), x), 0.0))


@jit
def loggamma(x):
    (x,) = _args("loggamma", x)
    return _where(lax.gt(x, 0.0), ls.lgamma(x), _const(x, math.nan))


@jit
def gamma(x):
    (x,) = _args("gamma", x)
    return lax.mul(gammasgn(x), lax.exp(ls.lgamma(x)))


def _algdiv(a, b):
    """log(Γ(b) / Γ(a + b)) for b >= 8 (TOMS 708's algdiv, as JAX has it)."""
    c0, c1, c2 = 0.0833333333333333, -0.00277777777760991, 0.00079365066682539
    c3, c4, c5 = -0.00059520293135187, 0.000837308034031215, -0.00165322962780713
    h = lax.div(a, b)
    c = lax.div(h, lax.add(h, 1.0))
    x = c
    d = lax.add(b, lax.sub(a, 0.5))
    x2 = lax.mul(x, x)
    s3 = lax.add(lax.add(x, x2), 1.0)
    s5 = lax.add(lax.add(x, lax.mul(x2, s3)), 1.0)
    s7 = lax.add(lax.add(x, lax.mul(x2, s5)), 1.0)
    s9 = lax.add(lax.add(x, lax.mul(x2, s7)), 1.0)
    s11 = lax.add(lax.add(x, lax.mul(x2, s9)), 1.0)
    t = lax.integer_pow(lax.div(1.0, b), 2)
    w = lax.add(lax.mul(lax.mul(c5, s11), t), lax.mul(c4, s9))
    w = lax.add(lax.mul(w, t), lax.mul(c3, s7))
    w = lax.add(lax.mul(w, t), lax.mul(c2, s5))
    w = lax.add(lax.mul(w, t), lax.mul(c1, s3))
    w = lax.add(lax.mul(w, t), c0)
    w = lax.mul(w, lax.div(c, b))
    u = lax.mul(d, lax.log1p(lax.div(a, b)))
    v = lax.mul(a, lax.sub(lax.log(b), 1.0))
    return _where(lax.le(u, v), lax.sub(lax.sub(w, v), u), lax.sub(lax.sub(w, u), v))


def _betaln(a, b):
    a, b = lax.min(a, b), lax.max(a, b)
    small_b = lax.add(ls.lgamma(a), lax.sub(ls.lgamma(b), ls.lgamma(lax.add(a, b))))
    large_b = lax.add(ls.lgamma(a), _algdiv(a, b))
    return _where(lax.lt(b, 8.0), small_b, large_b)


@jit
def betaln(a, b):
    a, b = _args("betaln", a, b)
    return _betaln(a, b)


@jit
def beta(a, b):
    a, b = _args("beta", a, b)
    sign = lax.mul(lax.mul(gammasgn(a), gammasgn(b)), gammasgn(lax.add(a, b)))
    return lax.mul(sign, lax.exp(_betaln(a, b)))


def factorial(n, exact=False):
    if exact:
        raise NotImplementedError("factorial with exact=True")
    return _factorial(n)


@jit
def _factorial(n):
    (n,) = _args("factorial", n)
    return _where(lax.lt(n, 0.0), _const(n, 0.0), lax.exp(ls.lgamma(lax.add(n, 1.0))))


def comb(N, k, *, repetition=False):
    return _comb(N, k, repetition=bool(repetition))


@_jitted("repetition")
def _comb(N, k, repetition):
    N, k = _args("comb", N, k)
    if repetition:
        result = _comb(lax.sub(lax.add(N, k), 1.0), k, repetition=False)
        return _where(lax.bitwise_and(lax.eq(k, 0.0), lax.ge(N, 0.0)), _const(N, 1.0), result)
    ok = lax.bitwise_and(lax.bitwise_and(lax.le(k, N), lax.ge(N, 0.0)), lax.ge(k, 0.0))
    safe_n = _where(ok, N, _const(N, 0.0))
    safe_k = _where(ok, k, _const(k, 0.0))
    log_comb = lax.sub(
        lax.sub(ls.lgamma(lax.add(safe_n, 1.0)), ls.lgamma(lax.add(safe_k, 1.0))),
        ls.lgamma(lax.sub(lax.add(safe_n, 1.0), safe_k)),
    )
    return _where(ok, lax.exp(log_comb), _const(N, 0.0))


@jit
def digamma(x):
    (x,) = _args("digamma", x)
    return ls.digamma(x)


@jit
def betainc(a, b, x):
    a, b, x = _args("betainc", a, b, x)
    return ts.betainc(a, b, x)


@jit
def gammainc(a, x):
    a, x = _args("gammainc", a, x)
    return ts.igamma(a, x)


@jit
def gammaincc(a, x):
    a, x = _args("gammaincc", a, x)
    return ts.igammac(a, x)


def multigammaln(a, d):
    # d must be concrete (int() of a tracer raises ConcretizationTypeError)
    return _multigammaln(a, d=int(d))


@_jitted("d")
def _multigammaln(a, d):
    (a,) = _args("multigammaln", a)
    constant = 0.25 * d * (d - 1) * math.log(math.pi)
    total = _const(a, 0.0)
    for j in range(d):  # sum_j lgamma(a - j/2)
        total = lax.add(total, ls.lgamma(lax.sub(a, j / 2)))
    return lax.convert_element_type(lax.add(total, constant), aval_of(a).dtype)  # strong, as JAX


# ---------------------------------------------------------------------------
# Error functions and the normal distribution
# ---------------------------------------------------------------------------


@jit
def erf(x):
    (x,) = _args("erf", x)
    return lax.erf(x)


@jit
def erfc(x):
    (x,) = _args("erfc", x)
    return ls.erfc(x)


@jit
def erfinv(x):
    (x,) = _args("erfinv", x)
    return lax.erf_inv(x)


def _float32_or_64(name, x):
    x = asarray(x)
    dtype = aval_of(x).dtype
    if dtype not in (np.float32, np.float64):
        raise user_error(
            TypeError, f"x.dtype={dtype.name} is not supported, see docstring for supported types."
        )
    return x


def ndtr(x):
    x = _float32_or_64("ndtr", x)
    # JAX's result is strongly typed (jnp.asarray)
    return _ndtr_jit(lax.convert_element_type(x, aval_of(x).dtype))


def _ndtr(x):
    half_sqrt_2 = 0.5 * math.sqrt(2.0)
    w = lax.mul(x, half_sqrt_2)
    z = lax.abs(w)
    tail = _where(lax.gt(w, 0.0), lax.sub(2.0, ls.erfc(z)), ls.erfc(z))
    y = _where(lax.lt(z, half_sqrt_2), lax.add(lax.erf(w), 1.0), tail)
    return lax.mul(y, 0.5)


_ndtr_jit = jit(_ndtr)

_NDTRI_P0 = (-59.96335010141079, 98.00107541859997, -56.67628574690703, 13.931260938727968,
             -1.2391658386738125)  # fmt: skip
_NDTRI_Q0 = (1.0, 1.9544885833814176, 4.676279128988815, 86.36024213908905, -225.46268785411937,
             200.26021238006066, -82.03722561683334, 15.90562251262117, -1.1833162112133)  # fmt: skip
_NDTRI_P1 = (4.0554489230596245, 31.525109459989388, 57.16281922464213, 44.08050738932008,
             14.684956192885803, 2.1866330685079025, -0.1402560791713545, -0.03504246268278482,
             -0.0008574567851546854)  # fmt: skip
_NDTRI_Q1 = (1.0, 15.779988325646675, 45.39076351288792, 41.3172038254672, 15.04253856929075,
             2.504649462083094, -0.14218292285478779, -0.03808064076915783,
             -0.0009332594808954574)  # fmt: skip
_NDTRI_P2 = (3.2377489177694603, 6.915228890689842, 3.9388102529247444, 1.3330346081580755,
             0.20148538954917908, 0.012371663481782003, 0.00030158155350823543,
             2.6580697468673755e-06, 6.239745391849833e-09)  # fmt: skip
_NDTRI_Q2 = (1.0, 6.02427039364742, 3.6798356385616087, 1.3770209948908132, 0.21623699359449663,
             0.013420400608854318, 0.00032801446468212774, 2.8924786474538068e-06,
             6.790194080099813e-09)  # fmt: skip


def _polyval(coeffs, x):
    dtype = aval_of(x).dtype.type
    acc = _const(x, float(dtype(coeffs[0])))
    for c in coeffs[1:]:
        acc = lax.add(lax.mul(acc, x), float(dtype(c)))
    return acc


def ndtri(p):
    p = asarray(p)
    dtype = aval_of(p).dtype
    if dtype not in (np.float32, np.float64):
        raise user_error(
            TypeError, f"x.dtype={dtype.name} is not supported, see docstring for supported types."
        )
    return _ndtri(lax.convert_element_type(p, dtype))  # strong, as JAX's


@jit
def _ndtri(p):
    # Cephes' ndtri, as JAX writes it: a rational function of p - ½ in the
    # middle, of 1/sqrt(-2 log p) in the tails.
    big_p = lax.gt(p, -math.expm1(-2.0))
    mcp = _where(big_p, lax.sub(1.0, p), p)
    mcp = _where(lax.eq(mcp, 0.0), _const(p, 0.5), mcp)
    w = lax.sub(mcp, 0.5)
    ww = lax.mul(w, w)
    middle = lax.add(
        w, lax.mul(lax.mul(w, ww), lax.div(_polyval(_NDTRI_P0, ww), _polyval(_NDTRI_Q0, ww)))
    )
    middle = lax.mul(middle, -math.sqrt(2.0 * math.pi))
    z = lax.sqrt(lax.mul(lax.log(mcp), -2.0))
    first = lax.sub(z, lax.div(lax.log(z), z))
    inv_z = lax.div(1.0, z)
    second_small = lax.div(lax.div(_polyval(_NDTRI_P2, inv_z), _polyval(_NDTRI_Q2, inv_z)), z)
    second_other = lax.div(lax.div(_polyval(_NDTRI_P1, inv_z), _polyval(_NDTRI_Q1, inv_z)), z)
    tail = _where(lax.ge(z, 8.0), lax.sub(first, second_small), lax.sub(first, second_other))
    x = _where(lax.gt(mcp, math.exp(-2.0)), middle, tail)
    x = _where(lax.gt(p, 1.0 - math.exp(-2.0)), x, lax.neg(x))
    x = _where(lax.eq(p, 1.0), _const(p, math.inf), x)
    return _where(lax.eq(p, 0.0), _const(p, -math.inf), x)


_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


def log_ndtr(x, series_order=3):
    if not isinstance(series_order, int):
        raise user_error(TypeError, "series_order must be a Python integer.")
    if series_order < 0:
        raise user_error(ValueError, "series_order must be non-negative.")
    if series_order > 30:
        raise user_error(ValueError, "series_order must be <= 30.")
    x = asarray(x)
    dtype = aval_of(x).dtype
    if dtype not in (np.float32, np.float64):
        raise user_error(TypeError, f"x.dtype={dtype.name} is not supported.")
    return _log_ndtr_jit(x, series_order=series_order)


def _log_ndtr_value(x, series_order):
    # log(ndtr) between the bounds; beyond the upper one -ndtr(-x) (log1p's
    # first term), below the lower one the asymptotic series of the tail.
    f64 = aval_of(x).dtype == np.float64
    lower, upper = (-20.0, 8.0) if f64 else (-10.0, 5.0)
    above = lax.gt(x, upper)
    ndtr_res = _ndtr(_where(above, lax.neg(x), lax.max(x, _const(x, lower))))
    xl = lax.min(x, _const(x, lower))
    x2 = lax.mul(xl, xl)
    log_scale = lax.sub(
        lax.sub(lax.mul(x2, -0.5), lax.log(lax.neg(xl))), 0.5 * math.log(2 * math.pi)
    )
    series = _const(x, 1.0)
    x_2n = x2
    for n in range(1, series_order + 1):
        term = lax.div(float(np.prod(np.arange(2 * n - 1, 1, -2))), x_2n)
        series = lax.sub(series, term) if n % 2 else lax.add(series, term)
        x_2n = lax.mul(x_2n, x2)
    lower_tail = lax.add(log_scale, lax.log(series))
    return _where(above, lax.neg(ndtr_res), _where(lax.gt(x, lower), lax.log(ndtr_res), lower_tail))


@functools.partial(custom_jvp, nondiff_argnums=(1,))
def _log_ndtr(x, series_order):
    return _log_ndtr_value(x, series_order)


@_log_ndtr.defjvp
def _log_ndtr_jvp(series_order, primals, tangents):
    (x,), (t,) = primals, tangents
    ans = _log_ndtr(x, series_order)
    log_pdf = lax.sub(lax.mul(lax.mul(x, x), -0.5), _LOG_SQRT_2PI)
    return ans, lax.mul(t, lax.exp(lax.sub(log_pdf, ans)))


@_jitted("series_order")
def _log_ndtr_jit(x, series_order):
    # jnp.asarray makes JAX's result strongly typed
    x = lax.convert_element_type(x, aval_of(x).dtype)
    return _log_ndtr(x, series_order)


# ---------------------------------------------------------------------------
# Logistic, entropies and x·log y
# ---------------------------------------------------------------------------


@jit
def expit(x):
    (x,) = _args("expit", x)
    return lax.logistic(x)


@custom_jvp
def _logit(x):
    return lax.log(lax.div(x, lax.sub(1.0, x)))


@_logit.defjvp
def _logit_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return _logit(x), lax.div(t, lax.mul(x, lax.sub(1.0, x)))


@jit
def logit(x):
    (x,) = _args("logit", x)
    return _logit(x)


@custom_jvp
def _xlogy(x, y):
    x_ok = lax.bitwise_or(lax.ne(x, 0.0), _isnan(y))
    return _where(x_ok, lax.mul(x, lax.log(y)), _const(x, 0.0))


@_xlogy.defjvp
def _xlogy_jvp(primals, tangents):
    # JAX's rule: at x = 0 the derivative in x is log(y), in y x/y = 0
    x, y = primals
    dx, dy = tangents
    return _xlogy(x, y), lax.add(lax.mul(dx, lax.log(y)), lax.div(lax.mul(dy, x), y))


@custom_jvp
def _xlog1py(x, y):
    x_ok = lax.bitwise_or(lax.ne(x, 0.0), _isnan(y))
    return _where(x_ok, lax.mul(x, lax.log1p(y)), _const(x, 0.0))


@_xlog1py.defjvp
def _xlog1py_jvp(primals, tangents):
    x, y = primals
    dx, dy = tangents
    return _xlog1py(x, y), lax.add(
        lax.mul(dx, lax.log1p(y)), lax.div(lax.mul(dy, x), lax.add(y, 1.0))
    )


@custom_jvp
def _xlogx(x):
    return _xlogy(x, x)


@_xlogx.defjvp
def _xlogx_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return _xlogx(x), lax.mul(t, lax.add(lax.log(x), 1.0))


@jit
def xlogy(x, y):
    x, y = _args("xlogy", x, y)
    return _xlogy(x, y)


@jit
def xlog1py(x, y):
    x, y = _args("xlog1py", x, y)
    return _xlog1py(x, y)


@jit
def entr(x):
    (x,) = _args("entr", x)
    return _where(lax.lt(x, 0.0), _const(x, -math.inf), lax.neg(_xlogx(x)))


def _rel_entr(p, q):
    both_positive = lax.bitwise_and(lax.gt(p, 0.0), lax.gt(q, 0.0))
    p_zero = lax.bitwise_and(lax.eq(p, 0.0), lax.ge(q, 0.0))
    safe_p = _where(both_positive, p, _const(p, 1.0))
    safe_q = _where(both_positive, q, _const(q, 1.0))
    log_val = lax.sub(_xlogx(safe_p), _xlogy(safe_p, safe_q))
    other = _where(p_zero, _const(p, 0.0), _const(p, math.inf))
    return _where(both_positive, log_val, other)


@jit
def rel_entr(p, q):
    p, q = _args("rel_entr", p, q)
    return _rel_entr(p, q)


@jit
def kl_div(p, q):
    p, q = _args("kl_div", p, q)
    return lax.add(lax.sub(_rel_entr(p, q), p), q)


# ---------------------------------------------------------------------------
# Zeta, polygamma, Bessel
# ---------------------------------------------------------------------------


def zeta(x, q=None):
    if q is None:
        raise NotImplementedError(
            "Riemann zeta function not implemented; pass q != None to compute the Hurwitz "
            "Zeta function."
        )
    return _zeta(x, q)


@jit
def _zeta(x, q):
    x, q = _args("zeta", x, q)
    return ls.zeta(x, q)


def polygamma(n, x):
    n_dtype = aval_of(asarray(n)).dtype
    if not dtypes.is_int(n_dtype):
        raise user_error(
            ValueError, f"Argument `n` to polygamma must be of integer type. Got dtype {n_dtype}."
        )
    return _polygamma(n, x)


@jit
def _polygamma(n, x):
    n, x = _args("polygamma", n, x)
    return ls.polygamma(n, x)


@jit
def i0e(x):
    (x,) = _args("i0e", x)
    return ls.bessel_i0e(x)


@jit
def i0(x):
    (x,) = _args("i0", x)
    return lax.mul(lax.exp(lax.abs(x)), ls.bessel_i0e(x))


@jit
def i1e(x):
    (x,) = _args("i1e", x)
    return ls.bessel_i1e(x)


@jit
def i1(x):
    (x,) = _args("i1", x)
    return lax.mul(lax.exp(lax.abs(x)), ls.bessel_i1e(x))


# ---------------------------------------------------------------------------
# Pochhammer, Box-Cox, Spence
# ---------------------------------------------------------------------------


@custom_jvp
def _poch(z, m):
    return _where(lax.eq(m, 0.0), _const(z, 1.0), lax.div(gamma(lax.add(z, m)), gamma(z)))


@_poch.defjvp
def _poch_jvp(primals, tangents):
    # JAX's rules: d/dz = (ψ(z+m) - ψ(z))·poch, d/dm = ψ(z+m)·poch
    z, m = primals
    dz, dm = tangents
    out = _poch(z, m)
    psi_zm = ls.digamma(lax.add(z, m))
    dz_term = lax.mul(lax.mul(lax.sub(psi_zm, ls.digamma(z)), out), dz)
    return out, lax.add(dz_term, lax.mul(lax.mul(psi_zm, out), dm))


@jit
def poch(z, m):
    z, m = _args("poch", z, m)
    return lax.convert_element_type(_poch(z, m), aval_of(z).dtype)  # strong, as JAX's


def _boxcox(log_x, lmbda):
    lmbda_zero = lax.eq(lmbda, 0.0)
    safe_lmbda = _where(lmbda_zero, _const(lmbda, 1.0), lmbda)
    power = lax.div(lax.expm1(lax.mul(safe_lmbda, log_x)), safe_lmbda)
    return _where(lmbda_zero, log_x, power)


@jit
def boxcox(x, lmbda):
    x, lmbda = _args("boxcox", x, lmbda)
    return _boxcox(lax.log(x), lmbda)


@jit
def boxcox1p(x, lmbda):
    x, lmbda = _args("boxcox1p", x, lmbda)
    return _boxcox(lax.log1p(x), lmbda)


_SPENCE_A = (4.6512858607399003e-05, 0.007315890452380947, 0.13384763957830903,
             0.8796913117545303, 2.7114985119655346, 4.256971560081218, 3.297713409852251, 1.0)  # fmt: skip
_SPENCE_B = (0.0006909904889125533, 0.02540437639325444, 0.2829748606025681,
             1.4117259775183106, 3.6380053334513707, 5.03278880143317, 3.547713409852251, 1.0)  # fmt: skip


def spence(x):
    x = asarray(x)
    dtype = aval_of(x).dtype
    if dtype not in (np.float32, np.float64):
        raise user_error(
            TypeError, f"x.dtype={dtype.name} is not supported, see docstring for supported types."
        )
    return _spence(lax.convert_element_type(x, dtype))  # strong, as JAX's


@jit
def _spence(x):
    # Cephes' spence as JAX writes it: a rational function of w, with x
    # mapped into [½, 3/2] by x -> 1/x and the reflection formulas.
    positive = lax.gt(x, 0.0)
    xs = _where(positive, x, _const(x, 0.5))  # other branches on a harmless value
    above_two = lax.gt(xs, 2.0)
    xs = _where(above_two, lax.div(1.0, xs), xs)
    above_1_5 = lax.gt(xs, 1.5)
    below_half = lax.lt(xs, 0.5)
    invert = lax.bitwise_or(above_two, above_1_5)
    w = _where(above_1_5, lax.sub(lax.div(1.0, xs), 1.0), lax.sub(xs, 1.0))
    w = _where(below_half, lax.neg(xs), w)
    y = lax.div(lax.mul(lax.neg(w), _polyval(_SPENCE_A, w)), _polyval(_SPENCE_B, w))
    log_x = lax.log(xs)
    # log(1 - x) only where it is used (JAX's derivative is NaN for 1 < x < 2)
    x_low = _where(below_half, xs, _const(xs, 0.25))
    reflected = lax.sub(
        lax.sub(math.pi**2 / 6.0, lax.mul(lax.log(x_low), lax.log(lax.sub(1.0, x_low)))), y
    )
    y = _where(below_half, reflected, y)
    y = _where(invert, lax.sub(lax.mul(lax.mul(log_x, log_x), -0.5), y), y)
    y = _where(lax.eq(x, 0.0), _const(x, math.pi**2 / 6.0), y)
    y = _where(lax.eq(x, 1.0), _const(x, 0.0), y)
    return _where(lax.bitwise_or(lax.lt(x, 0.0), _isnan(x)), _const(x, math.nan), y)


# ---------------------------------------------------------------------------
# Exponential integrals (JAX's ports of Cephes' expn and of expi's rational
# approximations on (0, 2], (2, 4], ..., (32, 64], (64, inf))
# ---------------------------------------------------------------------------

_EXPINT_COEFFS = (
    ((-5.350447357812543, 218.50491688166133, -4176.572384826693, 55411.76756393557,
      -331338.13311781443, 1592627.1633849454),
     (1.0, -52.505479591128626, 1259.6161867867906, -17565.495819735348, 149306.2117002726,
      -729494.9239640528, 1592627.1633849454)),
    ((0.019818085032596897, -1.2716456259849176, -2.0881603356812284, 2.7555445091879367,
      -0.44095070487016, 0.046656238059358916, -0.0015450426796734852, 7.059980605299618e-05),
     (1.0, 1.4764986709149215, 0.5629177174822436, 0.16990178978793072, 0.02291647179034212,
      0.0044501504397287525, 0.00017274396122065214, 3.953167195549672e-05)),
    ((-1.3732153758712087, -0.7084559133740839, 1.580806855547941, -0.2601500427425623,
      0.029946746941137137, -0.001038086040188744, 4.371064420753005e-05, 2.141783679522603e-06),
     (1.0, 0.8585231423622028, 0.4483285822873995, 0.07687932158124476, 0.024498682410218877,
      0.0008832165941927797, 0.00045909522995113536, -4.729848351866523e-06,
      2.66519553739071e-06)),
    ((-2.1069346016919166, 1.7327338696646881, -0.2423619178935842, 0.02322724180937566,
      0.00023728804404931798, -8.343219561192553e-05, 1.3634087956052505e-05,
      -3.655412321999254e-07, 1.4649417339759612e-08, 6.17640786371036e-10),
     (1.0, -0.2298062239901678, 0.11050770414740378, -0.015665429666307924,
      0.002761106850817353, -0.00020891480122840484, 1.7085289388076754e-05,
      -4.4593117963566865e-07, 1.3946349303538475e-08, 6.150865933977338e-10)),
    ((-0.24581193676740204, -0.14833822533220778, 0.07248291795735552, -0.013483156873809405,
      0.001342775069788637, -7.942465637159712e-05, 2.644179518984236e-06,
      -4.239473659313765e-08),
     (1.0, -0.10442259084438711, -0.26764531281014026, 0.09695000254621984,
      -0.01601745692712991, 0.001496414899205908, -8.462452563778485e-05,
      2.7289384034767266e-06, -4.239462431819542e-08)),
    ((0.12125611181054567, -0.5823133179043894, 0.2348887314557017, -0.030400343181132484,
      0.0015100821468651906, -2.5231370954995714e-05),
     (1.0, -1.002252150365854, 0.2928709694872224, -0.03337004338674008,
      0.0015605448811273888, -2.5231370936032347e-05)),
    ((-0.7657847078286127, 0.6886192415566705, -0.2132598113545206, 0.033461075523841935,
      -0.003076541477344756, 0.00017471193164549074, -6.1037116822741705e-06,
      1.218032765428652e-07, -1.0860761027932903e-09),
     (1.0, -1.8888028686623086, 1.066691687211409, -0.27519159823063805, 0.039308526882338234,
      -0.003414684558602365, 0.00018668443707035555, -6.345146083130515e-06,
      1.239754287483207e-07, -1.0860761027931265e-09)),
)  # fmt: skip
_EULER_GAMMA = 0.5772156649015329


def _expi_positive(x):
    (a1, b1), *rest = _EXPINT_COEFFS
    near0 = lax.add(
        lax.add(lax.mul(x, lax.div(_polyval(a1, x), _polyval(b1, x))), _EULER_GAMMA), lax.log(x)
    )

    def far(a, b):
        w = lax.div(1.0, x)
        f = lax.add(lax.mul(w, lax.div(_polyval(a, w), _polyval(b, w))), 1.0)
        return lax.mul(lax.mul(lax.exp(x), w), f)

    out = far(*rest[-1])  # beyond 64 (and where no range holds, as jnp.piecewise)
    bounds = [(0.0, 2.0)] + [(2.0**i, 2.0 ** (i + 1)) for i in range(1, 6)]
    branches = [near0] + [far(a, b) for a, b in rest[:-1]]
    for (lo, hi), value in zip(bounds, branches):
        out = _where(lax.bitwise_and(lax.lt(lo, x), lax.le(x, hi)), value, out)
    return out


def _expn_series(n, x, enabled):
    """x <= 1: E_n(x) = (-x)^(n-1) ψ(n) / Γ(n) - sum (a power series)."""
    eps = float(ls._finfo(x).eps)
    psi = lax.sub(-_EULER_GAMMA, lax.log(x))

    def harmonic(v):
        i, psi = v
        return lax.add(i, 1.0), _where(lax.lt(i, n), lax.add(psi, lax.div(1.0, i)), psi)

    _, psi = while_loop(
        lambda v: _any(lax.bitwise_and(enabled, lax.lt(v[0], n))), harmonic, (_const(x, 1.0), psi)
    )
    n1 = _where(lax.eq(n, 1.0), _const(n, 2.0), n)
    z = lax.neg(x)
    ans0 = _where(lax.eq(n, 1.0), _const(x, 0.0), lax.div(1.0, lax.sub(1.0, n1)))

    def body(v):
        active, xk, yk, pk, ans = v
        xk2 = lax.add(xk, 1.0)
        yk2 = lax.mul(yk, lax.div(z, xk2))
        pk2 = lax.add(pk, 1.0)
        ans2 = lax.add(ans, _where(lax.ne(pk2, 0.0), lax.div(yk2, pk2), _const(x, 0.0)))
        t = _where(lax.ne(ans2, 0.0), lax.abs(lax.div(yk2, ans2)), _const(x, 1.0))
        new = (xk2, yk2, pk2, ans2)
        kept = tuple(_where(active, a, b) for a, b in zip(new, v[1:]))
        return (lax.bitwise_and(active, lax.gt(t, eps)),) + kept

    active = lax.bitwise_and(enabled, lax.gt(x, 0.0))
    init = (active, _const(x, 0.0), _const(x, 1.0), lax.sub(1.0, n), ans0)
    ans = while_loop(lambda v: _any(v[0]), body, init)[4]
    lead = lax.div(lax.mul(lax.pow(z, lax.sub(n, 1.0)), psi), lax.exp(ls.lgamma(n)))
    return lax.sub(lead, ans)


def _expn_fraction(n, x, enabled):
    """x > 1: E_n(x) by its continued fraction, rescaled past 2^57."""
    eps = float(ls._finfo(x).eps)
    big = 1.4411518807585587e17

    def body(v):
        active, k, pkm2, qkm2, pkm1, qkm1, ans, r = v
        k = lax.add(k, 1.0)
        odd = lax.eq(lax.rem(k, _const(k, 2.0)), 1.0)
        yk = _where(odd, _const(x, 1.0), x)
        xk = _where(odd, lax.add(n, lax.div(lax.sub(k, 1.0), 2.0)), lax.div(k, 2.0))
        pk = lax.add(lax.mul(pkm1, yk), lax.mul(pkm2, xk))
        qk = lax.add(lax.mul(qkm1, yk), lax.mul(qkm2, xk))
        nz = lax.ne(qk, 0.0)
        r = _where(nz, lax.div(pk, qk), r)
        t = _where(nz, lax.abs(lax.div(lax.sub(ans, r), r)), _const(x, 1.0))
        ans = _where(nz, r, ans)
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        is_big = lax.gt(lax.abs(pk), big)
        pkm2, pkm1, qkm2, qkm1 = (
            _where(is_big, lax.div(v_, big), v_) for v_ in (pkm2, pkm1, qkm2, qkm1)
        )
        new = (k, pkm2, qkm2, pkm1, qkm1, ans, r)
        kept = tuple(_where(active, a, b) for a, b in zip(new, v[1:]))
        return (lax.bitwise_and(active, lax.gt(t, eps)),) + kept

    one = _const(x, 1.0)
    qkm1 = lax.add(x, n)
    init = (lax.bitwise_and(enabled, lax.gt(x, 0.0)), one, one, x, one, qkm1,
            lax.div(1.0, qkm1), _const(x, 0.0))  # fmt: skip
    ans = while_loop(lambda v: _any(v[0]), body, init)[6]
    return lax.mul(ans, lax.exp(lax.neg(x)))


def _expn_large_n(n, x):
    xk = lax.add(x, n)
    yk = lax.div(1.0, lax.mul(xk, xk))
    t = n
    ans = lax.mul(
        lax.mul(yk, t),
        lax.add(lax.sub(lax.mul(lax.mul(x, x), 6.0), lax.mul(lax.mul(t, x), 8.0)), lax.mul(t, t)),
    )
    ans = lax.mul(yk, lax.add(ans, lax.mul(t, lax.sub(t, lax.mul(x, 2.0)))))
    ans = lax.mul(yk, lax.add(ans, t))
    return lax.div(lax.mul(lax.add(ans, 1.0), lax.exp(lax.neg(x))), xk)


def _expn_value(n, x):
    conds_vals = [
        (lax.bitwise_or(lax.lt(n, 0.0), lax.lt(x, 0.0)), _const(x, math.nan)),
        (lax.bitwise_and(lax.eq(x, 0.0), lax.lt(n, 2.0)), _const(x, math.inf)),
        (lax.bitwise_and(lax.eq(x, 0.0), lax.ge(n, 2.0)),
         lax.div(1.0, _where(lax.eq(n, 1.0), lax.add(n, n), n))),
        (lax.bitwise_and(lax.eq(n, 0.0), lax.ge(x, 0.0)), lax.div(lax.exp(lax.neg(x)), x)),
        (lax.ge(n, 5000.0), _expn_large_n(n, x)),
    ]  # fmt: skip
    chosen = functools.reduce(lax.bitwise_or, [c for c, _ in conds_vals])
    above_one = lax.gt(x, 1.0)
    # jnp.piecewise: the last true condition wins, the default last of all
    fraction = _expn_fraction(n, x, above_one)
    series = _expn_series(n, x, lax.bitwise_not(lax.bitwise_or(chosen, above_one)))
    out = series
    for cond, value in conds_vals:
        out = _where(cond, value, out)
    return _where(above_one, fraction, out)


@custom_jvp
def _with_derivative(x, value, derivative):
    return value


@_with_derivative.defjvp
def _with_derivative_jvp(primals, tangents):
    _, value, derivative = primals
    return value, lax.mul(tangents[0], derivative)


def _expn(n, x):
    # d/dx E_n(x) = -E_{n-1}(x); both loops run outside the custom_jvp rule
    value = lax.stop_gradient(_expn_value(n, x))
    derivative = lax.stop_gradient(lax.neg(_expn_value(lax.sub(n, 1.0), x)))
    return _with_derivative(x, value, derivative)


@jit
def expn(n, x):
    n, x = _args("expn", n, x)
    return _strong(_expn(lax.stop_gradient(n), x))


@jit
def exp1(x):
    (x,) = _args("exp1", x)
    return _strong(_expn(_const(x, 1.0), x))


@jit
def expi(x):
    (x,) = _args("expi", x)
    negative = lax.lt(x, 0.0)
    exp1_of_neg = _expn_value(_const(x, 1.0), lax.neg(_where(negative, x, _const(x, -1.0))))
    value = _where(negative, lax.neg(exp1_of_neg), _expi_positive(x))
    derivative = lax.div(lax.exp(x), x)
    return _strong(_with_derivative(x, lax.stop_gradient(value), lax.stop_gradient(derivative)))


# ---------------------------------------------------------------------------
# logsumexp and softmax (mlax.nn's)
# ---------------------------------------------------------------------------


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None):
    from ..nn.functions import logsumexp as nn_logsumexp

    return nn_logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign, where=where)


def softmax(x, /, *, axis=None):
    from ..nn.functions import softmax as nn_softmax

    return nn_softmax(x, axis=axis)


def log_softmax(x, /, *, axis=None):
    from ..nn.functions import log_softmax as nn_log_softmax

    return nn_log_softmax(x, axis=axis)
