"""Elementwise ops: unary and binary arithmetic, comparison, selection,
clamp, sources (iota) and conversions."""

import builtins
import operator
import warnings

import numpy as np

from ..._mlir import ir
from ..core import (
    Primitive,
    ShapedArray,
    Tracer,
    aval_of,
    current_trace,
    dtypes,
    hooks,
    i32_attr,
    i64_attr,
    tree_util,
    user_error,
    user_stacklevel,
)
from .common import _as_operand, _canon_axes, _check_kind, _check_same_dtypes, _check_same_shapes
from .shape import broadcast_in_dim

# ---------------------------------------------------------------------------
# Elementwise unary
# ---------------------------------------------------------------------------


def _unary_primitive(name, kind):
    def abstract_eval(x):
        _check_kind(name, x, kind)
        if name == "abs" and dtypes.is_complex(x.dtype):
            return x.update(dtype=dtypes.real_dtype(x.dtype))
        return x

    return Primitive(name, abstract_eval)


_UNARY = {
    "neg": "num",
    "abs": "abs",
    "sign": "real",
    "not": "intbool",
    "exp": "inexact",
    "exp2": "float",
    "log": "inexact",
    "log1p": "inexact",
    "expm1": "inexact",
    "sqrt": "inexact",
    "rsqrt": "inexact",
    "cbrt": "float",
    "sin": "inexact",
    "cos": "inexact",
    "tan": "inexact",
    "tanh": "inexact",
    "logistic": "float",
    "erf": "float",
    "erf_inv": "float",
    "floor": "float",
    "ceil": "float",
}
unary_primitives = {name: _unary_primitive(name, kind) for name, kind in _UNARY.items()}


def _unary_fn(name, jax_name=None):
    prim = unary_primitives[name]

    def fn(x):
        return prim.bind(_as_operand(x))

    fn.__name__ = jax_name or name
    fn.__doc__ = f"lax.{jax_name or name}: the mlax.{name} op."
    return fn


neg = _unary_fn("neg")
abs = _unary_fn("abs")
_sign_real = _unary_fn("sign")


def sign(x):
    """lax.sign; for complex x, x / |x| (0 at 0), as JAX."""
    x = _as_operand(x)
    if not dtypes.is_complex(aval_of(x).dtype):
        return _sign_real(x)
    magnitude = abs(x)
    zero = eq(magnitude, full_like(magnitude, 0))
    safe = select(zero, full_like(magnitude, 1), magnitude)
    out = div(x, complex(safe, full_like(safe, 0)))
    return select(zero, full_like(x, 0), out)


bitwise_not = _unary_fn("not", "bitwise_not")
exp = _unary_fn("exp")
_exp2_real = _unary_fn("exp2")


def exp2(x):
    """lax.exp2; for complex x, exp(x log 2)."""
    x = _as_operand(x)
    if dtypes.is_complex(aval_of(x).dtype):
        return exp(mul(x, full_like(x, np.log(2.0))))
    return _exp2_real(x)


log = _unary_fn("log")
log1p = _unary_fn("log1p")
expm1 = _unary_fn("expm1")
sqrt = _unary_fn("sqrt")
rsqrt = _unary_fn("rsqrt")
cbrt = _unary_fn("cbrt")
sin = _unary_fn("sin")
cos = _unary_fn("cos")
tan = _unary_fn("tan")
tanh = _unary_fn("tanh")
logistic = _unary_fn("logistic")
erf = _unary_fn("erf")
erf_inv = _unary_fn("erf_inv")
floor = _unary_fn("floor")
ceil = _unary_fn("ceil")


class RoundingMethod:
    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


round_p = Primitive(
    "round",
    lambda x, rounding_method: (_check_kind("round", x, "float"), x)[1],
    lambda rounding_method: {"rounding_method": i32_attr(rounding_method)},
)


def round(x, rounding_method=RoundingMethod.AWAY_FROM_ZERO):
    return round_p.bind(_as_operand(x), rounding_method=int(rounding_method))


def _integer_pow_eval(x, y):
    _check_kind("integer_pow", x, "num")
    if y < 0 and not dtypes.is_inexact(x.dtype):
        raise user_error(
            TypeError,
            f"integer_pow with a negative exponent ({y}) needs a float array, got {x.dtype.name}",
        )
    return x


integer_pow_p = Primitive("integer_pow", _integer_pow_eval, lambda y: {"exponent": i64_attr(y)})


def integer_pow(x, y):
    return integer_pow_p.bind(_as_operand(x), y=operator.index(y))


is_finite_p = Primitive(
    "is_finite",
    lambda x: (_check_kind("is_finite", x, "float"), x.update(dtype=dtypes.bool_, weak_type=False))[
        1
    ],
)


def is_finite(x):
    return is_finite_p.bind(_as_operand(x))


# ---------------------------------------------------------------------------
# Elementwise binary
# ---------------------------------------------------------------------------


def _binary_primitive(name, kind):
    def abstract_eval(x, y):
        _check_kind(name, x, kind, 0)
        _check_kind(name, y, kind, 1)
        _check_same_dtypes(name, x, y)
        _check_same_shapes(name, x, y)
        return x.update(weak_type=x.weak_type and y.weak_type)

    return Primitive(name, abstract_eval)


_BINARY = {
    "add": "num",
    "sub": "num",
    "mul": "num",
    "div": "num",
    "rem": "real",
    "pow": "inexact",
    "max": "ordered",
    "min": "ordered",
    "atan2": "float",
    "and": "intbool",
    "or": "intbool",
    "xor": "intbool",
    "shift_left": "int",
    "shift_right_logical": "int",
    "shift_right_arithmetic": "int",
}
binary_primitives = {name: _binary_primitive(name, kind) for name, kind in _BINARY.items()}


def _binary_fn(name, jax_name=None):
    prim = binary_primitives[name]

    def fn(x, y):
        x, y = _broadcast_ranks(jax_name or name, *_as_operands(x, y))
        return prim.bind(x, y)

    fn.__name__ = jax_name or name
    fn.__doc__ = f"lax.{jax_name or name}: the mlax.{name} op (same shapes and dtypes)."
    return fn


add = _binary_fn("add")
sub = _binary_fn("sub")
mul = _binary_fn("mul")
_true_div = _binary_fn("div")


def _broadcast_source(y):
    """(operand, broadcast_dimensions) when the traced y is a broadcast of a
    one-element value (a scalar stretched to y's shape), else None."""
    if not isinstance(y, Tracer):
        return None
    owner = y.value.owner
    if getattr(owner, "name", None) != "mlax.broadcast_in_dim":
        return None
    operand = owner.operands[0]
    shape = tuple(ir.RankedTensorType(operand.type).shape)
    if int(np.prod(shape, dtype=np.int64)) != 1 or shape == aval_of(y).shape:
        return None
    dims = tuple(ir.DenseI64ArrayAttr(owner.attributes["broadcast_dimensions"]))
    return Tracer(y._trace, operand, aval_of(y).update(shape=shape)), dims


def div(x, y):
    """lax.div. A float divided by a broadcast scalar is a multiply by the
    scalar's reciprocal, as XLA rewrites it (A / broadcast(B) -> A *
    broadcast(1 / B)), so x / 10 and means give JAX's numbers
    (jnp.arange(24.0) / 10 holds 0.90000004 there, not 0.9)."""
    if (
        isinstance(y, (int, float))
        and not isinstance(y, bool)
        and not isinstance(x, (bool, int, float))
    ):
        x = _as_operand(x)
        if dtypes.is_float(aval_of(x).dtype) and aval_of(x).shape:
            y = _scalar(y, aval_of(x).dtype, True)  # 0-d, broadcast below
    x, y = _as_operands(x, y)
    y_aval = aval_of(y)
    if dtypes.is_float(y_aval.dtype) and y_aval.shape == () and aval_of(x).shape:
        return mul(x, _true_div(full_like(y, 1), y))
    x, y = _broadcast_ranks("div", x, y)
    source = _broadcast_source(y) if dtypes.is_float(aval_of(y).dtype) else None
    if source is not None:
        operand, dims = source
        reciprocal = _true_div(full_like(operand, 1), operand)
        return mul(x, broadcast_in_dim(reciprocal, aval_of(y).shape, dims))
    return _true_div(x, y)


rem = _binary_fn("rem")
_pow_same_dtype = _binary_fn("pow")


def pow(x, y):
    """lax.pow; an integer exponent is converted to the base's float dtype."""
    x = _as_operand(x)
    if not isinstance(y, (bool, int, float)):
        y = _as_operand(y)
        if dtypes.is_int(aval_of(y).dtype) and dtypes.is_inexact(aval_of(x).dtype):
            y = convert_element_type(y, aval_of(x).dtype)
    return _pow_same_dtype(x, y)


_max_real = _binary_fn("max")
_min_real = _binary_fn("min")


def _complex_extremum(x, y, greater):
    """Complex max/min, lexicographic on (real, imag) as JAX orders them."""
    xr, yr, xi, yi = real(x), real(y), imag(x), imag(y)
    first = gt if greater else lt
    wins = bitwise_or(first(xr, yr), bitwise_and(eq(xr, yr), first(xi, yi)))
    return select(wins, x, y)


def _extremum(name, greater, real_fn):
    def fn(x, y):
        x, y = _as_operands(x, y)
        if dtypes.is_complex(aval_of(x).dtype) and aval_of(x).dtype == aval_of(y).dtype:
            return _complex_extremum(*_broadcast_ranks(name, x, y), greater)
        return real_fn(x, y)

    fn.__name__ = name
    fn.__doc__ = f"lax.{name} (NaN propagates); complex values compare lexicographically."
    return fn


max = _extremum("max", True, _max_real)
min = _extremum("min", False, _min_real)


atan2 = _binary_fn("atan2")
bitwise_and = _binary_fn("and", "bitwise_and")
bitwise_or = _binary_fn("or", "bitwise_or")
bitwise_xor = _binary_fn("xor", "bitwise_xor")
shift_left = _binary_fn("shift_left")
shift_right_logical = _binary_fn("shift_right_logical")
shift_right_arithmetic = _binary_fn("shift_right_arithmetic")


# ---------------------------------------------------------------------------
# Comparison and selection
# ---------------------------------------------------------------------------

_DIRECTIONS = {"EQ": 0, "NE": 1, "LT": 2, "LE": 3, "GT": 4, "GE": 5}


def _compare_eval(x, y, direction):
    name = direction.lower()
    if direction not in ("EQ", "NE"):
        _check_kind(name, x, "ordered", 0)
        _check_kind(name, y, "ordered", 1)
    _check_same_dtypes(name, x, y)
    _check_same_shapes(name, x, y)
    return x.update(dtype=dtypes.bool_, weak_type=False)


compare_p = Primitive(
    "compare",
    _compare_eval,
    lambda direction: {"comparison_direction": i32_attr(_DIRECTIONS[direction])},
)


def _compare_fn(direction):
    def fn(x, y):
        x, y = _broadcast_ranks(direction.lower(), *_as_operands(x, y))
        return compare_p.bind(x, y, direction=direction)

    fn.__name__ = direction.lower()
    return fn


eq, ne, lt, le, gt, ge = (_compare_fn(d) for d in ("EQ", "NE", "LT", "LE", "GT", "GE"))


def _select_eval(pred, on_true, on_false):
    if pred.dtype != dtypes.bool_:
        raise user_error(TypeError, f"select pred must be boolean type, got {pred.dtype.name}")
    _check_same_dtypes("select", on_true, on_false)
    if on_true.shape != on_false.shape:
        raise user_error(
            TypeError,
            f"select cases must have the same shapes, got {on_true.shape}, {on_false.shape}.",
        )
    if pred.shape and pred.shape != on_true.shape:
        raise user_error(
            TypeError,
            f"select pred must be scalar or have the same shape as cases, got "
            f"pred shape {pred.shape} for cases of shape {on_true.shape}.",
        )
    return on_true.update(weak_type=on_true.weak_type and on_false.weak_type)


select_p = Primitive("select", _select_eval)


def select(pred, on_true, on_false):
    on_true, on_false = _as_operands(on_true, on_false)
    return select_p.bind(_as_operand(pred), on_true, on_false)


def select_n(which, *cases):
    """lax.select_n: elementwise cases[which]. `which` is boolean (at most
    two cases) or integer (any number; as JAX lowers it, a tree of selects
    on `which < mid`, so out-of-range indices pick the first or last case)."""
    if not cases:
        raise user_error(TypeError, "select must have at least one case")
    cases = [_as_operand(c) for c in cases]
    which = _as_operand(which)
    w = aval_of(which)
    if not (w.dtype == np.bool_ or np.issubdtype(w.dtype, np.integer)):
        raise user_error(
            TypeError, f"select `which` must be boolean or integer type, got {w.dtype}."
        )
    if w.dtype == np.bool_ and len(cases) > 2:
        raise user_error(TypeError, "select with boolean `which` cannot have > 2 cases.")
    if len(cases) == 1:
        first = aval_of(cases[0])
        if w.shape and w.shape != first.shape:
            raise user_error(
                TypeError,
                f"select `which` must be scalar or have the same shape as cases, got "
                f"`which` shape {w.shape} but case shape {first.shape}.",
            )
        return cases[0]
    if w.dtype == np.bool_:
        return select(which, cases[1], cases[0])

    def tree(lo, hi):
        if hi - lo == 1:
            return cases[lo]
        mid = (lo + hi) // 2
        below = lt(which, mid)
        return select(below, tree(lo, mid), tree(mid, hi))

    return tree(0, len(cases))


# ---------------------------------------------------------------------------
# Complex numbers
# ---------------------------------------------------------------------------


def _complex_eval(x, y):
    for position, a in enumerate((x, y)):
        if a.dtype not in (dtypes.float32, dtypes.float64):
            raise user_error(
                TypeError,
                f"complex does not accept dtype {a.dtype.name} at position {position}. "
                f"Accepted dtypes at position {position} are subtypes of float32, float64.",
            )
    _check_same_dtypes("complex", x, y)
    _check_same_shapes("complex", x, y)
    return x.update(dtype=dtypes.complex_dtype(x.dtype), weak_type=x.weak_type and y.weak_type)


complex_p = Primitive("complex", _complex_eval)


def complex(x, y):
    """lax.complex: x + i y from float32 or float64 parts."""
    x, y = _broadcast_ranks("complex", *_as_operands(x, y))
    return complex_p.bind(x, y)


def _part_eval(name):
    def abstract_eval(x):
        _check_kind(name, x, "complex")
        return x.update(dtype=dtypes.real_dtype(x.dtype))

    return abstract_eval


real_p = Primitive("real", _part_eval("real"))
imag_p = Primitive("imag", _part_eval("imag"))
conj_p = Primitive("conj", lambda x: x)


def real(x):
    """lax.real: the real part of a complex array."""
    return real_p.bind(_as_operand(x))


def imag(x):
    """lax.imag: the imaginary part of a complex array."""
    return imag_p.bind(_as_operand(x))


def conj(x):
    """lax.conj: the complex conjugate; a float32/float64 input becomes
    complex first, as JAX."""
    x = _as_operand(x)
    d = aval_of(x).dtype
    if not dtypes.is_complex(d):
        if d not in (dtypes.float32, dtypes.float64):
            raise user_error(
                TypeError,
                f"conj does not accept dtype {d.name}. Accepted dtypes are subtypes of "
                f"float32, complexfloating, float64.",
            )
        return convert_element_type(x, dtypes.complex_dtype(d))
    return conj_p.bind(x)


def _clamp_eval(lo, x, hi):
    _check_kind("clamp", x, "real")
    for bound in (lo, hi):
        if bound.dtype != x.dtype:
            raise user_error(
                TypeError,
                f"clamp requires min, operand and max to have the same dtype, got "
                f"{lo.dtype.name}, {x.dtype.name}, {hi.dtype.name}",
            )
        if bound.shape and bound.shape != x.shape:
            raise user_error(
                TypeError,
                f"clamp requires min.shape == operand.shape or min.shape == (), got "
                f"{lo.shape}, {x.shape}, {hi.shape}",
            )
    return x


clamp_p = Primitive("clamp", _clamp_eval)


def clamp(min, x, max):
    x = _as_operand(x)
    like = aval_of(x)
    return clamp_p.bind(_as_operand(min, like.dtype), x, _as_operand(max, like.dtype))


# ---------------------------------------------------------------------------
# Sources and conversions
# ---------------------------------------------------------------------------


iota_p = Primitive(
    "iota",
    lambda dtype, shape, dimension: ShapedArray(shape, dtype),
    lambda dtype, shape, dimension: {"iota_dimension": i64_attr(dimension)},
)


def iota(dtype, size):
    return broadcasted_iota(dtype, (operator.index(size),), 0)


def broadcasted_iota(dtype, shape, dimension):
    dtype = dtypes.canonicalize_dtype(dtype)
    if dtypes.is_complex(dtype):
        real_iota = broadcasted_iota(dtypes.real_dtype(dtype), shape, dimension)
        return convert_element_type(real_iota, dtype)
    shape = tuple(operator.index(d) for d in shape)
    if any(d < 0 for d in shape):
        raise user_error(
            TypeError, f"iota shape must have every element be nonnegative, got {shape}."
        )
    dimension = _canon_axes("broadcasted_iota", (dimension,), len(shape))[0]
    if host_constant(shape) and (dtypes.is_float(dtype) or np.dtype(dtype).kind in "iu"):
        n = shape[dimension]
        column = (
            np.arange(n)
            .astype(dtype)
            .reshape([n if d == dimension else 1 for d in range(len(shape))])
        )
        return hooks.device_put(np.ascontiguousarray(np.broadcast_to(column, shape)))
    return iota_p.bind(dtype=dtype, shape=shape, dimension=dimension)


# Eager fills and iotas up to this many elements are made by NumPy and
# copied to the device: a copy costs microseconds, a new executable ~0.3 s
# (values are exact either way).
HOST_CONSTANT_MAX = 1 << 22


def host_constant(shape):
    """Whether an eager constant of `shape` is made on the host."""
    return (
        current_trace() is None
        and all(d >= 0 for d in shape)
        and int(np.prod(shape, dtype=np.int64)) <= HOST_CONSTANT_MAX
    )


def _host_fill(shape, fill_value, dtype, weak):
    """The eager full(shape, fill_value) made on the host, or None when it
    is not (traced, too large, or a device value to fill with)."""
    if not isinstance(fill_value, (bool, int, float, builtins.complex, np.generic, np.ndarray)):
        return None
    if np.ndim(fill_value) != 0 or not host_constant(shape):
        return None
    value = np.full(shape, np.asarray(fill_value, dtype=dtype), dtype)
    return hooks.device_put(value, weak_type=weak)


convert_p = Primitive(
    "convert", lambda x, new_dtype, weak_type: x.update(dtype=new_dtype, weak_type=weak_type)
)


def _rewrap(x, aval):
    """Same value, new aval (a weak-type change needs no op)."""
    return x._with_aval(aval)


def convert_element_type(operand, new_dtype, weak_type=False):
    new_dtype = dtypes.canonicalize_dtype(new_dtype)
    operand = _as_operand(operand)
    aval = aval_of(operand)
    if aval.dtype == new_dtype:
        if aval.weak_type == weak_type:
            return operand
        return _rewrap(operand, aval.update(weak_type=weak_type))
    if dtypes.is_complex(aval.dtype) and new_dtype == dtypes.bool_:
        return ne(operand, full_like(operand, 0))
    if dtypes.is_complex(aval.dtype) and not dtypes.is_complex(new_dtype):
        warnings.warn(
            "Casting complex values to real discards the imaginary part",
            np.exceptions.ComplexWarning,
            stacklevel=user_stacklevel(),
        )
        return convert_element_type(real(operand), new_dtype, weak_type)
    if new_dtype == dtypes.bfloat16 and (dtypes.is_int(aval.dtype) or dtypes.is_bool(aval.dtype)):
        return convert_element_type(_int_to_bfloat16(operand), new_dtype, weak_type)
    return convert_p.bind(operand, new_dtype=new_dtype, weak_type=bool(weak_type))


def _int_to_bfloat16(operand):
    """Integers and booleans to bfloat16 through float32, as XLA converts
    them, rounding the float32 bits to nearest even by integer arithmetic.
    (The lowering folds float32 -> bfloat16 of an int -> float32 conversion
    into one int -> bfloat16 conversion, which LLVM turns into a call to
    __truncsfbf2 that IREE's CPU backend cannot link.)"""
    f = convert_p.bind(operand, new_dtype=dtypes.float32, weak_type=False)
    bits = bitcast_convert_type(f, dtypes.uint32)
    shape = aval_of(bits).shape

    def u32(v):
        return full(shape, v, dtypes.uint32)

    lsb = bitwise_and(shift_right_logical(bits, u32(16)), u32(1))
    rounded = shift_right_logical(add(bits, add(u32(0x7FFF), lsb)), u32(16))
    half = convert_p.bind(rounded, new_dtype=dtypes.uint16, weak_type=False)
    return bitcast_convert_type(half, dtypes.bfloat16)


def _bitcast_eval(x, new_dtype):
    if x.dtype.itemsize != np.dtype(new_dtype).itemsize:
        raise user_error(
            TypeError,
            f"bitcast_convert_type needs equal bit widths (different widths are not "
            f"supported yet), got {x.dtype.name} -> {np.dtype(new_dtype).name}",
        )
    return x.update(dtype=new_dtype, weak_type=False)


bitcast_convert_p = Primitive("bitcast_convert", _bitcast_eval)


def bitcast_convert_type(operand, new_dtype):
    return bitcast_convert_p.bind(
        _as_operand(operand), new_dtype=dtypes.canonicalize_dtype(new_dtype)
    )


# ---------------------------------------------------------------------------
# Operand handling: Python scalars are weakly typed constants
# ---------------------------------------------------------------------------


def full(shape, fill_value, dtype=None):
    """lax.full: a broadcast scalar (traced constant or eager device value)."""
    shape = tuple(operator.index(d) for d in shape)
    weak = (
        dtype is None
        and isinstance(fill_value, (int, float, builtins.complex))
        and not isinstance(fill_value, bool)
    )
    if dtype is None:
        dtype = dtypes.dtype_and_weak(fill_value)[0]
    dtype = dtypes.canonicalize_dtype(dtype)
    host = _host_fill(shape, fill_value, dtype, weak)
    if host is not None:
        return host
    scalar = _scalar(fill_value, dtype, weak)
    return broadcast_in_dim(scalar, shape, ())


def full_like(x, fill_value, dtype=None, shape=None):
    """lax.full_like: `fill_value` in x's shape and dtype (or the given ones);
    the result is weakly typed exactly when x is and no dtype is given."""
    aval = (
        aval_of(x)
        if not isinstance(x, (bool, int, float, builtins.complex))
        else aval_of(_as_operand(x))
    )
    out_dtype = aval.dtype if dtype is None else dtypes.canonicalize_dtype(dtype)
    weak = aval.weak_type and dtype is None
    shape = aval.shape if shape is None else tuple(shape)
    host = _host_fill(shape, fill_value, out_dtype, weak)
    if host is not None:
        return host
    scalar = _scalar(fill_value, out_dtype, weak)
    return broadcast_in_dim(scalar, shape, ())


def _scalar(value, dtype, weak=False):
    """A 0-d operand holding `value`."""
    if isinstance(value, (Tracer,)) or hasattr(value, "_bv"):
        value = convert_element_type(value, dtype, weak)
        if aval_of(value).shape != ():
            raise user_error(TypeError, f"expected a scalar, got shape {aval_of(value).shape}")
        return value
    aval = ShapedArray((), dtype, weak)
    trace = current_trace()
    if trace is not None:
        return trace.constant(np.asarray(value, dtype=dtype), aval)
    return hooks.device_put(np.asarray(value, dtype=dtype), weak_type=weak)


def _scalar_like(x, value):
    """`value` with x's dtype, broadcast to x's shape."""
    a = aval_of(x)
    return broadcast_in_dim(_scalar(value, a.dtype, False), a.shape, ())


def _broadcast_ranks(name, x, y):
    """JAX's broadcasting for lax's binary ops: a 0-d operand, or size-1
    dimensions of an operand of the same rank, stretch to the other's
    shape; different ranks are a TypeError."""
    xs, ys = aval_of(x).shape, aval_of(y).shape
    if xs == ys:
        return x, y
    if not xs or not ys:
        shape = ys if not xs else xs
        return (
            (broadcast_in_dim(x, shape, ()), y) if not xs else (x, broadcast_in_dim(y, shape, ()))
        )
    if len(xs) != len(ys):
        raise user_error(
            TypeError,
            f"{name}: arrays must have the same number of dimensions, got "
            f"{{{', '.join(str(r) for r in sorted({len(xs), len(ys)}))}}}",
        )
    shape = []
    for a, b in zip(xs, ys):
        if a != b and 1 not in (a, b):
            raise user_error(
                TypeError, f"{name} got incompatible shapes for broadcasting: {xs}, {ys}."
            )
        shape.append(builtins.max(a, b) if 0 not in (a, b) else 0)
    shape = tuple(shape)
    dims = tuple(range(len(shape)))
    if xs != shape:
        x = broadcast_in_dim(x, shape, dims)
    if ys != shape:
        y = broadcast_in_dim(y, shape, dims)
    return x, y


def _as_operands(x, y):
    """For binary lax ops: a Python scalar takes the other operand's dtype
    and is broadcast to its shape (lax's weak-type rule)."""
    x_scalar = isinstance(x, (bool, int, float, builtins.complex))
    y_scalar = isinstance(y, (bool, int, float, builtins.complex))
    if x_scalar and not y_scalar:
        y = _as_operand(y)
        a = aval_of(y)
        return broadcast_in_dim(_scalar(x, a.dtype, True), a.shape, ()), y
    if y_scalar and not x_scalar:
        x = _as_operand(x)
        a = aval_of(x)
        return x, broadcast_in_dim(_scalar(y, a.dtype, True), a.shape, ())
    return _as_operand(x), _as_operand(y)


# ---------------------------------------------------------------------------
# Accumulation of float16/bfloat16 in float32
# ---------------------------------------------------------------------------

_NARROW_FLOATS = (dtypes.float16, dtypes.bfloat16)


def accumulate_wide(fn, *operands):
    """fn(*operands), accumulated in float32 when the operands are float16
    or bfloat16, rounded back once. For sums and dots: JAX's CPU backend
    sums them in a tree (a bfloat16 sum of 10000 ones is 9984 there, and
    stops at 256 accumulated in order in bfloat16); float32 comes closest
    without copying XLA's reduction order. Products stay narrow, as JAX's."""
    avals = [aval_of(o) for o in operands]
    floats = {a.dtype for a in avals if dtypes.is_float(a.dtype)}
    if len(floats) != 1 or not floats <= set(_NARROW_FLOATS):
        return fn(*operands)  # no narrow floats, or mixed with wider ones
    (dtype,) = floats
    wide = [
        convert_element_type(o, dtypes.float32, a.weak_type) if a.dtype == dtype else o
        for o, a in zip(operands, avals)
    ]
    out = fn(*wide)

    def back(x):
        a = aval_of(x)
        return convert_element_type(x, dtype, a.weak_type) if a.dtype == dtypes.float32 else x

    return tree_util.tree_map(back, out)
