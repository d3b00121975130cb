"""The operators and methods of mlax.Array and tracers, installed on both
classes (JAX's array_methods)."""

import numpy as np

from .. import lax
from ..core import Tracer, user_error
from ..runtime.array import Array
from .advanced_indexing import _IndexUpdateHelper
from .contractions import dot, matmul
from .indexing import getitem
from .reductions import all, any, argmax, argmin, max, mean, min, prod, std, sum, var
from .shape import _shape, ravel, reshape, squeeze, swapaxes, transpose
from .ufuncs import (
    absolute,
    add,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    clip,
    divide,
    equal,
    floor_divide,
    greater,
    greater_equal,
    invert,
    left_shift,
    less,
    less_equal,
    multiply,
    negative,
    not_equal,
    positive,
    power,
    remainder,
    right_shift,
    round,
    subtract,
)
from .util import _dtype_arg, _is_array

# Operators and methods shared by Array and Tracer
# ---------------------------------------------------------------------------


def _defer(fn, reverse=False):
    def op(self, other):
        if not (
            _is_array(other)
            or isinstance(other, (bool, int, float, complex, np.ndarray, np.generic))
        ):
            return NotImplemented
        return fn(other, self) if reverse else fn(self, other)

    return op


def _astype(self, dtype, copy=False):
    return lax.convert_element_type(self, _dtype_arg(dtype, "astype"))


def _view(self, dtype=None, type=None):
    """jax.Array.view: the bits read as another dtype of the same width
    (booleans as uint8); other widths are not supported yet."""
    if type is not None:
        raise user_error(NotImplementedError, "`type` argument of array.view() is not supported.")
    if dtype is None:
        return self
    dtype = _dtype_arg(dtype, "view")
    current = self.dtype
    if current.itemsize != dtype.itemsize and not _shape(self):
        raise user_error(
            ValueError, "view() of a 0d array is only supported if the itemsize is unchanged."
        )
    if current == dtype:
        return self
    if current == np.bool_:
        return _view(self.astype(np.uint8), dtype)
    if dtype == np.bool_:
        return _view(self, np.uint8).astype(np.bool_)
    return lax.bitcast_convert_type(self, dtype)


def _reshape_method(self, *args, order="C"):
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        args = tuple(args[0])
    return reshape(self, args, order)


def _transpose_method(self, *axes):
    if not axes:
        return transpose(self)
    if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
        axes = tuple(axes[0])
    return transpose(self, axes)


def _max_method(self, axis=None, out=None, keepdims=False, initial=None, where=None):
    return max(self, axis, out=out, keepdims=keepdims, initial=initial, where=where)


def _min_method(self, axis=None, out=None, keepdims=False, initial=None, where=None):
    return min(self, axis, out=out, keepdims=keepdims, initial=initial, where=where)


def _all_method(self, axis=None, out=None, keepdims=False, *, where=None):
    return all(self, axis, out=out, keepdims=keepdims, where=where)


def _any_method(self, axis=None, out=None, keepdims=False, *, where=None):
    return any(self, axis, out=out, keepdims=keepdims, where=where)


def _round_method(self, decimals=0, out=None):
    if out is not None:
        raise user_error(NotImplementedError, "The 'out' argument to jnp.round is not supported.")
    return round(self, decimals)


def _operator_round(self, ndigits=None):
    """round(x, ndigits): as JAX, round(x) without ndigits is an int array."""
    out = round(self, ndigits or 0)
    return out.astype(int) if ndigits is None else out


def _divmod(x, y):
    from .math_ufuncs import divmod

    return divmod(x, y)


def _setitem(self, index, value):
    raise user_error(
        TypeError,
        "JAX arrays are immutable and do not support in-place item assignment. Instead of "
        "x[idx] = y, use x = x.at[idx].set(y) or another .at[] method: "
        "https://docs.jax.dev/en/latest/_autosummary/jax.numpy.ndarray.at.html",
    )


def _iter(self):
    if not _shape(self):
        raise TypeError("iteration over a 0-d array")
    for i in range(_shape(self)[0]):
        yield self[i]


_METHODS = {
    "__add__": _defer(add),
    "__radd__": _defer(add, True),
    "__sub__": _defer(subtract),
    "__rsub__": _defer(subtract, True),
    "__mul__": _defer(multiply),
    "__rmul__": _defer(multiply, True),
    "__truediv__": _defer(divide),
    "__rtruediv__": _defer(divide, True),
    "__floordiv__": _defer(floor_divide),
    "__rfloordiv__": _defer(floor_divide, True),
    "__mod__": _defer(remainder),
    "__rmod__": _defer(remainder, True),
    "__pow__": _defer(power),
    "__rpow__": _defer(power, True),
    "__matmul__": _defer(matmul),
    "__divmod__": _defer(_divmod),
    "__rdivmod__": _defer(_divmod, True),
    "__round__": _operator_round,
    "__rmatmul__": _defer(matmul, True),
    "__and__": _defer(bitwise_and),
    "__rand__": _defer(bitwise_and, True),
    "__or__": _defer(bitwise_or),
    "__ror__": _defer(bitwise_or, True),
    "__xor__": _defer(bitwise_xor),
    "__rxor__": _defer(bitwise_xor, True),
    "__lshift__": _defer(left_shift),
    "__rlshift__": _defer(left_shift, True),
    "__rshift__": _defer(right_shift),
    "__rrshift__": _defer(right_shift, True),
    "__eq__": _defer(equal),
    "__ne__": _defer(not_equal),
    "__lt__": _defer(less),
    "__le__": _defer(less_equal),
    "__gt__": _defer(greater),
    "__ge__": _defer(greater_equal),
    "__neg__": lambda self: negative(self),
    "__pos__": lambda self: positive(self),
    "__abs__": lambda self: absolute(self),
    "__invert__": lambda self: invert(self),
    "__getitem__": getitem,
    "__setitem__": _setitem,
    "at": property(lambda self: _IndexUpdateHelper(self)),
    "astype": _astype,
    "view": _view,
    "reshape": _reshape_method,
    "transpose": _transpose_method,
    "T": property(lambda self: transpose(self)),
    "mT": property(lambda self: swapaxes(self, -1, -2)),
    "ravel": lambda self, order="C": ravel(self, order),
    "flatten": lambda self, order="C": ravel(self, order),
    "squeeze": lambda self, axis=None: squeeze(self, axis),
    "swapaxes": lambda self, a, b: swapaxes(self, a, b),
    # The reductions take jax.Array's arguments (out= too: np.sum(x) calls
    # x.sum(axis=None, dtype=None, out=None)).
    "sum": sum,
    "prod": prod,
    "mean": mean,
    "max": _max_method,
    "min": _min_method,
    "var": var,
    "std": std,
    "argmax": argmax,
    "argmin": argmin,
    "all": _all_method,
    "any": _any_method,
    "dot": lambda self, other: dot(self, other),
    "clip": lambda self, min=None, max=None: clip(self, min, max),
    "round": _round_method,
    "sort": lambda self, axis=-1, *, kind=None, order=None, stable=True, descending=False: (
        _sorting().sort(self, axis, kind=kind, order=order, stable=stable, descending=descending)
    ),
    "argsort": lambda self, axis=-1, *, kind=None, order=None, stable=True, descending=False: (
        _sorting().argsort(self, axis, kind=kind, order=order, stable=stable, descending=descending)
    ),
}


def _sorting():
    from . import sorting

    return sorting


def _forward(module, name):
    """A method calling mlax.numpy's `name` on self (imported on first use:
    these modules import this one's neighbours)."""

    def method(self, *args, **kwargs):
        import importlib

        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(
            self, *args, **kwargs
        )

    method.__name__ = name
    return method


def _compress_method(self, condition, axis=None, **kwargs):
    from .selection import compress

    return compress(condition, self, axis, **kwargs)


# jax.Array's methods that forward to the jnp function of the same name.
_METHODS.update(
    {
        "argpartition": _forward("sorting", "argpartition"),
        "choose": _forward("binning", "choose"),
        "compress": _compress_method,
        "copy": _forward("construction", "copy"),
        "cumprod": _forward("reductions", "cumprod"),
        "cumsum": _forward("reductions", "cumsum"),
        "diagonal": _forward("selection", "diagonal"),
        "imag": property(_forward("complex_numbers", "imag")),
        "real": property(_forward("complex_numbers", "real")),
        "conj": _forward("complex_numbers", "conjugate"),
        "conjugate": _forward("complex_numbers", "conjugate"),
        "itemsize": property(lambda self: np.dtype(self.dtype).itemsize),
        "nonzero": _forward("selection", "nonzero"),
        "ptp": _forward("statistics", "ptp"),
        "repeat": _forward("binning", "repeat"),
        "searchsorted": _forward("selection", "searchsorted"),
        "take": _forward("advanced_indexing", "take"),
        "trace": _forward("selection", "trace"),
    }
)


for _name, _method in _METHODS.items():
    setattr(Array, _name, _method)
    setattr(Tracer, _name, _method)
Tracer.__iter__ = _iter
