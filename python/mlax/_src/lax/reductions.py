"""Reductions (sum, prod, max, min, and, or, argmax, argmin) and the
contraction dot_general."""

import builtins

from ..core import (
    Primitive,
    ShapedArray,
    aval_of,
    dtypes,
    i64_array_attr,
    i64_attr,
    user_error,
)
from .common import _as_operand, _canon_axes, _check_kind, _check_same_dtypes
from .elementwise import _as_operands, accumulate_wide

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
        axes = tuple(sorted(axes))
        if name == "reduce_sum":  # products stay narrow, as in JAX
            return accumulate_wide(lambda x: prim.bind(x, axes=axes), operand)
        return prim.bind(operand, axes=axes)

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
    # JAX's messages: the batch sizes first, then the contracting ones.
    for what, ld, rd in (
        ("lhs batch dimensions and rhs batch dimensions", lb, rb),
        ("contracting dimensions", lc, rc),
    ):
        lsizes = tuple(lhs.shape[d] for d in ld)
        rsizes = tuple(rhs.shape[d] for d in rd)
        if lsizes != rsizes:
            raise user_error(
                TypeError,
                f"dot_general requires {what} to have the same shape, got {lsizes} and "
                f"{rsizes}.\nlhs shape {lhs.shape}, rhs shape {rhs.shape}, dimension_numbers "
                f"{dimension_numbers}",
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
    ldt, rdt = aval_of(lhs).dtype, aval_of(rhs).dtype
    if ldt == rdt and pet in (None, ldt):
        return accumulate_wide(
            lambda a, b: dot_general_p.bind(
                a, b, dimension_numbers=dn, preferred_element_type=None
            ),
            lhs,
            rhs,
        )
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
