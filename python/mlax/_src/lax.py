"""mlax.lax: the primitives, by their JAX names.

One block per op family registers each primitive's abstract evaluation
(shape/dtype rules, raising the TypeError/ValueError JAX raises) and its
MLIR attributes. The op's verifier, lowering and (later) derivative and
batching rules are reachable from the op name: see docs/status.md.
"""

import builtins
import operator

import numpy as np

from . import dtypes
from .core import (
    Primitive,
    ShapedArray,
    Tracer,
    aval_of,
    current_trace,
    i32_attr,
    i64_array_attr,
    i64_attr,
    user_error,
)

# ---------------------------------------------------------------------------
# Dtype-kind checks shared by the rules
# ---------------------------------------------------------------------------

_KINDS = {
    "float": (dtypes.is_float, "floating"),
    "num": (lambda d: dtypes.is_float(d) or dtypes.is_int(d), "number"),
    "int": (dtypes.is_int, "integer"),
    "intbool": (lambda d: dtypes.is_int(d) or dtypes.is_bool(d), "integer, bool"),
    "any": (lambda d: True, "any"),
}


def _check_kind(name, aval, kind):
    ok, desc = _KINDS[kind]
    if not ok(aval.dtype):
        raise user_error(
            TypeError,
            f"{name} does not accept dtype {aval.dtype.name}. Accepted dtypes are subtypes "
            f"of {desc}.",
        )


def _check_same_dtypes(name, *avals):
    if len({a.dtype for a in avals}) > 1:
        raise user_error(
            TypeError,
            f"lax.{name} requires arguments to have the same dtypes, got "
            f"{', '.join(a.dtype.name for a in avals)}.",
        )


def _check_same_shapes(name, *avals):
    if len({a.shape for a in avals}) > 1:
        raise user_error(
            TypeError,
            f"{name} got incompatible shapes for broadcasting: "
            f"{', '.join(str(a.shape) for a in avals)}.",
        )


def _canon_axes(name, axes, ndim):
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise user_error(
                ValueError, f"{name}: axis {a} is out of bounds for array of dimension {ndim}"
            )
        out.append(a % ndim if ndim else a)
    if len(set(out)) != len(out):
        raise user_error(ValueError, f"{name}: duplicate value in 'axis': {tuple(axes)}")
    return tuple(out)


# ---------------------------------------------------------------------------
# Elementwise unary
# ---------------------------------------------------------------------------


def _unary_primitive(name, kind):
    def abstract_eval(x):
        _check_kind(name, x, kind)
        return x

    return Primitive(name, abstract_eval)


_UNARY = {
    "neg": "num",
    "abs": "num",
    "sign": "num",
    "not": "intbool",
    "exp": "float",
    "exp2": "float",
    "log": "float",
    "log1p": "float",
    "expm1": "float",
    "sqrt": "float",
    "rsqrt": "float",
    "cbrt": "float",
    "sin": "float",
    "cos": "float",
    "tan": "float",
    "tanh": "float",
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
sign = _unary_fn("sign")
bitwise_not = _unary_fn("not", "bitwise_not")
exp = _unary_fn("exp")
exp2 = _unary_fn("exp2")
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
    if y < 0 and not dtypes.is_float(x.dtype):
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
        _check_kind(name, x, kind)
        _check_kind(name, y, kind)
        _check_same_dtypes(name, x, y)
        _check_same_shapes(name, x, y)
        return x.update(weak_type=x.weak_type and y.weak_type)

    return Primitive(name, abstract_eval)


_BINARY = {
    "add": "num",
    "sub": "num",
    "mul": "num",
    "div": "num",
    "rem": "num",
    "pow": "float",
    "max": "any",
    "min": "any",
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
        x, y = _as_operands(x, y)
        return prim.bind(x, y)

    fn.__name__ = jax_name or name
    fn.__doc__ = f"lax.{jax_name or name}: the mlax.{name} op (same shapes and dtypes)."
    return fn


add = _binary_fn("add")
sub = _binary_fn("sub")
mul = _binary_fn("mul")
div = _binary_fn("div")
rem = _binary_fn("rem")
_pow_same_dtype = _binary_fn("pow")


def pow(x, y):
    """lax.pow; an integer exponent is converted to the base's float dtype."""
    x = _as_operand(x)
    if not isinstance(y, (bool, int, float)):
        y = _as_operand(y)
        if dtypes.is_int(aval_of(y).dtype) and dtypes.is_float(aval_of(x).dtype):
            y = convert_element_type(y, aval_of(x).dtype)
    return _pow_same_dtype(x, y)


max = _binary_fn("max")
min = _binary_fn("min")
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
        x, y = _as_operands(x, y)
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
    """lax.select_n for a boolean `which` and two cases."""
    if len(cases) != 2:
        raise NotImplementedError("select_n supports exactly two cases for now")
    return select(which, cases[1], cases[0])


def _clamp_eval(lo, x, hi):
    _check_kind("clamp", x, "num")
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
    shape = tuple(operator.index(d) for d in shape)
    dimension = _canon_axes("broadcasted_iota", (dimension,), len(shape))[0]
    return iota_p.bind(dtype=dtype, shape=shape, dimension=dimension)


convert_p = Primitive(
    "convert", lambda x, new_dtype, weak_type: x.update(dtype=new_dtype, weak_type=weak_type)
)


def _rewrap(x, aval):
    """Same value, new aval (a weak-type change needs no op)."""
    if isinstance(x, Tracer):
        return Tracer(x._trace, x.value, aval)
    from .array import Array

    return Array(x._bv, aval, x._device)


def convert_element_type(operand, new_dtype, weak_type=False):
    new_dtype = dtypes.canonicalize_dtype(new_dtype)
    operand = _as_operand(operand)
    aval = aval_of(operand)
    if aval.dtype == new_dtype:
        if aval.weak_type == weak_type:
            return operand
        return _rewrap(operand, aval.update(weak_type=weak_type))
    return convert_p.bind(operand, new_dtype=new_dtype, weak_type=bool(weak_type))


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
# Shape ops
# ---------------------------------------------------------------------------


def _broadcast_in_dim_eval(x, shape, broadcast_dimensions):
    if len(broadcast_dimensions) != x.ndim:
        raise user_error(
            TypeError,
            f"broadcast_in_dim broadcast_dimensions must have length equal to operand "
            f"ndim; got broadcast_dimensions {broadcast_dimensions} for operand ndim "
            f"{x.ndim}.",
        )
    for i, d in enumerate(broadcast_dimensions):
        if not 0 <= d < len(shape):
            raise user_error(
                TypeError,
                f"broadcast_in_dim broadcast_dimensions must be in range; got "
                f"{broadcast_dimensions} for shape {shape}.",
            )
        if x.shape[i] != 1 and x.shape[i] != shape[d]:
            raise user_error(
                TypeError,
                f"broadcast_in_dim operand dimension sizes must either be 1, or be "
                f"equal to their corresponding dimensions in the target broadcast "
                f"shape; got operand of shape {x.shape}, target broadcast shape "
                f"{shape}, broadcast_dimensions {broadcast_dimensions}",
            )
    if list(broadcast_dimensions) != sorted(set(broadcast_dimensions)):
        raise user_error(
            TypeError,
            f"broadcast_in_dim broadcast_dimensions must be strictly increasing; got "
            f"broadcast_dimensions {broadcast_dimensions}",
        )
    return x.update(shape=shape)


broadcast_in_dim_p = Primitive(
    "broadcast_in_dim",
    _broadcast_in_dim_eval,
    lambda shape, broadcast_dimensions: {
        "broadcast_dimensions": i64_array_attr(broadcast_dimensions)
    },
)


def broadcast_in_dim(operand, shape, broadcast_dimensions):
    operand = _as_operand(operand)
    shape = tuple(operator.index(d) for d in shape)
    broadcast_dimensions = tuple(operator.index(d) for d in broadcast_dimensions)
    if aval_of(operand).shape == shape and broadcast_dimensions == tuple(range(len(shape))):
        return operand
    return broadcast_in_dim_p.bind(operand, shape=shape, broadcast_dimensions=broadcast_dimensions)


def broadcast(operand, sizes):
    operand = _as_operand(operand)
    nd = aval_of(operand).ndim
    sizes = tuple(sizes)
    return broadcast_in_dim(
        operand, sizes + aval_of(operand).shape, tuple(range(len(sizes), len(sizes) + nd))
    )


def _reshape_eval(x, new_sizes):
    if int(np.prod(new_sizes, dtype=np.int64)) != x.size:
        raise user_error(
            TypeError,
            f"reshape total size must be unchanged, got new_sizes {new_sizes} (size "
            f"{int(np.prod(new_sizes, dtype=np.int64))}) for shape {x.shape} "
            f"(size {x.size}).",
        )
    return x.update(shape=new_sizes)


reshape_p = Primitive("reshape", _reshape_eval)


def reshape(operand, new_sizes, dimensions=None):
    operand = _as_operand(operand)
    new_sizes = tuple(operator.index(d) for d in new_sizes)
    if dimensions is not None and tuple(dimensions) != tuple(range(len(dimensions))):
        operand = transpose(operand, dimensions)
    if aval_of(operand).shape == new_sizes:
        return operand
    return reshape_p.bind(operand, new_sizes=new_sizes)


def squeeze(array, dimensions):
    array = _as_operand(array)
    shape = aval_of(array).shape
    dims = _canon_axes("squeeze", dimensions, len(shape))
    for d in dims:
        if shape[d] != 1:
            raise user_error(
                ValueError,
                f"cannot select an axis to squeeze out which has size not equal to "
                f"one, got shape={shape} and dimensions={tuple(dimensions)}",
            )
    return reshape(array, tuple(s for i, s in enumerate(shape) if i not in dims))


def expand_dims(array, dimensions):
    array = _as_operand(array)
    shape = list(aval_of(array).shape)
    ndim_out = len(shape) + len(dimensions)
    dims = sorted(_canon_axes("expand_dims", dimensions, ndim_out))
    for d in dims:
        shape.insert(d, 1)
    return reshape(array, tuple(shape))


def _transpose_eval(x, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise user_error(
            TypeError,
            f"transpose permutation isn't a permutation of operand dimensions, got "
            f"permutation {permutation} for operand shape {x.shape}.",
        )
    return x.update(shape=tuple(x.shape[p] for p in permutation))


transpose_p = Primitive(
    "transpose", _transpose_eval, lambda permutation: {"permutation": i64_array_attr(permutation)}
)


def transpose(operand, permutation):
    operand = _as_operand(operand)
    permutation = tuple(operator.index(p) for p in permutation)
    if permutation == tuple(range(len(permutation))) and len(permutation) == aval_of(operand).ndim:
        return operand
    return transpose_p.bind(operand, permutation=permutation)


def _rev_eval(x, dimensions):
    _canon_axes("rev", dimensions, x.ndim)
    if builtins.any(d < 0 for d in dimensions):
        raise user_error(ValueError, f"rev dimensions must be non-negative, got {dimensions}")
    return x


rev_p = Primitive("rev", _rev_eval, lambda dimensions: {"dimensions": i64_array_attr(dimensions)})


def rev(operand, dimensions):
    return rev_p.bind(_as_operand(operand), dimensions=tuple(dimensions))


def _concatenate_eval(*xs, dimension):
    if not xs:
        raise user_error(ValueError, "concatenate requires at least one operand")
    _check_same_dtypes("concatenate", *xs)
    ndim = xs[0].ndim
    if not 0 <= dimension < ndim:
        raise user_error(
            ValueError,
            f"concatenate dimension out of bounds: dimension {dimension} for shapes "
            f"{', '.join(str(x.shape) for x in xs)}.",
        )
    for x in xs:
        if x.ndim != ndim or builtins.any(
            a != b for i, (a, b) in enumerate(zip(x.shape, xs[0].shape)) if i != dimension
        ):
            raise user_error(
                TypeError,
                f"Cannot concatenate arrays with shapes that differ in dimensions "
                f"other than the one being concatenated: concatenating along "
                f"dimension {dimension} for shapes "
                f"{', '.join(str(x.shape) for x in xs)}.",
            )
    shape = list(xs[0].shape)
    shape[dimension] = builtins.sum(x.shape[dimension] for x in xs)
    return xs[0].update(shape=tuple(shape), weak_type=builtins.all(x.weak_type for x in xs))


concatenate_p = Primitive(
    "concatenate", _concatenate_eval, lambda dimension: {"dimension": i64_attr(dimension)}
)


def concatenate(operands, dimension):
    operands = [_as_operand(x) for x in operands]
    if len(operands) == 1:
        return operands[0]
    return concatenate_p.bind(*operands, dimension=operator.index(dimension))


def _pad_eval(x, padding_value, padding_config):
    _check_same_dtypes("pad", x, padding_value)
    if padding_value.shape != ():
        raise user_error(
            TypeError, f"pad padding_value must be a scalar, got shape {padding_value.shape}"
        )
    if len(padding_config) != x.ndim:
        raise user_error(
            ValueError,
            f"length of padding_config must equal the number of axes of operand, "
            f"got padding_config {padding_config} for operand shape {x.shape}",
        )
    shape = []
    for d, (lo, hi, interior) in zip(x.shape, padding_config):
        if interior < 0:
            raise user_error(
                ValueError,
                f"interior padding in padding_config must be "
                f"nonnegative, got padding_config {padding_config}",
            )
        size = lo + hi + d + builtins.max(d - 1, 0) * interior
        if size < 0:
            raise user_error(
                ValueError,
                f"Dimension size after padding is not at least 0, got "
                f"result shape for padding_config {padding_config} "
                f"and operand shape {x.shape}",
            )
        shape.append(size)
    return x.update(shape=tuple(shape))


pad_p = Primitive(
    "pad",
    _pad_eval,
    lambda padding_config: {
        "edge_padding_low": i64_array_attr([c[0] for c in padding_config]),
        "edge_padding_high": i64_array_attr([c[1] for c in padding_config]),
        "interior_padding": i64_array_attr([c[2] for c in padding_config]),
    },
)


def pad(operand, padding_value, padding_config):
    operand = _as_operand(operand)
    # Python scalars take the operand's dtype; arrays must already match.
    if isinstance(padding_value, (bool, int, float)):
        padding_value = _as_operand(padding_value, aval_of(operand).dtype)
    else:
        padding_value = _as_operand(padding_value)
    config = tuple(tuple(operator.index(v) for v in c) for c in padding_config)
    return pad_p.bind(operand, padding_value, padding_config=config)


def _slice_eval(x, start_indices, limit_indices, strides):
    if not (len(start_indices) == len(limit_indices) == len(strides) == x.ndim):
        raise user_error(
            TypeError,
            f"slice start_indices, limit_indices and strides must have length equal "
            f"to the operand ndim; got {start_indices}, {limit_indices}, {strides} "
            f"for operand shape {x.shape}.",
        )
    shape = []
    for d, s, l, st in zip(x.shape, start_indices, limit_indices, strides):
        if not 0 <= s <= l <= d:
            raise user_error(
                TypeError,
                f"slice indices must satisfy 0 <= start <= limit <= shape; got "
                f"start_indices {start_indices}, limit_indices {limit_indices} for "
                f"operand shape {x.shape}.",
            )
        if st < 1:
            raise user_error(ValueError, f"slice strides must be positive, got {strides}")
        shape.append(-(-(l - s) // st))
    return x.update(shape=tuple(shape))


slice_p = Primitive(
    "slice",
    _slice_eval,
    lambda start_indices, limit_indices, strides: {
        "start_indices": i64_array_attr(start_indices),
        "limit_indices": i64_array_attr(limit_indices),
        "strides": i64_array_attr(strides),
    },
)


def slice(operand, start_indices, limit_indices, strides=None):
    operand = _as_operand(operand)
    start_indices = tuple(operator.index(i) for i in start_indices)
    limit_indices = tuple(operator.index(i) for i in limit_indices)
    strides = (
        tuple(operator.index(i) for i in strides)
        if strides is not None
        else (1,) * len(start_indices)
    )
    shape = aval_of(operand).shape
    if (
        start_indices == (0,) * len(shape)
        and limit_indices == shape
        and strides == (1,) * len(shape)
    ):
        return operand
    return slice_p.bind(
        operand, start_indices=start_indices, limit_indices=limit_indices, strides=strides
    )


def _index_operands(name, start_indices, ndim, shape=None):
    if len(start_indices) != ndim:
        raise user_error(
            TypeError,
            f"{name}: length of start_indices ({len(start_indices)}) must equal the "
            f"operand ndim ({ndim})",
        )
    out = []
    for i in start_indices:
        i = _as_operand(i)
        a = aval_of(i)
        if a.shape != () or not dtypes.is_int(a.dtype):
            raise user_error(
                TypeError, f"{name}: start indices must be integer scalars, got {a.str_short()}"
            )
        if shape is not None and not dtypes.is_unsigned(a.dtype):
            # Negative starts count from the end, as in JAX (the op then clamps).
            i = select(lt(i, 0), add(i, int(d)), i) if (d := shape[len(out)]) else i
        out.append(i)
    return out


def _dynamic_slice_eval(x, *starts, slice_sizes):
    if len(slice_sizes) != x.ndim:
        raise user_error(
            TypeError,
            f"dynamic_slice slice_sizes must have the same length as "
            f"operand ndim, got {slice_sizes} for shape {x.shape}",
        )
    for s, d in zip(slice_sizes, x.shape):
        if not 0 <= s <= d:
            raise user_error(
                TypeError,
                f"slice slice_sizes must be less than or equal to "
                f"operand shape, got slice_sizes {slice_sizes} for "
                f"operand shape {x.shape}.",
            )
    return x.update(shape=slice_sizes)


dynamic_slice_p = Primitive(
    "dynamic_slice",
    _dynamic_slice_eval,
    lambda slice_sizes: {"slice_sizes": i64_array_attr(slice_sizes)},
)


def dynamic_slice(operand, start_indices, slice_sizes):
    operand = _as_operand(operand)
    starts = _index_operands(
        "dynamic_slice", list(start_indices), aval_of(operand).ndim, aval_of(operand).shape
    )
    return dynamic_slice_p.bind(
        operand, *starts, slice_sizes=tuple(operator.index(s) for s in slice_sizes)
    )


def _dynamic_update_slice_eval(x, update, *starts):
    _check_same_dtypes("dynamic_update_slice", x, update)
    if update.ndim != x.ndim or builtins.any(u > d for u, d in zip(update.shape, x.shape)):
        raise user_error(
            TypeError,
            f"dynamic_update_slice update shape must be smaller than operand shape, "
            f"got update shape {update.shape} for operand shape {x.shape}.",
        )
    return x


dynamic_update_slice_p = Primitive("dynamic_update_slice", _dynamic_update_slice_eval)


def dynamic_update_slice(operand, update, start_indices):
    operand = _as_operand(operand)
    update = _as_operand(update, aval_of(operand).dtype)
    starts = _index_operands(
        "dynamic_update_slice", list(start_indices), aval_of(operand).ndim, aval_of(operand).shape
    )
    return dynamic_update_slice_p.bind(operand, update, *starts)


def dynamic_index_in_dim(operand, index, axis=0, keepdims=True):
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    starts = [0] * len(shape)
    starts[axis] = index
    sizes = list(shape)
    sizes[axis] = 1
    out = dynamic_slice(operand, starts, sizes)
    return out if keepdims else squeeze(out, (axis,))


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _reduce_primitive(name, kind):
    def abstract_eval(x, axes):
        _check_kind(name, x, kind)
        _canon_axes(name, axes, x.ndim)
        return x.update(shape=tuple(d for i, d in enumerate(x.shape) if i not in axes))

    return Primitive(name, abstract_eval, lambda axes: {"axes": i64_array_attr(axes)})


_REDUCE = {
    "reduce_sum": "num",
    "reduce_prod": "num",
    "reduce_max": "any",
    "reduce_min": "any",
    "reduce_and": "intbool",
    "reduce_or": "intbool",
}
reduce_primitives = {n: _reduce_primitive(n, k) for n, k in _REDUCE.items()}


def _reduce_fn(name):
    prim = reduce_primitives[name]

    def fn(operand, axes):
        operand = _as_operand(operand)
        axes = _canon_axes(name, tuple(axes), aval_of(operand).ndim)
        if not axes:
            return operand
        return prim.bind(operand, axes=tuple(sorted(axes)))

    fn.__name__ = name
    return fn


reduce_sum = _reduce_fn("reduce_sum")
reduce_prod = _reduce_fn("reduce_prod")
reduce_max = _reduce_fn("reduce_max")
reduce_min = _reduce_fn("reduce_min")
reduce_and = _reduce_fn("reduce_and")
reduce_or = _reduce_fn("reduce_or")


def _arg_primitive(name):
    def abstract_eval(x, axis, index_dtype):
        _check_kind(name, x, "num")
        if not 0 <= axis < x.ndim:
            raise user_error(
                ValueError, f"{name}: axis {axis} is out of bounds for array of shape {x.shape}"
            )
        if x.shape[axis] == 0:
            raise user_error(ValueError, f"attempt to get {name} of an empty sequence")
        return ShapedArray(tuple(d for i, d in enumerate(x.shape) if i != axis), index_dtype)

    return Primitive(name, abstract_eval, lambda axis, index_dtype: {"axis": i64_attr(axis)})


argmax_p = _arg_primitive("argmax")
argmin_p = _arg_primitive("argmin")


def argmax(operand, axis, index_dtype):
    operand = _as_operand(operand)
    axis = _canon_axes("argmax", (axis,), aval_of(operand).ndim)[0]
    return argmax_p.bind(operand, axis=axis, index_dtype=dtypes.canonicalize_dtype(index_dtype))


def argmin(operand, axis, index_dtype):
    operand = _as_operand(operand)
    axis = _canon_axes("argmin", (axis,), aval_of(operand).ndim)[0]
    return argmin_p.bind(operand, axis=axis, index_dtype=dtypes.canonicalize_dtype(index_dtype))


# ---------------------------------------------------------------------------
# dot_general
# ---------------------------------------------------------------------------


def _dot_general_eval(lhs, rhs, dimension_numbers, preferred_element_type):
    (lc, rc), (lb, rb) = dimension_numbers
    _check_kind("dot_general", lhs, "num")
    _check_kind("dot_general", rhs, "num")
    _check_same_dtypes("dot_general", lhs, rhs)
    if len(lb) != len(rb) or len(lc) != len(rc):
        raise user_error(
            TypeError,
            f"dot_general requires equal numbers of lhs and rhs batch and contracting "
            f"dimensions, got dimension_numbers {dimension_numbers}.",
        )
    for name, dims, aval in (
        ("lhs", tuple(lb) + tuple(lc), lhs),
        ("rhs", tuple(rb) + tuple(rc), rhs),
    ):
        if len(set(dims)) != len(dims) or builtins.any(not 0 <= d < aval.ndim for d in dims):
            raise user_error(
                TypeError,
                f"dot_general requires {name} dimension numbers to be distinct and in "
                f"range, got {dimension_numbers} for {name} of shape {aval.shape}.",
            )
    for l, r in zip(tuple(lb) + tuple(lc), tuple(rb) + tuple(rc)):
        if lhs.shape[l] != rhs.shape[r]:
            raise user_error(
                TypeError,
                f"dot_general requires contracting and batch dimensions to have the "
                f"same shape, got lhs shape {lhs.shape} and rhs shape {rhs.shape} "
                f"with dimension_numbers {dimension_numbers}.",
            )
    shape = tuple(lhs.shape[d] for d in lb)
    shape += tuple(d for i, d in enumerate(lhs.shape) if i not in lb and i not in lc)
    shape += tuple(d for i, d in enumerate(rhs.shape) if i not in rb and i not in rc)
    dtype = preferred_element_type or lhs.dtype
    return ShapedArray(shape, dtype, lhs.weak_type and rhs.weak_type)


dot_general_p = Primitive(
    "dot_general",
    _dot_general_eval,
    lambda dimension_numbers, preferred_element_type: {
        "lhs_contracting_dimensions": i64_array_attr(dimension_numbers[0][0]),
        "rhs_contracting_dimensions": i64_array_attr(dimension_numbers[0][1]),
        "lhs_batching_dimensions": i64_array_attr(dimension_numbers[1][0]),
        "rhs_batching_dimensions": i64_array_attr(dimension_numbers[1][1]),
    },
)


def dot_general(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None):
    lhs, rhs = _as_operands(lhs, rhs)
    (lc, rc), (lb, rb) = dimension_numbers
    dn = ((tuple(lc), tuple(rc)), (tuple(lb), tuple(rb)))
    pet = dtypes.canonicalize_dtype(preferred_element_type) if preferred_element_type else None
    return dot_general_p.bind(lhs, rhs, dimension_numbers=dn, preferred_element_type=pet)


def dot(lhs, rhs, precision=None, preferred_element_type=None):
    lhs, rhs = _as_operands(lhs, rhs)
    l, r = aval_of(lhs), aval_of(rhs)
    if l.ndim not in (1, 2) or r.ndim not in (1, 2):
        raise user_error(
            TypeError, f"dot only supports rank 1 or 2, got shapes {l.shape} and {r.shape}"
        )
    return dot_general(
        lhs, rhs, (((l.ndim - 1,), (0,)), ((), ())), preferred_element_type=preferred_element_type
    )


# ---------------------------------------------------------------------------
# Operand handling: Python scalars are weakly typed constants
# ---------------------------------------------------------------------------


def full(shape, fill_value, dtype=None):
    """lax.full: a broadcast scalar (traced constant or eager device value)."""
    shape = tuple(operator.index(d) for d in shape)
    weak = (
        dtype is None and isinstance(fill_value, (int, float)) and not isinstance(fill_value, bool)
    )
    if dtype is None:
        dtype = dtypes.dtype_and_weak(fill_value)[0]
    dtype = dtypes.canonicalize_dtype(dtype)
    scalar = _scalar(fill_value, dtype, weak)
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
    from .dispatch import device_put

    return device_put(np.asarray(value, dtype=dtype), weak_type=weak)


def _scalar_like(x, value):
    """`value` with x's dtype, broadcast to x's shape."""
    a = aval_of(x)
    return broadcast_in_dim(_scalar(value, a.dtype, False), a.shape, ())


def _as_operand(x, dtype=None):
    """Arrays and tracers pass through; Python/NumPy values become operands."""
    if isinstance(x, Tracer) or hasattr(x, "_bv"):
        return x
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        if dtype is None:
            dt, weak = dtypes.dtype_and_weak(x)
        else:
            dt, weak = dtype, False
        arr = np.asarray(x, dtype=dt)
        trace = current_trace()
        if trace is not None:
            return trace.constant(arr, ShapedArray(arr.shape, dt, weak))
        from .dispatch import device_put

        return device_put(arr, weak_type=weak)
    return x  # let aval_of raise the TypeError with the user's line


def _as_operands(x, y):
    """For binary lax ops: a Python scalar takes the other operand's dtype
    and is broadcast to its shape (lax's weak-type rule)."""
    x_scalar = isinstance(x, (bool, int, float))
    y_scalar = isinstance(y, (bool, int, float))
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
# Autodiff markers
# ---------------------------------------------------------------------------

stop_gradient_p = Primitive("stop_gradient", lambda x: x)
optimization_barrier_p = Primitive("optimization_barrier", lambda *avals: list(avals))


def optimization_barrier(operand):
    """lax.optimization_barrier: the identity on a pytree of arrays, which
    the compiler may not optimize across (no CSE or code motion through it)."""
    from . import tree_util

    leaves, tree = tree_util.tree_flatten(operand)
    if not leaves:
        return operand
    return tree.unflatten(optimization_barrier_p.bind(*[_as_operand(x) for x in leaves]))


def stop_gradient(x):
    """lax.stop_gradient: the identity, with a zero derivative (on pytrees)."""
    from . import tree_util

    def one(leaf):
        leaf = _as_operand(leaf)
        if not dtypes.is_float(aval_of(leaf).dtype):
            return leaf
        return stop_gradient_p.bind(leaf)

    return tree_util.tree_map(one, x)
