"""Point gather and scatter: the mlax.gather / mlax.scatter primitives that
NumPy integer-array indexing and `.at[]` lower to (docs/indexing.md).

`indices` has shape B... + (K,): K index components along `dims` (an
increasing tuple of operand dimensions); the other dimensions are taken
whole, so a gather's result (and a scatter's updates) has shape
B... + (operand shape without `dims`).
"""

import numpy as np

from ..._mlir import ir
from ..core import Primitive, aval_of, dtypes, element_type, i32_attr, i64_array_attr, user_error
from .common import _as_operand

MODES = {"clip": 0, "fill": 1, "promise_in_bounds": 2}
KINDS = {"replace": 0, "add": 1, "mul": 2, "min": 3, "max": 4}


def _rows_shape(name, operand, indices, dims):
    if not dtypes.is_int(indices.dtype):
        raise user_error(
            TypeError, f"{name} indices must have an integer type, got {indices.dtype}"
        )
    if indices.ndim < 1 or indices.shape[-1] != len(dims):
        raise user_error(
            TypeError,
            f"{name}: indices of shape {indices.shape} need a last dimension of {len(dims)} "
            f"components (one per indexed dimension {tuple(dims)})",
        )
    if list(dims) != sorted(set(dims)) or any(not 0 <= d < operand.ndim for d in dims):
        raise user_error(
            ValueError,
            f"{name}: dims {tuple(dims)} must be increasing and within rank {operand.ndim}",
        )
    rest = tuple(n for d, n in enumerate(operand.shape) if d not in dims)
    return indices.shape[:-1] + rest


def _gather_eval(operand, indices, *, dims, mode, fill_value):
    shape = _rows_shape("gather", operand, indices, dims)
    return operand.update(shape=shape)


def _fill_key(value, dtype):
    """A hashable, NaN-safe spelling of the fill value (primitive params are
    cache keys)."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return (str(int(bool(value))), dtype)
    if dtype.kind in "iu":
        return (str(int(value)), dtype)
    return (repr(float(value)), dtype)


def _fill_attr(text, dtype):
    t = element_type(dtype)
    if dtype == np.bool_ or np.dtype(dtype).kind in "iu":
        return ir.IntegerAttr.get(t, int(text))
    return ir.FloatAttr.get(t, float(text))


def _gather_attrs(dims, mode, fill_value):
    attrs = {"dims": i64_array_attr(dims), "mode": i32_attr(MODES[mode])}
    if fill_value is not None:
        attrs["fill_value"] = _fill_attr(*fill_value)
    return attrs


gather_p = Primitive("gather", _gather_eval, _gather_attrs)


def _scatter_eval(operand, indices, updates, *, dims, kind, mode):
    shape = _rows_shape("scatter", operand, indices, dims)
    if updates.shape != shape:
        raise user_error(
            ValueError,
            f"scatter updates of shape {updates.shape} do not match the indexed rows "
            f"{shape} of operand {operand.shape}",
        )
    if updates.dtype != operand.dtype:
        raise user_error(
            TypeError,
            f"scatter updates dtype {updates.dtype} differs from operand dtype {operand.dtype}",
        )
    return operand


def _scatter_attrs(dims, kind, mode):
    return {
        "kind": i32_attr(KINDS[kind]),
        "dims": i64_array_attr(dims),
        "mode": i32_attr(MODES[mode]),
    }


scatter_p = Primitive("scatter", _scatter_eval, _scatter_attrs)


def default_fill(dtype):
    """JAX's fill for out-of-range gathers: NaN, or the type's extreme."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return True
    if dtype.kind == "f" or dtype == dtypes.bfloat16:
        return float("nan")
    info = np.iinfo(dtype)
    return info.min if dtype.kind == "i" else info.max


def gather_points(operand, indices, dims, mode="clip", fill_value=None):
    """operand rows at `indices` (B... + (K,)) along `dims`."""
    operand, indices = _as_operand(operand), _as_operand(indices)
    fill = None
    if mode == "fill":
        dtype = aval_of(operand).dtype
        fill = _fill_key(default_fill(dtype) if fill_value is None else fill_value, dtype)
    return gather_p.bind(operand, indices, dims=tuple(dims), mode=mode, fill_value=fill)


def scatter_points(operand, indices, updates, dims, kind="replace", mode="fill"):
    """operand with `updates` combined into the rows `indices` name."""
    return scatter_p.bind(
        _as_operand(operand),
        _as_operand(indices),
        _as_operand(updates),
        dims=tuple(dims),
        kind=kind,
        mode=mode,
    )
