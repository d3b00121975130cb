"""What the mlax.numpy families share: dtype arguments, promotion (JAX's
lattice, weak Python scalars), broadcasting (NumPy's rules), argument
checks."""

import builtins
import math
import warnings

import numpy as np

from .. import lax
from ..core import ShapedArray, Tracer, aval_of, dtypes, user_error, user_stacklevel
from ..core.config import config
from ..runtime.array import Array


def _dtype_arg(d, fun_name=None):
    """The canonical dtype of a dtype argument. With `fun_name` (a public
    function's name, or "" where JAX names none), an explicit 64-bit dtype
    with x64 off warns as JAX's check_user_dtype_supported does (Python's
    int/float/complex do not)."""
    if d is None:
        return None
    dt = np.dtype(d)
    if fun_name and dt.kind != "c" and not dtypes.is_supported(dt):
        # JAX's message (float128 and the like)
        raise user_error(
            TypeError,
            f"mlax only supports number, bool, and string dtypes, got dtype {dt} in {fun_name}",
        )
    canonical = dtypes.canonicalize_dtype(dt)
    python_type = d is int or d is float or d is complex
    if fun_name is not None and canonical != np.dtype(d) and not python_type:
        where = f" requested in {fun_name}" if fun_name else ""
        warnings.warn(
            f"Explicitly requested dtype {np.dtype(d).name}{where} is not "
            f"available, and will be truncated to dtype {canonical.name}. To enable more "
            "dtypes, set the jax_enable_x64 configuration option or the JAX_ENABLE_X64 shell "
            "environment variable. See https://github.com/jax-ml/jax#current-gotchas for more.",
            stacklevel=user_stacklevel(),
        )
    return canonical


# ---------------------------------------------------------------------------
# Conversion, promotion, broadcasting
# ---------------------------------------------------------------------------


def _is_array(x):
    return isinstance(x, (Array, Tracer))


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
        if isinstance(a, (bool, int, float, complex)) and not _is_array(a):
            a = lax._scalar(a, to_dtype, weak)
        else:
            a = lax.convert_element_type(array(a) if not _is_array(a) else a, to_dtype, weak)
        out.append(a)
    return out


def _promote_inexact(name, *args):
    """Like _promote, then ints and bools become the default float."""
    out = _promote(name, *args)
    d = aval_of(out[0]).dtype
    if not dtypes.is_inexact(d):
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


_RANK_PROMOTION_DOC = "https://docs.jax.dev/en/latest/rank_promotion_warning.html"


def _check_rank_promotion(name, shapes):
    """jax_numpy_rank_promotion 'warn'/'raise': a ufunc broadcasting operands
    of different ranks (0-d ones aside), as JAX checks it."""
    mode = config.trace_context[1]
    if mode == "allow" or len({len(s) for s in shapes if len(s)}) <= 1:
        return
    shown = " ".join(str(tuple(s)) for s in shapes)
    if mode == "raise":
        raise user_error(
            ValueError,
            f"Operands could not be broadcast together for {name} on shapes {shown} and "
            f"with the config option jax_numpy_rank_promotion='raise'. For more "
            f"information, see {_RANK_PROMOTION_DOC}.",
        )
    warnings.warn(
        f"Following NumPy automatic rank promotion for {name} on shapes {shown}. Set the "
        f"jax_numpy_rank_promotion config option to 'allow' to disable this warning; for "
        f"more information, see {_RANK_PROMOTION_DOC}.",
        stacklevel=3,
    )


# The lax op JAX's error names when a jnp binary function's operands of one
# rank do not broadcast (jnp.multiply -> "mul got incompatible shapes").
_LAX_NAMES = {
    "subtract": "sub",
    "multiply": "mul",
    "divide": "div",
    "true_divide": "div",
    "floor_divide": "rem",
    "power": "pow",
    "float_power": "pow",
    "maximum": "max",
    "minimum": "min",
    "arctan2": "atan2",
    "hypot": "or",
    "equal": "eq",
    "not_equal": "ne",
    "less": "lt",
    "greater": "gt",
    "less_equal": "le",
    "greater_equal": "ge",
    "logical_and": "and",
    "logical_or": "or",
    "logical_xor": "xor",
    "bitwise_and": "and",
    "bitwise_or": "or",
    "bitwise_xor": "xor",
    "remainder": "rem",
    "mod": "rem",
    "fmod": "rem",
    "logaddexp": "max",
    "logaddexp2": "max",
    "fmax": "gt",
    "fmin": "lt",
    "isclose": "and",
    "left_shift": "shift_left",
    "right_shift": "shift_right_arithmetic",
}


def _broadcast_all(*args, name=None):
    shapes = [aval_of(a).shape for a in args]
    if name is not None:
        _check_rank_promotion(name, shapes)
    try:
        shape = broadcast_shapes(*shapes)
    except ValueError:
        # JAX: operands of different ranks fail in jnp's rank promotion (a
        # ValueError); operands of one rank in the lax op (a TypeError).
        # Scalars take no part in rank promotion.
        shown = ", ".join(str(tuple(s)) for s in shapes)
        if name is None or len({len(s) for s in shapes if len(s)}) > 1:
            raise user_error(
                ValueError, f"Incompatible shapes for broadcasting: shapes=[{shown}]"
            ) from None
        raise user_error(
            TypeError,
            f"{_LAX_NAMES.get(name, name)} got incompatible shapes for broadcasting: {shown}.",
        ) from None
    return [_broadcast_to_shape(a, shape) for a in args]


def check_nonnegative_shape(shape):
    """JAX's TypeError for a negative dimension in a requested shape."""
    if builtins.any(d < 0 for d in shape):
        raise user_error(
            TypeError,
            f"broadcast_in_dim shape must have every element be nonnegative, got {shape}.",
        )


def broadcast_to(array_, shape):
    array_ = asarray(array_)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    s = aval_of(array_).shape
    check_nonnegative_shape(shape)
    if len(shape) < len(s):
        raise user_error(
            ValueError,
            f"Cannot broadcast to shape with fewer dimensions: arr_shape={s} shape={shape}",
        )
    if builtins.any(a != 1 and a != b for a, b in zip(s, shape[len(shape) - len(s) :])):
        aval = aval_of(array_)
        requested = ShapedArray(shape, aval.dtype).str_long()
        raise user_error(
            ValueError,
            f"Incompatible types for broadcasting: input type={aval.str_long()} and "
            f"requested type={requested}\n(shape {s} cannot broadcast to {shape})",
        )
    return _broadcast_to_shape(array_, shape)


def broadcast_arrays(*args):
    return _broadcast_all(*[asarray(a) for a in args])


# ---------------------------------------------------------------------------


def _check_arraylike(name, *args):
    for i, a in enumerate(args):
        if not (_is_array(a) or isinstance(a, (bool, int, float, complex, np.ndarray, np.generic))):
            raise user_error(
                TypeError,
                f"{name} requires ndarray or scalar arguments, got {type(a)} at position {i}.",
            )


def asarray(a, dtype=None, order=None, copy=None):
    return _array(a, _dtype_arg(dtype, "asarray"), False, ndmin=0)


def _check_python_ints_fit(object, dtype):
    """JAX's OverflowError for Python numbers outside an integer dtype."""
    if dtype is None or not dtypes.is_int(dtype):
        return
    items = _flat_items(object) if isinstance(object, (list, tuple)) else [object]
    info = np.iinfo(dtype)
    for x in items:
        if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
            if not info.min <= int(x) <= info.max:
                raise user_error(
                    OverflowError, f"Python integer {int(x)} out of bounds for {np.dtype(dtype)}"
                )


def array(object, dtype=None, copy=True, order=None, ndmin=0):
    return _array(object, _dtype_arg(dtype, "array"), copy, ndmin)


def _array(object, dtype, copy, ndmin):
    if isinstance(object, (int, float, list, tuple)):
        _check_python_ints_fit(object, dtype)
    if _is_array(object):
        out = object if dtype is None else lax.convert_element_type(object, dtype)
        if copy and out is object and isinstance(object, Array):
            # A new array, as JAX's copy: x.copy() must outlive donating x.
            out = lax.optimization_barrier(object)
    elif isinstance(object, (list, tuple)) and builtins.any(
        _is_array(x) for x in _flat_items(object)
    ):
        out = stack_arrays([asarray(x) for x in object], 0)
        if dtype is not None:
            out = lax.convert_element_type(out, dtype)
    elif isinstance(object, (bool, int, float, complex)) and dtype is None:
        if isinstance(object, int) and not isinstance(object, bool):
            info = np.iinfo(dtypes.default_int())
            if not info.min <= object <= info.max:
                raise user_error(
                    OverflowError,
                    f"Python int {object} too large to convert to {np.dtype(info.dtype)}",
                )
        out = lax._as_operand(object)  # Python scalars stay weakly typed
    else:
        try:
            value = np.asarray(object)
        except ValueError as err:  # a ragged list: NumPy's ValueError, as JAX
            raise user_error(ValueError, str(err)) from None
        except Exception as err:
            raise user_error(TypeError, f"Cannot convert {object!r} to an array") from err
        if value.dtype == np.dtype("O"):
            raise user_error(TypeError, f"Cannot convert {object!r} to an array")
        if dtype is None:
            dtype = (
                _list_dtype(object)
                if isinstance(object, (list, tuple))
                else dtypes.canonicalize_dtype(value.dtype)
            )
        out = lax._as_operand(np.asarray(value, dtype=dtype), dtype)
    if ndmin and aval_of(out).ndim < ndmin:
        out = lax.reshape(out, (1,) * (ndmin - aval_of(out).ndim) + aval_of(out).shape)
    return out


def _list_dtype(object):
    """JAX's dtype for a nested list: its items promoted together, Python
    scalars weakly ([np.int8(1), 2] is int8); float32 when empty."""
    items = list(_flat_items(object))
    if not items:
        return dtypes.default_float()
    try:
        dtype = dtypes.result_type(*items)
    except (TypeError, ValueError):
        return dtypes.dtype_and_weak(object)[0]
    _check_python_ints_fit(object, dtype)
    return dtype


def stack_arrays(arrays, axis):
    """Equal-shaped arrays, promoted to one dtype, stacked along a new axis."""
    shapes = {aval_of(a).shape for a in arrays}
    if len(shapes) != 1:
        raise user_error(
            ValueError,
            "All input arrays must have the same shape. Got "
            + ", ".join(str(aval_of(a).shape) for a in arrays)
            + ".",
        )
    arrays = _promote("stack", *arrays)
    return lax.concatenate([lax.expand_dims(a, (axis,)) for a in arrays], axis)
