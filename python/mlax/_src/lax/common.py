"""What every lax family shares: dtype-kind and axis checks, and turning
Python/NumPy values into operands (weakly typed constants)."""

import operator

import numpy as np

from ..core import (
    ShapedArray,
    Tracer,
    current_trace,
    dtypes,
    hooks,
    user_error,
)

# ---------------------------------------------------------------------------
# Dtype-kind checks shared by the rules
# ---------------------------------------------------------------------------

_KINDS = {
    "float": (dtypes.is_float, "floating"),
    "inexact": (dtypes.is_inexact, "floating, complexfloating"),
    "real": (lambda d: dtypes.is_float(d) or dtypes.is_int(d), "integer, floating"),
    "num": (
        lambda d: dtypes.is_inexact(d) or dtypes.is_int(d),
        "integer, floating, complexfloating",
    ),
    "abs": (
        lambda d: dtypes.is_inexact(d) or dtypes.is_int(d),
        "floating, complexfloating, signedinteger",
    ),
    "complex": (dtypes.is_complex, "complexfloating"),
    "ordered": (lambda d: not dtypes.is_complex(d), "integer, floating, bool"),
    "int": (dtypes.is_int, "integer"),
    "intbool": (lambda d: dtypes.is_int(d) or dtypes.is_bool(d), "integer, bool"),
    "any": (lambda d: True, "any"),
}


def _check_kind(name, aval, kind, position=None):
    ok, desc = _KINDS[kind]
    if not ok(aval.dtype):
        at = "" if position is None else f" at position {position}"
        raise user_error(
            TypeError,
            f"{name} does not accept dtype {aval.dtype.name}{at}. Accepted dtypes{at} are "
            f"subtypes of {desc}.",
        )


# lax names with a promoting jnp twin (JAX's tip in the dtype error).
_JNP_NAMES = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "rem": "remainder",
    "pow": "power",
    "max": "maximum",
    "min": "minimum",
    "atan2": "arctan2",
    "nextafter": "nextafter",
    "and": "bitwise_and",
    "or": "bitwise_or",
    "xor": "bitwise_xor",
}


def _check_same_dtypes(name, *avals):
    if len({a.dtype for a in avals}) > 1:
        raise user_error(
            TypeError,
            f"lax.{name} requires arguments to have the same dtypes, got "
            f"{', '.join(a.dtype.name for a in avals)}."
            + (
                f" (Tip: jnp.{_JNP_NAMES[name]} is a similar function that does automatic "
                f"type promotion on inputs)."
                if name in _JNP_NAMES
                else ""
            ),
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
            raise user_error(ValueError, f"axis {a} is out of bounds for array of dimension {ndim}")
        out.append(a % ndim if ndim else a)
    if len(set(out)) != len(out):
        raise user_error(ValueError, f"{name}: duplicate value in 'axis': {tuple(axes)}")
    return tuple(out)


# ---------------------------------------------------------------------------
# Operand handling: Python scalars are weakly typed constants
# ---------------------------------------------------------------------------


def _as_operand(x, dtype=None, weak=False):
    """Arrays and tracers pass through; Python/NumPy values become operands
    (of `dtype`, weak if asked, when it is given)."""
    if isinstance(x, Tracer) or hasattr(x, "_bv"):
        return x
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        if dtype is None:
            dt, weak = dtypes.dtype_and_weak(x)
        else:
            dt = dtype
        arr = np.asarray(x, dtype=dt)
        trace = current_trace()
        if trace is not None:
            return trace.constant(arr, ShapedArray(arr.shape, dt, weak))
        return hooks.device_put(arr, weak_type=weak)
    return x  # let aval_of raise the TypeError with the user's line
