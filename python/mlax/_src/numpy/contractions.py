"""Linear algebra built on dot_general: dot, matmul, vdot, inner, outer,
tensordot, einsum."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .shape import _ndim, _shape, ravel
from .ufuncs import multiply
from .util import _promote, asarray, broadcast_to

# Linear algebra
# ---------------------------------------------------------------------------


def _dot_promote(a, b):
    a, b = _promote("dot", asarray(a), asarray(b))
    return a, b


def _bool_as_int(fn):
    """Bool products are computed in int32 and compared with 0 (any of ands)."""

    def wrapped(a, b, *args, **kwargs):
        a, b = _dot_promote(a, b)
        if aval_of(a).dtype != dtypes.bool_:
            return fn(a, b, *args, **kwargs)
        out = fn(
            lax.convert_element_type(a, dtypes.int32),
            lax.convert_element_type(b, dtypes.int32),
            *args,
            **kwargs,
        )
        return lax.ne(out, lax._scalar_like(out, 0))

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


@_bool_as_int
def dot(a, b, precision=None, preferred_element_type=None):
    a, b = _dot_promote(a, b)
    if _ndim(a) == 0 or _ndim(b) == 0:
        return multiply(a, b)
    contract_b = 0 if _ndim(b) == 1 else _ndim(b) - 2
    _check_contract("dot", a, b, _ndim(a) - 1, contract_b)
    return lax.dot_general(a, b, (((_ndim(a) - 1,), (contract_b,)), ((), ())))


def _check_contract(name, a, b, ia, ib):
    if _shape(a)[ia] != _shape(b)[ib]:
        raise user_error(
            TypeError,
            f"{name} requires contracting dimensions to match, got shapes "
            f"{_shape(a)} and {_shape(b)} (dimension {ia} of size {_shape(a)[ia]} vs "
            f"dimension {ib} of size {_shape(b)[ib]})",
        )


@_bool_as_int
def matmul(a, b, precision=None, preferred_element_type=None):
    a, b = _dot_promote(a, b)
    if _ndim(a) == 0 or _ndim(b) == 0:
        raise user_error(
            ValueError,
            f"matmul: inputs must not be scalars, got shapes {_shape(a)} and {_shape(b)}",
        )
    a_vec, b_vec = _ndim(a) == 1, _ndim(b) == 1
    if a_vec:
        a = lax.expand_dims(a, (0,))
    if b_vec:
        b = lax.expand_dims(b, (1,))
    _check_contract("matmul", a, b, _ndim(a) - 1, _ndim(b) - 2)
    batch = (
        np.broadcast_shapes(_shape(a)[:-2], _shape(b)[:-2]) if _ndim(a) > 2 or _ndim(b) > 2 else ()
    )
    nb = len(batch)
    if nb:
        a = broadcast_to(a, batch + _shape(a)[-2:])
        b = broadcast_to(b, batch + _shape(b)[-2:])
    out = lax.dot_general(a, b, (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb)))))
    if a_vec:
        out = lax.squeeze(out, (nb,))
    if b_vec:
        out = lax.squeeze(out, (_ndim(out) - 1,))
    return out


def vdot(a, b):
    return dot(ravel(a), ravel(b))


@_bool_as_int
def inner(a, b):
    a, b = _dot_promote(a, b)
    if _ndim(a) == 0 or _ndim(b) == 0:
        return multiply(a, b)
    _check_contract("inner", a, b, _ndim(a) - 1, _ndim(b) - 1)
    return lax.dot_general(a, b, (((_ndim(a) - 1,), (_ndim(b) - 1,)), ((), ())))


def outer(a, b):
    a, b = ravel(a), ravel(b)
    return multiply(lax.expand_dims(a, (1,)), lax.expand_dims(b, (0,)))


@_bool_as_int
def tensordot(a, b, axes=2):
    a, b = _dot_promote(a, b)
    if isinstance(axes, (int, np.integer)):
        axes = int(axes)
        ca = tuple(range(_ndim(a) - axes, _ndim(a)))
        cb = tuple(range(axes))
    else:
        ca, cb = axes
        ca = (ca,) if isinstance(ca, int) else tuple(ca)
        cb = (cb,) if isinstance(cb, int) else tuple(cb)
        ca = lax._canon_axes("tensordot", ca, _ndim(a))
        cb = lax._canon_axes("tensordot", cb, _ndim(b))
    if len(ca) != len(cb):
        raise user_error(
            TypeError, f"tensordot requires axes lists to have equal length, got {ca} and {cb}."
        )
    for i, j in zip(ca, cb):
        _check_contract("tensordot", a, b, i, j)
    return lax.dot_general(a, b, ((ca, cb), ((), ())))


def einsum(subscripts, *operands, optimize=None, precision=None, preferred_element_type=None):
    """einsum for explicit or implicit two-operand (and one-operand) forms."""
    subscripts = subscripts.replace(" ", "")
    if "..." in subscripts:
        raise user_error(NotImplementedError, "einsum with ellipsis is not supported yet")
    if "->" in subscripts:
        inputs, output = subscripts.split("->")
    else:
        inputs = subscripts
        letters = inputs.replace(",", "")
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    specs = inputs.split(",")
    if len(specs) != len(operands):
        raise user_error(
            ValueError, f"einsum: {len(specs)} subscripts for {len(operands)} operands"
        )
    ops = _promote("einsum", *[asarray(o) for o in operands])
    for spec, op in zip(specs, ops):
        if len(spec) != _ndim(op):
            raise user_error(
                ValueError,
                f"einsum: subscript {spec!r} does not match operand of shape {_shape(op)}",
            )
    # Fold left to right: each step contracts letters absent from the rest.
    cur_spec, cur = _einsum_reduce_single(specs[0], ops[0], output + "".join(specs[1:]))
    for spec, op in zip(specs[1:], ops[1:]):
        rest = output + "".join(specs[specs.index(spec) + 1 :])
        spec, op = _einsum_reduce_single(spec, op, rest + cur_spec)
        batch = [c for c in cur_spec if c in spec and c in rest]
        contract = [c for c in cur_spec if c in spec and c not in rest]
        dn = (
            (tuple(cur_spec.index(c) for c in contract), tuple(spec.index(c) for c in contract)),
            (tuple(cur_spec.index(c) for c in batch), tuple(spec.index(c) for c in batch)),
        )
        for i, j in zip(dn[0][0] + dn[1][0], dn[0][1] + dn[1][1]):
            _check_contract("einsum", cur, op, i, j)
        cur = lax.dot_general(cur, op, dn)
        cur_spec = (
            "".join(batch)
            + "".join(c for c in cur_spec if c not in batch and c not in contract)
            + "".join(c for c in spec if c not in batch and c not in contract)
        )
    cur_spec, cur = _einsum_reduce_single(cur_spec, cur, output)
    return lax.transpose(cur, tuple(cur_spec.index(c) for c in output))


def _einsum_reduce_single(spec, op, keep):
    """Sums out letters of `spec` not in `keep`; takes diagonals of repeats."""
    for c in set(spec):
        if spec.count(c) > 1:
            raise user_error(
                NotImplementedError,
                "einsum diagonals (repeated subscripts in one operand) are not supported yet",
            )
    drop = tuple(i for i, c in enumerate(spec) if c not in keep)
    if drop:
        op = lax.reduce_sum(op, drop)
        spec = "".join(c for c in spec if c in keep)
    return spec, op


# ---------------------------------------------------------------------------
