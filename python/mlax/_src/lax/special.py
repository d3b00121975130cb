"""lax's special functions as compositions of mlax ops (no ops of their own).

XLA expands JAX's sinh/asin/lgamma/igamma/... primitives into elementwise
arithmetic (chlo decompositions, xla/client/lib/math.cc); these are the same
formulas, chosen for precision near 0 and for large |x|. Their derivatives
come from autodiff of the composition. Inputs that only an unselected branch
of a `select` cannot take are replaced by a harmless value first, so that
the unselected branch's derivative (zero cotangent times inf) is not NaN.
float16/bfloat16 inputs are computed in float32, as XLA does.
"""

import functools
import math

import ml_dtypes
import numpy as np

from ..core import aval_of, user_error
from .common import _as_operand, _check_kind
from .elementwise import (
    _as_operands,
    _scalar,
    abs,
    add,
    atan2,
    convert_element_type,
    div,
    eq,
    exp,
    expm1,
    gt,
    log,
    log1p,
    lt,
    mul,
    neg,
    select,
    sqrt,
    sub,
)
from .shape import broadcast_in_dim

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _float_unary(name):
    """Checks a float operand; float16/bfloat16 are computed in float32."""

    def wrap(impl):
        @functools.wraps(impl)
        def fn(x):
            x = _as_operand(x)
            aval = aval_of(x)
            _check_kind(name, aval, "float")
            if aval.dtype.itemsize < 4:
                y = impl(convert_element_type(x, np.float32, aval.weak_type))
                return convert_element_type(y, aval.dtype, aval.weak_type)
            return impl(x)

        fn.__name__ = name
        return fn

    return wrap


def _float_nary(name, *args):
    """Operands of one float dtype and shape (lax's rule for binary ops);
    returns (operands, original dtype or None when it is not upcast)."""
    if len(args) == 2:
        args = _as_operands(*args)
    else:
        args = [_as_operand(a) for a in args]
    avals = [aval_of(a) for a in args]
    for a in avals:
        _check_kind(name, a, "float")
    if len({a.dtype for a in avals}) > 1:
        raise user_error(
            TypeError,
            f"lax.{name} requires arguments to have the same dtypes, got "
            f"{', '.join(a.dtype.name for a in avals)}.",
        )
    if len({a.shape for a in avals}) > 1:
        raise user_error(
            TypeError,
            f"{name} got incompatible shapes for broadcasting: "
            f"{', '.join(str(a.shape) for a in avals)}.",
        )
    low = avals[0].dtype if avals[0].dtype.itemsize < 4 else None
    if low is not None:
        args = [convert_element_type(a, np.float32, aval_of(a).weak_type) for a in args]
    return args, low


def _restore(y, low, like):
    if low is None:
        return y
    return convert_element_type(y, low, aval_of(like).weak_type)


def _finfo(x):
    return ml_dtypes.finfo(aval_of(x).dtype)


def _c(x, v):
    """The constant v in x's dtype, shape and weak type (for selects)."""
    a = aval_of(x)
    return broadcast_in_dim(_scalar(v, a.dtype, a.weak_type), a.shape, ())


def _is_f64(x):
    return aval_of(x).dtype == np.float64


def _polyval(coeffs, x):
    """Horner: coeffs from the highest power down."""
    acc = _c(x, coeffs[0])
    for c in coeffs[1:]:
        acc = add(mul(acc, x), c)
    return acc


# ---------------------------------------------------------------------------
# Trigonometric and hyperbolic functions
# ---------------------------------------------------------------------------


@_float_unary("sinh")
def sinh(x):
    # |x| < 1: (e + e/(e+1))/2 with e = expm1(x) keeps precision near 0;
    # otherwise e^(x+log½) - e^(-x+log½), which overflows only where sinh does.
    small = lt(abs(x), 1.0)
    xs = select(small, x, _c(x, 0.0))
    e = expm1(xs)
    near0 = mul(add(e, div(e, add(e, 1.0))), 0.5)
    half = math.log(0.5)
    far = sub(exp(add(x, half)), exp(sub(neg(x), -half)))
    return select(small, near0, far)


@_float_unary("cosh")
def cosh(x):
    half = math.log(0.5)
    return add(exp(add(x, half)), exp(sub(neg(x), -half)))


def _sqrt_one_minus_square(x):
    # sqrt(1-x)·sqrt(1+x): precise near |x| = 1, where 1 - x·x cancels, and
    # with the derivative ∓inf at ±1 (sqrt((1-x)(1+x)) would give 0·inf).
    return mul(sqrt(sub(1.0, x)), sqrt(add(1.0, x)))


@_float_unary("asin")
def asin(x):
    # XLA's 2·atan2(x, 1 + sqrt(1 - x²)).
    return mul(atan2(x, add(_sqrt_one_minus_square(x), 1.0)), 2.0)


@_float_unary("acos")
def acos(x):
    # XLA's 2·atan2(sqrt(1 - x²), 1 + x) for x >= 0; below 0 its mirror
    # π - 2·atan2(sqrt(1 - x²), 1 - x), whose denominator stays >= 1 (no 0/0
    # at x = -1, where XLA selects π, and a derivative there).
    root = _sqrt_one_minus_square(x)
    neg_x = lt(x, 0.0)
    half_angle = atan2(root, add(select(neg_x, neg(x), x), 1.0))
    return select(neg_x, sub(math.pi, mul(half_angle, 2.0)), mul(half_angle, 2.0))


@_float_unary("atan")
def atan(x):
    return atan2(x, _c(x, 1.0))


@_float_unary("asinh")
def asinh(x):
    # sign(x)·log1p(|x| + x²/(1 + sqrt(1 + x²))): exact near 0; past
    # 1/sqrt(eps), where sqrt(x²+1) rounds to |x|, log(|x|) + log 2 (no x²
    # to overflow, and a derivative 1/|x| without inf/inf).
    ax = abs(x)
    big = gt(ax, 1.0 / math.sqrt(float(_finfo(x).eps)))
    a = select(big, _c(x, 1.0), ax)
    a2 = mul(a, a)
    moderate = log1p(add(a, div(a2, add(sqrt(add(a2, 1.0)), 1.0))))
    far = add(log(select(big, ax, _c(x, 1.0))), math.log(2.0))
    r = select(big, far, moderate)
    # odd, and ±0 (and its derivative 1) at ±0
    return select(eq(x, 0.0), x, select(lt(x, 0.0), neg(r), r))


@_float_unary("acosh")
def acosh(x):
    # log1p(y + sqrt(y)·sqrt(y+2)) with y = x - 1 (precise near 1, NaN below,
    # derivative inf at 1);
    # past 1/sqrt(eps), log(x) + log 2.
    big = gt(x, 1.0 / math.sqrt(float(_finfo(x).eps)))
    y = sub(select(big, _c(x, 2.0), x), 1.0)
    moderate = log1p(add(y, mul(sqrt(y), sqrt(add(y, 2.0)))))
    far = add(log(select(big, x, _c(x, 2.0))), math.log(2.0))
    return select(big, far, moderate)


@_float_unary("atanh")
def atanh(x):
    # ½(log1p(x) - log1p(-x)): ±inf at ±1, NaN past them.
    return mul(sub(log1p(x), log1p(neg(x))), 0.5)
