"""mlax.numpy: NumPy's API on mlax arrays, with JAX's semantics.

Each function promotes (JAX's lattice, weak Python scalars) and broadcasts
(NumPy rules) explicitly, then binds lax primitives. Like jax.numpy, the
functions are themselves jitted, so an eager call is one cached executable
(promotion, broadcast and op fused) and a call under jit traces inline.
"""

import builtins
import math
import operator

import numpy as np

from . import dtypes, lax
from .array import Array
from .core import Tracer, aval_of, user_error
from .dispatch import jit

# ---------------------------------------------------------------------------
# dtypes as JAX exposes them: callable scalar types
# ---------------------------------------------------------------------------


class _ScalarType:
    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        self.__name__ = self.dtype.name

    def __call__(self, x):
        return asarray(x, dtype=self.dtype)

    def __repr__(self):
        return f"<class 'mlax.numpy.{self.dtype.name}'>"

    def __eq__(self, other):
        try:
            return np.dtype(other) == self.dtype
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.dtype)


bool_ = _ScalarType(dtypes.bool_)
int8, int16, int32, int64 = (
    _ScalarType(t) for t in (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
)
uint8, uint16, uint32, uint64 = (
    _ScalarType(t) for t in (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)
)
float16, bfloat16, float32, float64 = (
    _ScalarType(t) for t in (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
)
dtype = np.dtype
floating, integer, number, inexact = np.floating, np.integer, np.number, np.inexact
signedinteger, unsignedinteger = np.signedinteger, np.unsignedinteger
pi, e, inf, nan = np.pi, np.e, np.inf, np.nan
newaxis = None
ndarray = Array
result_type = dtypes.result_type
promote_types = dtypes.promote_types
finfo = dtypes.finfo
iinfo = dtypes.iinfo
issubdtype = dtypes.issubdtype


def _dtype_arg(d):
    return None if d is None else dtypes.canonicalize_dtype(np.dtype(d))


# ---------------------------------------------------------------------------
# Conversion, promotion, broadcasting
# ---------------------------------------------------------------------------


def _is_array(x):
    return isinstance(x, (Array, Tracer))


def asarray(a, dtype=None, order=None, copy=None):
    return array(a, dtype=dtype, copy=False)


def array(object, dtype=None, copy=True, order=None, ndmin=0):
    dtype = _dtype_arg(dtype)
    if _is_array(object):
        out = object if dtype is None else lax.convert_element_type(object, dtype)
    elif isinstance(object, (list, tuple)) and builtins.any(
        _is_array(x) for x in _flat_items(object)
    ):
        from .numpy_shape import stack

        out = stack([array(x) for x in object])
        if dtype is not None:
            out = lax.convert_element_type(out, dtype)
    elif isinstance(object, (bool, int, float)) and dtype is None:
        out = lax._as_operand(object)  # Python scalars stay weakly typed
    else:
        try:
            value = np.asarray(object)
        except Exception as err:
            raise user_error(TypeError, f"Cannot convert {object!r} to an array") from err
        if value.dtype == np.dtype("O"):
            raise user_error(TypeError, f"Cannot convert {object!r} to an array")
        if dtype is None:
            dtype = (
                dtypes.dtype_and_weak(object)[0]
                if isinstance(object, (list, tuple))
                else dtypes.canonicalize_dtype(value.dtype)
            )
        out = lax._as_operand(np.asarray(value, dtype=dtype), dtype)
    if ndmin and aval_of(out).ndim < ndmin:
        out = lax.reshape(out, (1,) * (ndmin - aval_of(out).ndim) + aval_of(out).shape)
    return out


def _flat_items(seq):
    for x in seq:
        if isinstance(x, (list, tuple)):
            yield from _flat_items(x)
        else:
            yield x


def _promote(name, *args):
    """Converts args to their common dtype (JAX's lattice; weak scalars)."""
    pairs = [dtypes.dtype_and_weak(a) for a in args]
    to_dtype, weak = dtypes.result_type_with_weak(*pairs)
    out = []
    for a, (d, w) in zip(args, pairs):
        if isinstance(a, (bool, int, float)) and not _is_array(a):
            a = lax._scalar(a, to_dtype, weak)
        else:
            a = lax.convert_element_type(array(a) if not _is_array(a) else a, to_dtype, weak)
        out.append(a)
    return out


def _promote_inexact(name, *args):
    """Like _promote, then ints and bools become the default float."""
    out = _promote(name, *args)
    d = aval_of(out[0]).dtype
    if not dtypes.is_float(d):
        weak = aval_of(out[0]).weak_type
        out = [lax.convert_element_type(x, dtypes.default_float(), weak) for x in out]
    return out


def broadcast_shapes(*shapes):
    ndim = builtins.max((len(s) for s in shapes), default=0)
    result = []
    for i in range(ndim):
        sizes = {s[i - ndim + len(s)] for s in shapes if i - ndim + len(s) >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            raise user_error(
                ValueError,
                f"Incompatible shapes for broadcasting: shapes={[tuple(s) for s in shapes]}",
            )
        result.append(sizes.pop() if sizes else 1)
    return tuple(result)


def _broadcast_to_shape(x, shape):
    xs = aval_of(x).shape
    if xs == shape:
        return x
    nd = len(shape) - len(xs)
    return lax.broadcast_in_dim(x, shape, tuple(range(nd, len(shape))))


def _broadcast_all(*args, name=None):
    shapes = [aval_of(a).shape for a in args]
    if name is not None:
        try:
            shape = broadcast_shapes(*shapes)
        except ValueError:
            raise user_error(
                TypeError,
                f"{name} got incompatible shapes for broadcasting: "
                f"{', '.join(str(s) for s in shapes)}.",
            ) from None
    else:
        shape = broadcast_shapes(*shapes)
    return [_broadcast_to_shape(a, shape) for a in args]


def broadcast_to(array_, shape):
    array_ = asarray(array_)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    s = aval_of(array_).shape
    if len(shape) < len(s) or broadcast_shapes(s, shape) != shape:
        raise user_error(
            ValueError, f"Incompatible shapes for broadcasting: {s} and requested shape {shape}"
        )
    return _broadcast_to_shape(array_, shape)


def broadcast_arrays(*args):
    return _broadcast_all(*[asarray(a) for a in args])


# ---------------------------------------------------------------------------
# Elementwise functions
# ---------------------------------------------------------------------------


def _check_arraylike(name, *args):
    for a in args:
        if not (_is_array(a) or isinstance(a, (bool, int, float, np.ndarray, np.generic))):
            raise user_error(
                TypeError,
                f"{name} requires ndarray or scalar arguments, got {type(a).__name__} "
                f"at position {args.index(a)}.",
            )


def _unary(name, lax_fn, inexact=True):
    def impl(x):
        _check_arraylike(name, x)
        (x,) = _promote_inexact(name, x) if inexact else _promote(name, x)
        return lax_fn(x)

    impl.__name__ = name
    fn = jit(impl)
    fn.__name__ = name
    return fn


def _binary(name, lax_fn, inexact=False):
    def impl(x, y):
        _check_arraylike(name, x, y)
        x, y = _promote_inexact(name, x, y) if inexact else _promote(name, x, y)
        x, y = _broadcast_all(x, y, name=name)
        return lax_fn(x, y)

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
    "floor", lambda x: lax.floor(x) if dtypes.is_float(aval_of(x).dtype) else x, inexact=False
)
ceil = _unary(
    "ceil", lambda x: lax.ceil(x) if dtypes.is_float(aval_of(x).dtype) else x, inexact=False
)
isfinite = _unary("isfinite", lambda x: lax.is_finite(x))
isnan = _unary("isnan", lambda x: lax.ne(x, x))
isinf = _unary("isinf", lambda x: lax.eq(lax.abs(x), lax._scalar_like(x, np.inf)))
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
        and not dtypes.is_float(aval_of(x1).dtype)
    ):
        raise user_error(
            TypeError,
            f"Integers cannot be raised to negative powers, got "
            f"integer_pow({aval_of(x1).str_short()}, {x2})",
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
less = _binary("less", lax.lt)
less_equal = _binary("less_equal", lax.le)
greater = _binary("greater", lax.gt)
greater_equal = _binary("greater_equal", lax.ge)


def _power_impl(x, y):
    if dtypes.is_float(aval_of(x).dtype):
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
        return lax.floor(lax.div(x, y))
    if dtypes.is_unsigned(d):
        return lax.div(x, y)
    q = lax.div(x, y)
    r = lax.rem(x, y)
    zero = lax._scalar_like(x, 0)
    fix = lax.bitwise_and(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(y, zero)))
    return lax.select(fix, lax.sub(q, lax._scalar_like(x, 1)), q)


def _mod_impl(x, y):
    r = lax.rem(x, y)
    d = aval_of(x).dtype
    if dtypes.is_unsigned(d):
        return r
    zero = lax._scalar_like(x, 0)
    fix = lax.bitwise_and(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(y, zero)))
    return lax.select(fix, lax.add(r, y), r)


floor_divide = _binary("floor_divide", _floor_divide_impl)
remainder = mod = _binary("remainder", _mod_impl)
fmod = _binary("fmod", lax.rem)


def _logaddexp_impl(x, y):
    amax = lax.max(x, y)
    delta = lax.sub(x, y)
    finite = lax.is_finite(delta)
    soft = lax.log1p(lax.exp(lax.neg(lax.abs(delta))))
    return lax.select(finite, lax.add(amax, soft), amax)


logaddexp = _binary("logaddexp", _logaddexp_impl, inexact=True)


def _where_impl(condition, x, y):
    x, y = _promote("where", x, y)
    condition = _to_bool(asarray(condition))
    condition, x, y = _broadcast_all(condition, x, y)
    return lax.select(condition, x, y)


_where_jit = jit(_where_impl)


def where(condition, x=None, y=None, *, size=None, fill_value=None):
    if x is None and y is None:
        raise user_error(
            NotImplementedError,
            "where(condition) (nonzero) needs a static size; not yet supported by mlax",
        )
    if x is None or y is None:
        position = 1 if x is None else 2
        raise user_error(
            TypeError,
            f"where requires ndarray or scalar arguments, got <class 'NoneType'> at "
            f"position {position}.",
        )
    return _where_jit(condition, x, y)


def _clip_impl(arr, min=None, max=None):
    (arr,) = _promote("clip", arr)
    if min is not None:
        arr = maximum(arr, min)
    if max is not None:
        arr = minimum(arr, max)
    return arr


clip = jit(_clip_impl)

# ---------------------------------------------------------------------------
# Array creation
# ---------------------------------------------------------------------------


def _shape_arg(shape):
    if isinstance(shape, (int, np.integer)):
        return (operator.index(shape),)
    try:
        shape = tuple(operator.index(d) for d in shape)
    except TypeError:
        raise user_error(
            TypeError,
            f"Shapes must be 1D sequences of concrete values of integer type, got {shape!r}.",
        ) from None
    if builtins.any(d < 0 for d in shape):
        raise user_error(
            TypeError,
            f"broadcast_in_dim shape must have every element be nonnegative, got {shape}.",
        )
    return shape


def full(shape, fill_value, dtype=None):
    shape = _shape_arg(shape)
    dtype = _dtype_arg(dtype)
    if _is_array(fill_value):
        fv = fill_value if dtype is None else lax.convert_element_type(fill_value, dtype)
        return broadcast_to(fv, shape)
    return lax.full(shape, fill_value, dtype)


def zeros(shape, dtype=None):
    return lax.full(_shape_arg(shape), 0, _dtype_arg(dtype) or dtypes.default_float())


def ones(shape, dtype=None):
    return lax.full(_shape_arg(shape), 1, _dtype_arg(dtype) or dtypes.default_float())


def empty(shape, dtype=None):
    return zeros(shape, dtype)


def full_like(a, fill_value, dtype=None, shape=None):
    a_aval = aval_of(asarray(a))
    return full(a_aval.shape if shape is None else shape, fill_value, dtype=dtype or a_aval.dtype)


def zeros_like(a, dtype=None, shape=None):
    return full_like(a, 0, dtype, shape)


def ones_like(a, dtype=None, shape=None):
    return full_like(a, 1, dtype, shape)


def empty_like(a, dtype=None, shape=None):
    return zeros_like(a, dtype, shape)


def arange(start, stop=None, step=None, dtype=None):
    for v in (start, stop, step):
        if _is_array(v) and isinstance(v, Tracer):
            raise user_error(TypeError, "arange requires concrete (non-traced) start/stop/step")
    start, stop, step = (
        None if v is None else (v.item() if _is_array(v) else v) for v in (start, stop, step)
    )
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = dtypes.result_type(*[v for v in (start, stop, step) if v is not None])
    dtype = _dtype_arg(dtype)
    size = builtins.max(0, int(math.ceil((stop - start) / step)))
    if start == 0 and step == 1:
        return lax.iota(dtype, size)
    iota = lax.iota(dtypes.default_float() if dtypes.is_float(dtype) else dtype, size)
    if dtypes.is_float(dtype):
        out = add(multiply(iota, step), start)
        return lax.convert_element_type(out, dtype)
    return lax.convert_element_type(add(multiply(iota, step), start), dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    num = operator.index(num)
    if num < 0:
        raise user_error(ValueError, f"Number of samples, {num}, must be non-negative.")
    dtype = _dtype_arg(dtype) or dtypes.default_float()
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else 0.0
    compute = dtypes.default_float() if not dtypes.is_float(dtype) else dtype
    idx = lax.iota(compute, num)
    out = add(multiply(idx, step), start)
    if endpoint and num > 1:
        out = lax.dynamic_update_slice(out, asarray([stop], dtype=compute), [num - 1])
    out = lax.convert_element_type(out, dtype)
    return (out, step) if retstep else out


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dtype = _dtype_arg(dtype) or dtypes.default_float()
    rows = lax.broadcasted_iota(dtypes.int32, (N, M), 0)
    cols = lax.broadcasted_iota(dtypes.int32, (N, M), 1)
    return lax.convert_element_type(lax.eq(lax.add(rows, k), cols), dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _reduction_axes(name, a, axis):
    ndim = aval_of(a).ndim
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return lax._canon_axes(name, tuple(axis), ndim)


def _keep(out, a, axes, keepdims):
    if not keepdims:
        return out
    shape = tuple(1 if i in axes else d for i, d in enumerate(aval_of(a).shape))
    return lax.reshape(out, shape)


_COMBINE = {"sum": "add", "prod": "mul", "max": "max", "min": "min", "all": "and", "any": "or"}


def _reduction_identity(name, dtype):
    if name == "sum" or name == "any":
        return 0
    if name == "prod" or name == "all":
        return 1
    if dtypes.is_float(dtype):
        return -np.inf if name == "max" else np.inf
    info = np.iinfo(dtype) if dtype != dtypes.bool_ else None
    if info is None:
        return 0 if name == "max" else 1
    return int(info.min) if name == "max" else int(info.max)


def _make_reduction(name, lax_reduce, upcast_bool=True, bool_result=False, identity_ok=True):
    def impl(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        if out is not None:
            raise user_error(NotImplementedError, f"The 'out' argument to {name} is not supported.")
        a = asarray(a)
        axes = _reduction_axes(name, a, axis)
        d = aval_of(a).dtype
        if bool_result:
            a = _to_bool(a)
        elif dtype is not None:
            a = lax.convert_element_type(a, _dtype_arg(dtype))
        elif upcast_bool and (d == dtypes.bool_ or (dtypes.is_int(d) and d.itemsize < 4)):
            a = lax.convert_element_type(
                a, dtypes.uint32 if dtypes.is_unsigned(d) else dtypes.default_int()
            )
        if where is not None:
            if not identity_ok and initial is None:
                raise user_error(
                    ValueError,
                    f"reduction operation {name} does not have an identity, so to use a where "
                    f"mask one has to specify 'initial'",
                )
            mask = _broadcast_to_shape(_to_bool(asarray(where)), aval_of(a).shape)
            fill = lax._scalar_like(a, _reduction_identity(name, aval_of(a).dtype))
            a = lax.select(mask, a, fill)
        if not identity_ok and initial is None:
            for ax in axes:
                if aval_of(a).shape[ax] == 0:
                    raise user_error(
                        ValueError,
                        f"zero-size array to reduction operation {name} which has no identity",
                    )
        result = lax_reduce(a, axes)
        if aval_of(result).weak_type:
            result = lax.convert_element_type(result, aval_of(result).dtype, False)
        if initial is not None:
            combine = getattr(
                lax, {"and": "bitwise_and", "or": "bitwise_or"}.get(_COMBINE[name], _COMBINE[name])
            )
            init = lax.convert_element_type(asarray(initial), aval_of(result).dtype)
            result = combine(result, _broadcast_to_shape(init, aval_of(result).shape))
        return _keep(result, a, axes, keepdims)

    impl.__name__ = name
    return jit(impl, static_argnames=("axis", "dtype", "keepdims", "out"))


sum = _make_reduction("sum", lax.reduce_sum)
prod = _make_reduction("prod", lax.reduce_prod)
max = amax = _make_reduction("max", lax.reduce_max, upcast_bool=False, identity_ok=False)
min = amin = _make_reduction("min", lax.reduce_min, upcast_bool=False, identity_ok=False)
all = _make_reduction("all", lax.reduce_and, bool_result=True)
any = _make_reduction("any", lax.reduce_or, bool_result=True)


def _no_where(name, where):
    if where is not None:
        raise user_error(NotImplementedError, f"{name}(where=...) is not supported yet")


def _mean_impl(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    _no_where("mean", where)
    a = asarray(a)
    axes = _reduction_axes("mean", a, axis)
    d = _dtype_arg(dtype) or (
        aval_of(a).dtype if dtypes.is_float(aval_of(a).dtype) else dtypes.default_float()
    )
    a = lax.convert_element_type(a, d)
    count = builtins.max(int(np.prod([aval_of(a).shape[i] for i in axes], dtype=np.int64)), 0)
    total = lax.reduce_sum(a, axes)
    return _keep(
        lax.div(total, lax._scalar_like(total, count if count else np.nan)), a, axes, keepdims
    )


mean = jit(_mean_impl, static_argnames=("axis", "dtype", "keepdims", "out"))


def _var_impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    _no_where("var", where)
    a = asarray(a)
    axes = _reduction_axes("var", a, axis)
    d = _dtype_arg(dtype) or (
        aval_of(a).dtype if dtypes.is_float(aval_of(a).dtype) else dtypes.default_float()
    )
    a = lax.convert_element_type(a, d)
    centered = subtract(a, _mean_impl(a, axis=axes, keepdims=True))
    count = int(np.prod([aval_of(a).shape[i] for i in axes], dtype=np.int64)) - ddof
    total = lax.reduce_sum(lax.mul(centered, centered), axes)
    return _keep(
        lax.div(total, lax._scalar_like(total, count if count > 0 else np.nan)), a, axes, keepdims
    )


var = jit(_var_impl, static_argnames=("axis", "dtype", "keepdims", "out", "ddof"))


def _std_impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    _no_where("std", where)
    return lax.sqrt(_var_impl(a, axis, dtype, out, ddof, keepdims))


std = jit(_std_impl, static_argnames=("axis", "dtype", "keepdims", "out", "ddof"))


def _arg_reduction(name, lax_fn):
    def impl(a, axis=None, out=None, keepdims=False):
        a = asarray(a)
        if aval_of(a).dtype == dtypes.bool_:
            a = lax.convert_element_type(a, dtypes.int32)
        if axis is None:
            a_flat = lax.reshape(a, (aval_of(a).size,))
            result = lax_fn(a_flat, 0, dtypes.default_int())
            if keepdims:
                result = lax.reshape(result, (1,) * aval_of(a).ndim)
            return result
        axis = lax._canon_axes(name, (axis,), aval_of(a).ndim)[0]
        result = lax_fn(a, axis, dtypes.default_int())
        return _keep(result, a, (axis,), keepdims)

    impl.__name__ = name
    return jit(impl, static_argnames=("axis", "out", "keepdims"))


argmax = _arg_reduction("argmax", lax.argmax)
argmin = _arg_reduction("argmin", lax.argmin)
