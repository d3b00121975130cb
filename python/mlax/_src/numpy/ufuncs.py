"""Elementwise functions (NumPy's ufuncs), where, clip, round.

Each function promotes and broadcasts explicitly, then binds lax
primitives. Like jax.numpy, they are jitted, so an eager call is one cached
executable (promotion, broadcast and op fused) and a call under jit traces
inline."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit
from .util import (
    _broadcast_all,
    _broadcast_to_shape,
    _check_arraylike,
    _is_array,
    _promote,
    _promote_inexact,
    asarray,
)

# Elementwise functions
# ---------------------------------------------------------------------------


# Functions whose result is weakly typed when every argument is, as JAX's
# are (checked on Python scalars against JAX 0.10); the others' results
# come out as their ops make them (JAX's log2, ldexp, signbit: strong).
_WEAK_WHEN_ALL_WEAK = frozenset(
    [
        "deg2rad",
        "rad2deg",
        "isnan",
        "logical_not",
        "reciprocal",
        "sinc",
        "divmod",
        "equal",
        "not_equal",
        "greater",
        "greater_equal",
        "less",
        "less_equal",
        "floor_divide",
        "fmod",
        "heaviside",
        "hypot",
        "lcm",
        "logaddexp2",
        "logical_and",
        "logical_or",
        "logical_xor",
        "remainder",
        "nextafter",
        "power",
    ]
)


def keep_weak(name, out, *args):
    """`out` weakly typed where JAX's `name` would be: every arg weak."""
    if name not in _WEAK_WHEN_ALL_WEAK or not all(aval_of(a).weak_type for a in args):
        return out
    if isinstance(out, tuple):
        return tuple(keep_weak(name, o, *args) for o in out)
    aval = aval_of(out)
    return out if aval.weak_type else lax.convert_element_type(out, aval.dtype, weak_type=True)


def _unary(name, lax_fn, inexact=True):
    def impl(x):
        _check_arraylike(name, x)
        (x,) = _promote_inexact(name, x) if inexact else _promote(name, x)
        return keep_weak(name, lax_fn(x), x)

    impl.__name__ = name
    fn = jit(impl)
    fn.__name__ = name
    return fn


def _binary(name, lax_fn, inexact=False):
    def impl(x, y):
        _check_arraylike(name, x, y)
        x, y = _promote_inexact(name, x, y) if inexact else _promote(name, x, y)
        x, y = _broadcast_all(x, y, name=name)
        return keep_weak(name, lax_fn(x, y), x, y)

    impl.__name__ = name
    fn = jit(impl)
    fn.__name__ = name
    return fn


exp = _unary("exp", lax.exp)
exp2 = _unary("exp2", lax.exp2)
log = _unary("log", lax.log)
log1p = _unary("log1p", lax.log1p)
expm1 = _unary("expm1", lax.expm1)
sqrt = _unary("sqrt", lax.sqrt)
cbrt = _unary("cbrt", lax.cbrt)
sin = _unary("sin", lax.sin)
cos = _unary("cos", lax.cos)
tan = _unary("tan", lax.tan)
tanh = _unary("tanh", lax.tanh)
negative = _unary(
    "negative",
    lambda x: lax.neg(x) if aval_of(x).dtype != dtypes.bool_ else _raise_type("negative", "bool"),
    inexact=False,
)
positive = _unary("positive", lambda x: x, inexact=False)
sign = _unary(
    "sign",
    lambda x: lax.sign(x) if aval_of(x).dtype != dtypes.bool_ else _raise_type("sign", "bool"),
    inexact=False,
)
# floor/ceil keep integer dtypes (NumPy 2, JAX): there is nothing to round.
floor = _unary(
    "floor", lambda x: lax.floor(x) if dtypes.is_inexact(aval_of(x).dtype) else x, inexact=False
)
ceil = _unary(
    "ceil", lambda x: lax.ceil(x) if dtypes.is_inexact(aval_of(x).dtype) else x, inexact=False
)


def _isfinite(x):
    """JAX's: floats through is_finite (weak when x is), integers and bools
    all True (strongly typed)."""
    if dtypes.is_complex(aval_of(x).dtype):
        return lax.bitwise_and(lax.is_finite(lax.real(x)), lax.is_finite(lax.imag(x)))
    if not dtypes.is_float(aval_of(x).dtype):
        return lax.full(aval_of(x).shape, True, dtypes.bool_)
    out = lax.is_finite(x)
    return (
        lax.convert_element_type(out, dtypes.bool_, weak_type=True) if aval_of(x).weak_type else out
    )


isfinite = _unary("isfinite", _isfinite, inexact=False)
isnan = _unary("isnan", lambda x: lax.ne(x, x))


def _isinf_impl(x):
    magnitude = lax.abs(x)  # real, also for complex x
    return lax.eq(magnitude, lax._scalar_like(magnitude, np.inf))


isinf = _unary("isinf", _isinf_impl)
reciprocal = _unary("reciprocal", lambda x: lax.div(lax._scalar_like(x, 1), x))
square = _unary("square", lambda x: lax.integer_pow(x, 2), inexact=False)
logical_not = _unary("logical_not", lambda x: lax.bitwise_not(_to_bool(x)), inexact=False)
invert = bitwise_not = _unary("invert", lambda x: lax.bitwise_not(x), inexact=False)


def _raise_type(name, dt):
    raise user_error(TypeError, f"{name} does not accept dtype {dt}.")


def _abs_impl(x):
    if dtypes.is_unsigned(aval_of(x).dtype) or aval_of(x).dtype == dtypes.bool_:
        return x
    return lax.abs(x)


abs = absolute = _unary("absolute", _abs_impl, inexact=False)


def _round_impl(x, decimals=0):
    (x,) = _promote("round", x)
    if dtypes.is_complex(aval_of(x).dtype):
        return lax.complex(_round_impl(lax.real(x), decimals), _round_impl(lax.imag(x), decimals))
    if not dtypes.is_float(aval_of(x).dtype):
        if decimals < 0:
            raise user_error(
                NotImplementedError, "integer np.round not implemented for decimals < 0"
            )
        return x
    if decimals == 0:
        return lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN)
    factor = lax._scalar_like(x, 10.0**decimals)
    return lax.div(lax.round(lax.mul(x, factor), lax.RoundingMethod.TO_NEAREST_EVEN), factor)


round = around = jit(_round_impl, static_argnames=("decimals",))


def _to_bool(x):
    if aval_of(x).dtype == dtypes.bool_:
        return x
    return lax.ne(x, lax._scalar_like(x, 0))


add = _binary(
    "add", lambda x, y: lax.bitwise_or(x, y) if aval_of(x).dtype == dtypes.bool_ else lax.add(x, y)
)
subtract = _binary(
    "subtract",
    lambda x, y: (
        lax.sub(x, y) if aval_of(x).dtype != dtypes.bool_ else _raise_type("subtract", "bool")
    ),
)
multiply = _binary(
    "multiply",
    lambda x, y: lax.bitwise_and(x, y) if aval_of(x).dtype == dtypes.bool_ else lax.mul(x, y),
)
true_divide = divide = _binary("divide", lax.div, inexact=True)
_power_arrays = _binary("power", lambda x, y: _power_impl(x, y))


def power(x1, x2):
    """x1 ** x2; integers to negative constant powers raise, as in JAX."""
    if (
        isinstance(x2, int)
        and not isinstance(x2, bool)
        and x2 < 0
        and _is_array(x1)
        and not dtypes.is_inexact(aval_of(x1).dtype)
    ):
        raise user_error(
            TypeError,
            f"Integers cannot be raised to negative powers, got integer_pow({aval_of(x1)}, {x2})",
        )
    if isinstance(x2, int) and not isinstance(x2, bool) and _is_array(x1):
        # A Python int exponent is lax.integer_pow, exact by repeated squaring.
        return _integer_power(x1, x2)
    return _power_arrays(x1, x2)


_integer_power = jit(lambda x, y: lax.integer_pow(x, y), static_argnums=(1,))


arctan2 = _binary("arctan2", lax.atan2, inexact=True)
maximum = _binary("maximum", lax.max)
minimum = _binary("minimum", lax.min)
bitwise_and = _binary("bitwise_and", lax.bitwise_and)
bitwise_or = _binary("bitwise_or", lax.bitwise_or)
bitwise_xor = _binary("bitwise_xor", lax.bitwise_xor)
left_shift = _binary("left_shift", lax.shift_left)
right_shift = _binary(
    "right_shift",
    lambda x, y: (
        lax.shift_right_logical(x, y)
        if dtypes.is_unsigned(aval_of(x).dtype)
        else lax.shift_right_arithmetic(x, y)
    ),
)
logical_and = _binary("logical_and", lambda x, y: lax.bitwise_and(_to_bool(x), _to_bool(y)))
logical_or = _binary("logical_or", lambda x, y: lax.bitwise_or(_to_bool(x), _to_bool(y)))
logical_xor = _binary("logical_xor", lambda x, y: lax.bitwise_xor(_to_bool(x), _to_bool(y)))
equal = _binary("equal", lax.eq)
not_equal = _binary("not_equal", lax.ne)


def _ordered(lax_op):
    """A comparison; complex values compare lexicographically, by real part
    and then imaginary part, as JAX's jnp comparisons do."""

    def compare(x, y):
        if not dtypes.is_complex(aval_of(x).dtype):
            return lax_op(x, y)
        rx, ry = lax.real(x), lax.real(y)
        return lax.select(lax.eq(rx, ry), lax_op(lax.imag(x), lax.imag(y)), lax_op(rx, ry))

    return compare


less = _binary("less", _ordered(lax.lt))
less_equal = _binary("less_equal", _ordered(lax.le))
greater = _binary("greater", _ordered(lax.gt))
greater_equal = _binary("greater_equal", _ordered(lax.ge))


def _power_impl(x, y):
    if dtypes.is_inexact(aval_of(x).dtype):
        return lax.pow(x, y)
    if dtypes.is_bool(aval_of(x).dtype):
        _raise_type("power", "bool")
    # Integer power by repeated squaring over the bits of y (y >= 0).
    result = lax._scalar_like(x, 1)
    result = _broadcast_to_shape(result, aval_of(x).shape)
    base = x
    bits = aval_of(y).dtype.itemsize * 8
    for _ in range(bits):
        odd = lax.ne(lax.bitwise_and(y, lax._scalar_like(y, 1)), lax._scalar_like(y, 0))
        result = lax.select(odd, lax.mul(result, base), result)
        base = lax.mul(base, base)
        y = lax.shift_right_logical(y, lax._scalar_like(y, 1))
    return result


def _floor_divide_impl(x, y):
    d = aval_of(x).dtype
    if dtypes.is_float(d):
        # CPython's float_divmod, as JAX: exact where floor(x / y) rounds
        # wrongly (1.0 // 0.1 is 9.0).
        mod = lax.rem(x, y)
        zero = lax._scalar_like(mod, 0)
        div = lax.div(lax.select(lax.eq(y, zero), x, lax.sub(x, mod)), y)
        fix = lax.bitwise_and(lax.ne(mod, zero), lax.ne(lax.sign(y), lax.sign(mod)))
        div = lax.select(fix, lax.sub(div, lax._scalar_like(div, 1)), div)
        return lax.round(div, lax.RoundingMethod.TO_NEAREST_EVEN)
    if dtypes.is_unsigned(d):
        return lax.div(x, y)
    q = lax.div(x, y)
    r = lax.rem(x, y)
    zero = lax._scalar_like(x, 0)
    # JAX's test (signs differ), which also holds for y == 0: x // 0 is
    # lax.div's -1, less one where x != 0.
    fix = lax.bitwise_and(lax.ne(r, zero), lax.ne(lax.sign(x), lax.sign(y)))
    return lax.select(fix, lax.sub(q, lax._scalar_like(x, 1)), q)


def _int_nonzero_divisor(y):
    """JAX's remainder and fmod divide integers by 1 where y == 0 (x % 0 is 0)."""
    if not dtypes.is_int(aval_of(y).dtype):
        return y
    one = lax._scalar_like(y, 1)
    return lax.select(
        lax.eq(y, lax._scalar_like(y, 0)), _broadcast_to_shape(one, aval_of(y).shape), y
    )


def _mod_impl(x, y):
    y = _int_nonzero_divisor(y)
    r = lax.rem(x, y)
    d = aval_of(x).dtype
    if dtypes.is_unsigned(d):
        return r
    zero = lax._scalar_like(x, 0)
    fix = lax.bitwise_and(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(y, zero)))
    return lax.select(fix, lax.add(r, y), r)


floor_divide = _binary("floor_divide", _floor_divide_impl)
remainder = mod = _binary("remainder", _mod_impl)
fmod = _binary("fmod", lambda x, y: lax.rem(x, _int_nonzero_divisor(y)))


@custom_jvp
def _logaddexp_impl(x, y):
    # JAX's formula: NaN deltas (NaNs, or infinities of one sign) give
    # x + y; elsewhere amax + log1p(exp(-|delta|)), which makes -0 and
    # -inf +0.
    amax = lax.max(x, y)
    delta = lax.sub(x, y)
    soft = lax.log1p(lax.exp(lax.neg(lax.abs(delta))))
    return lax.select(lax.ne(delta, delta), lax.add(x, y), lax.add(amax, soft))


def _replace_posinf(v):
    return lax.select(lax.eq(v, lax.full_like(v, np.inf)), lax.full_like(v, 0), v)


@_logaddexp_impl.defjvp
def _logaddexp_jvp(primals, tangents):
    """JAX's rule: t_x e^(x - out) + t_y e^(y - out), smooth where x == y
    (softplus'(0) = 0.5; the composition's max and abs have kinks there)."""
    x, y = primals
    tx, ty = tangents
    out = _logaddexp_impl(x, y)
    o = _replace_posinf(out)
    return out, lax.add(
        lax.mul(tx, lax.exp(lax.sub(_replace_posinf(x), o))),
        lax.mul(ty, lax.exp(lax.sub(_replace_posinf(y), o))),
    )


logaddexp = _binary("logaddexp", _logaddexp_impl, inexact=True)


def _where_impl(condition, x, y):
    x, y = _promote("where", x, y)
    condition = _to_bool(asarray(condition))
    condition, x, y = _broadcast_all(condition, x, y)
    return lax.select(condition, x, y)


_where_jit = jit(_where_impl)


def where(condition, x=None, y=None, *, size=None, fill_value=None):
    if x is None and y is None:
        from .selection import nonzero

        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        position = 1 if x is None else 2
        raise user_error(
            TypeError,
            f"where requires ndarray or scalar arguments, got <class 'NoneType'> at "
            f"position {position}.",
        )
    if hasattr(x, "_with_key_data") and hasattr(y, "_with_key_data"):
        # Typed PRNG keys: chosen by their uint32 data (the last axis).
        cond = _where_jit(condition, True, False)[..., None]
        return x._with_key_data(_where_jit(cond, x._key_data, y._key_data))
    return _where_jit(condition, x, y)


def piecewise(x, condlist, funclist, *args, **kw):
    """Like jnp.piecewise: funclist[k](x) where condlist[k] holds (the last
    true condition wins), else the extra default (0 without one). Each
    element goes through lax.switch under vmap, as JAX vectorizes it;
    results take x's dtype."""
    from ..transforms.batching import vmap
    from ..transforms.control_flow import switch

    x = asarray(x)
    condlist = asarray(condlist, dtype=bool)
    nc, nf = len(condlist), len(funclist)
    if nf == nc + 1:
        default, funcs = funclist[-1], list(funclist[:-1])
    elif nf == nc:
        default, funcs = 0, list(funclist)
    else:
        raise user_error(
            ValueError,
            f"with {nc} condition(s), either {nc} or {nc + 1} functions are expected; got {nf}",
        )
    index = lax.full(x.shape, 0, np.int32)
    for k in range(nc):
        index = where(condlist[k], np.int32(k + 1), index)
    dtype = x.dtype

    def branch(f):
        if callable(f):
            return lambda v: asarray(f(v, *args, **kw)).astype(dtype)
        return lambda v: lax.full((), f, dtype)

    branches = [branch(f) for f in [default] + funcs]
    flat = vmap(lambda i, v: switch(i, branches, v))(index.reshape(-1), x.reshape(-1))
    return flat.reshape(x.shape)


def _clip_impl(arr, min=None, max=None):
    (arr,) = _promote("clip", arr)
    if any(
        v is not None and (isinstance(v, complex) or dtypes.is_complex(aval_of(asarray(v)).dtype))
        for v in (arr, min, max)
    ):
        raise user_error(
            ValueError,
            "Clip received a complex value either through the input or the min/max keywords. "
            "Complex values have no ordering and cannot be clipped. Please convert to a real "
            "value or array by taking the real or imaginary components via jax.numpy.real/imag "
            "respectively.",
        )
    if min is not None:
        arr = maximum(arr, min)
    if max is not None:
        arr = minimum(arr, max)
    return arr


clip = jit(_clip_impl)

# ---------------------------------------------------------------------------
