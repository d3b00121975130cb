"""The rest of NumPy's ufuncs: inverse and hyperbolic trigonometry, other
logarithm bases, float decomposition (frexp, ldexp, modf, nextafter,
spacing, signbit, copysign), NaN-aware extrema, integer gcd/lcm and bit
counts, and the array-API spellings of older names.

They follow jax.numpy's formulas (so values match JAX's, not only NumPy's to
a tolerance) and, like ufuncs.py, bind lax primitives under jit."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..transforms.control_flow import while_loop
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit
from .ufuncs import (
    _binary,
    _floor_divide_impl,
    _mod_impl,
    _unary,
    arctan2,
    invert,
    keep_weak,
    left_shift,
    power,
    right_shift,
)
from .util import (
    _broadcast_all,
    _broadcast_to_shape,
    _check_arraylike,
    _promote,
    _promote_inexact,
    asarray,
)

_INT_OF_WIDTH = {8: dtypes.int8, 16: dtypes.int16, 32: dtypes.int32, 64: dtypes.int64}
_UINT_OF_WIDTH = {8: dtypes.uint8, 16: dtypes.uint16, 32: dtypes.uint32, 64: dtypes.uint64}


def _const(x, value):
    return lax._scalar_like(x, value)


def _full_like(x, value, dtype):
    return _broadcast_to_shape(lax._scalar(value, dtype, False), aval_of(x).shape)


def _is_float(x):
    return dtypes.is_float(aval_of(x).dtype)


# ---------------------------------------------------------------------------
# Trigonometric and hyperbolic functions (lax's compositions)
# ---------------------------------------------------------------------------

arcsin = asin = _unary("arcsin", lambda x: lax.asin(x))
arccos = acos = _unary("arccos", lambda x: lax.acos(x))
arctan = atan = _unary("arctan", lambda x: lax.atan(x))
arcsinh = asinh = _unary("arcsinh", lambda x: lax.asinh(x))
arccosh = acosh = _unary("arccosh", lambda x: lax.acosh(x))
arctanh = atanh = _unary("arctanh", lambda x: lax.atanh(x))
sinh = _unary("sinh", lambda x: lax.sinh(x))
cosh = _unary("cosh", lambda x: lax.cosh(x))
atan2 = arctan2

deg2rad = radians = _unary("deg2rad", lambda x: lax.mul(x, _const(x, np.pi / 180)))
rad2deg = degrees = _unary("rad2deg", lambda x: lax.mul(x, _const(x, 180 / np.pi)))


@custom_jvp
def _sinc_at_zero(x):
    """sinc's value at 0 (x is 0 where this is used), with the Maclaurin
    series' derivatives: d/dx at 0 is 0, d2/dx2 is -pi^2/3, as JAX has it."""
    return lax.add(lax.mul(x, _const(x, 0)), _const(x, 1))


@_sinc_at_zero.defjvp
def _sinc_at_zero_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    # d/dy (sin y / y) at y = x = 0 is 0; the second derivative comes from
    # differentiating this rule again: -x/3 (in y = pi x units).
    return _sinc_at_zero(x), lax.mul(t, lax.mul(x, _const(x, -1 / 3)))


def _sinc_impl(x):
    zero = lax.eq(x, _const(x, 0))
    pi_x = lax.mul(_const(x, np.pi), x)
    safe = lax.select(zero, _full_like(x, 1, aval_of(x).dtype), pi_x)
    return lax.select(zero, _sinc_at_zero(pi_x), lax.div(lax.sin(safe), safe))


sinc = _unary("sinc", _sinc_impl)

# ---------------------------------------------------------------------------
# Logarithms and exponentials in other bases
# ---------------------------------------------------------------------------


def _scaled_complex_log(x, scale):
    """log(x) * scale for complex x, part by part (a complex product would
    turn log(0) = -inf + 0i into -inf + nan i)."""
    y = lax.log(x)
    re, im = lax.real(y), lax.imag(y)
    return lax.complex(scale(re), scale(im))


def _log2_impl(x):
    if dtypes.is_complex(aval_of(x).dtype):
        return _scaled_complex_log(x, lambda p: lax.div(p, lax.log(_const(p, 2))))
    return lax.div(lax.log(x), lax.log(_const(x, 2)))


def _log10_impl(x):
    # jnp.log10 multiplies by 1/ln(10) rounded to the dtype (not a division).
    if dtypes.is_complex(aval_of(x).dtype):
        return _scaled_complex_log(x, lambda p: lax.mul(p, _const(p, 0.4342944819032518)))
    return lax.mul(lax.log(x), _const(x, 0.4342944819032518))


log2 = _unary("log2", _log2_impl)
log10 = _unary("log10", _log10_impl)


def _logaddexp2_impl(x, y):
    amax = lax.max(x, y)
    delta = lax.sub(x, y)
    soft = lax.mul(_const(amax, 1 / np.log(2)), lax.log1p(lax.exp2(lax.neg(lax.abs(delta)))))
    return lax.select(lax.ne(delta, delta), lax.add(x, y), lax.add(amax, soft))


logaddexp2 = _binary("logaddexp2", _logaddexp2_impl, inexact=True)
float_power = _binary("float_power", lax.pow, inexact=True)


def _hypot_impl(x, y):
    x, y = lax.abs(x), lax.abs(y)
    inf = _const(x, np.inf)
    any_inf = lax.bitwise_or(lax.eq(x, inf), lax.eq(y, inf))
    big, small = lax.max(x, y), lax.min(x, y)
    big_zero = lax.eq(big, _const(big, 0))
    safe = lax.select(big_zero, _full_like(big, 1, aval_of(big).dtype), big)
    ratio = lax.div(small, safe)
    scaled = lax.mul(big, lax.sqrt(lax.add(_const(big, 1), lax.mul(ratio, ratio))))
    out = lax.select(big_zero, big, scaled)
    return lax.select(any_inf, _full_like(out, np.inf, aval_of(out).dtype), out)


hypot = _binary("hypot", _hypot_impl, inexact=True)

# ---------------------------------------------------------------------------
# Rounding and sign
# ---------------------------------------------------------------------------


def _fabs_impl(x):
    return lax.abs(x)


fabs = _unary("fabs", _fabs_impl)


def _trunc_impl(x):
    if not _is_float(x):
        return x
    return lax.select(lax.lt(x, _const(x, 0)), lax.ceil(x), lax.floor(x))


trunc = _unary("trunc", _trunc_impl, inexact=False)


def _rint_impl(x):
    if not _is_float(x):
        return lax.convert_element_type(x, dtypes.default_float())
    return lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN)


rint = _unary("rint", _rint_impl, inexact=False)


def _signbit_impl(x):
    d = aval_of(x).dtype
    if d == dtypes.bool_:
        return _full_like(x, False, dtypes.bool_)
    if dtypes.is_int(d):
        return lax.lt(x, _const(x, 0)) if not dtypes.is_unsigned(d) else _full_like(x, False, bool)
    bits = np.dtype(d).itemsize * 8
    ints = lax.bitcast_convert_type(x, _INT_OF_WIDTH[bits])
    return lax.lt(ints, lax._scalar_like(ints, 0))


signbit = _unary("signbit", _signbit_impl, inexact=False)


def _copysign_impl(x, y):
    magnitude = lax.abs(x)
    return lax.select(_signbit_impl(y), lax.neg(magnitude), magnitude)


copysign = _binary("copysign", _copysign_impl, inexact=True)


def _heaviside_impl(x, h0):
    zero, one = _const(x, 0), _const(x, 1)
    inner = lax.select(lax.ne(x, x), x, h0)
    inner = lax.select(lax.gt(x, zero), _broadcast_to_shape(one, aval_of(x).shape), inner)
    return lax.select(lax.lt(x, zero), _broadcast_to_shape(zero, aval_of(x).shape), inner)


heaviside = _binary("heaviside", _heaviside_impl, inexact=True)


def _fmax_impl(x, y):
    return lax.select(lax.bitwise_or(lax.gt(x, y), lax.ne(y, y)), x, y)


def _fmin_impl(x, y):
    return lax.select(lax.bitwise_or(lax.lt(x, y), lax.ne(y, y)), x, y)


fmax = _binary("fmax", _fmax_impl)
fmin = _binary("fmin", _fmin_impl)


def _nan_to_num_impl(x, nan, posinf, neginf):
    if dtypes.is_complex(aval_of(x).dtype):
        # Part by part, as JAX.
        parts = (lax.real(x), lax.imag(x))
        return lax.complex(*(_nan_to_num_impl(p, nan, posinf, neginf) for p in parts))
    if not _is_float(x):
        return x
    d = aval_of(x).dtype
    info = dtypes.finfo(d)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf

    def fill(v):
        v = lax.convert_element_type(asarray(v), d)
        return _broadcast_to_shape(v, aval_of(x).shape)

    out = lax.select(lax.ne(x, x), fill(nan), x)
    out = lax.select(lax.eq(out, _const(out, np.inf)), fill(posinf), out)
    return lax.select(lax.eq(out, _const(out, -np.inf)), fill(neginf), out)


_nan_to_num_jit = jit(_nan_to_num_impl)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """Like jnp.nan_to_num: NaN -> nan, +-inf -> posinf/neginf (the dtype's
    largest finite values by default); integers pass through."""
    del copy
    _check_arraylike("nan_to_num", x)
    return _nan_to_num_jit(asarray(x), nan, posinf, neginf)


# ---------------------------------------------------------------------------
# Float decomposition: frexp, ldexp, modf, nextafter, spacing
# ---------------------------------------------------------------------------


def _frexp_parts(x):
    d = aval_of(x).dtype
    info = dtypes.finfo(d)
    nmant, nexp = int(info.nmant), int(info.nexp)
    int_t = _INT_OF_WIDTH[np.dtype(d).itemsize * 8]
    # Subnormals are scaled into the normal range first; their exponent
    # is corrected by -nmant.
    sub = lax.lt(lax.abs(x), _const(x, float(info.tiny)))
    scaled = lax.select(sub, lax.mul(x, _const(x, float(1 << nmant))), x)
    bits = lax.bitcast_convert_type(scaled, int_t)
    mask = (1 << nexp) - 1
    bias = 1 - int(info.minexp)
    exp_field = lax.bitwise_and(
        lax.shift_right_arithmetic(bits, lax._scalar_like(bits, nmant)),
        lax._scalar_like(bits, mask),
    )
    e = lax.add(
        lax.sub(exp_field, lax._scalar_like(bits, bias - 1)),
        lax.select(
            sub,
            _full_like(bits, -nmant, int_t),
            _full_like(bits, 0, int_t),
        ),
    )
    m_bits = lax.bitwise_and(bits, lax._scalar_like(bits, ~(mask << nmant)))
    m_bits = lax.bitwise_or(m_bits, lax._scalar_like(bits, (bias - 1) << nmant))
    m = lax.bitcast_convert_type(m_bits, d)
    special = lax.bitwise_or(lax.bitwise_not(lax.is_finite(x)), lax.eq(x, _const(x, 0)))
    e = lax.select(special, _full_like(e, 0, int_t), e)
    return lax.select(special, x, m), lax.convert_element_type(e, dtypes.int32)


@custom_jvp
def _frexp(x):
    return _frexp_parts(x)


@_frexp.defjvp
def _frexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    m, e = _frexp(x)
    scale = lax.exp2(lax.neg(lax.convert_element_type(e, aval_of(t).dtype)))
    # The exponent is an integer: its tangent is a zero (JAX's float0).
    return (m, e), (lax.mul(t, scale), _full_like(e, 0, dtypes.int32))


def _frexp_impl(x):
    return _frexp(x)


frexp = _unary("frexp", _frexp_impl)


def _ldexp_impl(x, n):
    m, e = _frexp(x)
    e = lax.convert_element_type(
        lax.add(lax.convert_element_type(e, aval_of(n).dtype), n), aval_of(x).dtype
    )
    pos = lax.gt(e, _const(e, 0))
    m = lax.select(pos, lax.mul(m, _const(m, 2)), m)
    e = lax.select(pos, lax.sub(e, _const(e, 1)), e)
    out = lax.mul(m, lax.pow(_broadcast_to_shape(_const(m, 2), aval_of(m).shape), e))
    keep = lax.bitwise_or(lax.eq(lax.abs(x), _const(x, np.inf)), lax.eq(x, _const(x, 0)))
    return lax.select(keep, x, out)


@jit
def _ldexp_jit(x, n):
    (x,) = _promote_inexact("ldexp", x)
    x, n = _broadcast_all(x, n, name="ldexp")
    return _ldexp_impl(x, n)


def ldexp(x1, x2):
    """x1 * 2**x2, exact (x1 is split by frexp first, so small x1 with a
    large x2 does not overflow midway); x2 must be an integer."""
    _check_arraylike("ldexp", x1, x2)
    d1, d2 = dtypes.dtype_and_weak(x1)[0], dtypes.dtype_and_weak(x2)[0]
    if dtypes.is_float(d2):
        raise user_error(ValueError, f"ldexp not supported for input types {(d1, d2)}")
    return _ldexp_jit(x1, x2)


def _modf_impl(x):
    whole = lax.select(lax.ge(x, _const(x, 0)), lax.floor(x), lax.ceil(x))
    return lax.sub(x, whole), whole


_modf_jit = jit(lambda x: _modf_impl(*_promote_inexact("modf", x)))


def modf(x, /, out=None):
    if out is not None:
        raise user_error(NotImplementedError, "The 'out' argument to jnp.modf is not supported.")
    _check_arraylike("modf", x)
    return _modf_jit(x)


def _nextafter_impl(x, y):
    d = aval_of(x).dtype
    bits = np.dtype(d).itemsize * 8
    int_t = _INT_OF_WIDTH[bits]
    ix = lax.bitcast_convert_type(x, int_t)
    iy = lax.bitcast_convert_type(y, int_t)
    sign_mask = lax._scalar_like(ix, -(1 << (bits - 1)))
    zero = _const(x, 0)
    # From 0, the smallest subnormal with y's sign; otherwise one unit in
    # the last place away from or towards zero.
    from_zero = lax.bitwise_or(lax.bitwise_and(iy, sign_mask), lax._scalar_like(ix, 1))
    away = lax.eq(lax.lt(x, y), lax.gt(x, zero))
    step = lax.select(away, _full_like(ix, 1, int_t), _full_like(ix, -1, int_t))
    moved = lax.select(lax.eq(x, zero), from_zero, lax.add(ix, step))
    out = lax.bitcast_convert_type(moved, d)
    out = lax.select(lax.eq(x, y), y, out)
    either_nan = lax.bitwise_or(lax.ne(x, x), lax.ne(y, y))
    return lax.select(either_nan, _full_like(x, np.nan, d), out)


nextafter = _binary("nextafter", _nextafter_impl, inexact=True)


def _spacing_impl(x):
    d = aval_of(x).dtype
    inf = _broadcast_to_shape(_const(x, np.inf), aval_of(x).shape)
    if d == dtypes.float16:
        return lax.sub(_nextafter_impl(x, inf), x)
    result = lax.sub(_nextafter_impl(x, _copysign_impl(inf, x)), x)
    smallest = _copysign_impl(
        _broadcast_to_shape(_const(x, float(dtypes.finfo(d).smallest_subnormal)), aval_of(x).shape),
        x,
    )
    return lax.select(lax.eq(result, _const(result, 0)), smallest, result)


spacing = _unary("spacing", _spacing_impl)

# ---------------------------------------------------------------------------
# divmod, gcd, lcm
# ---------------------------------------------------------------------------


def _float_divmod(x, y):
    mod = lax.rem(x, y)
    zero = _const(mod, 0)
    # x // 0 is +-inf (or NaN), as x / 0; x - rem(x, 0) would be NaN.
    div = lax.div(lax.select(lax.eq(y, zero), x, lax.sub(x, mod)), y)
    fix = lax.bitwise_and(lax.ne(mod, zero), lax.ne(lax.sign(y), lax.sign(mod)))
    mod = lax.select(fix, lax.add(mod, y), mod)
    div = lax.select(fix, lax.sub(div, _const(div, 1)), div)
    return lax.round(div, lax.RoundingMethod.TO_NEAREST_EVEN), mod


@jit
def _divmod_jit(x, y):
    x, y = _promote("divmod", x, y)
    x, y = _broadcast_all(x, y, name="divmod")
    if aval_of(x).dtype == dtypes.bool_:
        raise user_error(TypeError, "divmod does not accept dtype bool.")
    if _is_float(x):
        return keep_weak("divmod", _float_divmod(x, y), x, y)
    return keep_weak("divmod", (_floor_divide_impl(x, y), _mod_impl(x, y)), x, y)


def divmod(x1, x2, /):
    _check_arraylike("divmod", x1, x2)
    return _divmod_jit(x1, x2)


def _check_integers(name, x):
    if not dtypes.is_int(aval_of(x).dtype) or aval_of(x).dtype == dtypes.bool_:
        raise user_error(ValueError, f"Arguments to jax.numpy.{name} must be integers.")


def _gcd_impl(x, y):
    _check_integers("gcd", x)
    x, y = lax.abs(x), lax.abs(y)

    def cond(c):
        return lax.reduce_or(lax.ne(c[1], _const(c[1], 0)), tuple(range(aval_of(c[1]).ndim)))

    def body(c):
        a, b = c
        nz = lax.ne(b, _const(b, 0))
        safe = lax.select(nz, b, _full_like(b, 1, aval_of(b).dtype))
        return lax.select(nz, b, a), lax.select(nz, lax.rem(a, safe), b)

    g, _ = while_loop(cond, body, (x, y))
    return g


gcd = _binary("gcd", _gcd_impl)


def _lcm_impl(x, y):
    _check_integers("lcm", x)
    x, y = lax.abs(x), lax.abs(y)
    d = _gcd_impl(x, y)
    zero = lax.eq(d, _const(d, 0))
    safe = lax.select(zero, _full_like(d, 1, aval_of(d).dtype), d)
    return lax.select(zero, d, lax.mul(x, _floor_divide_impl(y, safe)))


lcm = _binary("lcm", _lcm_impl)

# ---------------------------------------------------------------------------
# Bit counting and the array-API names of the bitwise ops
# ---------------------------------------------------------------------------


def _population_count(u):
    """Set bits of each element of an unsigned array (SWAR: pairs, nibbles,
    bytes, then one multiply sums the bytes into the top byte)."""
    bits = np.dtype(aval_of(u).dtype).itemsize * 8

    def c(v):
        return lax._scalar_like(u, v & ((1 << bits) - 1))

    def shr(v, n):
        return lax.shift_right_logical(v, c(n))

    u = lax.sub(u, lax.bitwise_and(shr(u, 1), c(0x5555555555555555)))
    u = lax.add(
        lax.bitwise_and(u, c(0x3333333333333333)), lax.bitwise_and(shr(u, 2), c(0x3333333333333333))
    )
    u = lax.bitwise_and(lax.add(u, shr(u, 4)), c(0x0F0F0F0F0F0F0F0F))
    if bits > 8:
        u = shr(lax.mul(u, c(0x0101010101010101)), bits - 8)
    return u


def _bitwise_count_impl(x):
    d = aval_of(x).dtype
    if d == dtypes.bool_:
        return lax.convert_element_type(x, dtypes.uint8)
    if not dtypes.is_int(d):
        raise user_error(TypeError, f"bitwise_count requires integer inputs, got dtype {d}")
    if not dtypes.is_unsigned(d):
        x = lax.abs(x)
    u = lax.bitcast_convert_type(x, _UINT_OF_WIDTH[np.dtype(d).itemsize * 8])
    return lax.convert_element_type(_population_count(u), dtypes.uint8)


bitwise_count = _unary("bitwise_count", _bitwise_count_impl, inexact=False)

bitwise_invert = invert
bitwise_left_shift = left_shift
bitwise_right_shift = right_shift
pow = power
