"""Linear algebra built on dot_general: dot, matmul, vdot, inner, outer,
tensordot, einsum."""

import operator

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
        out = multiply(a, b)
        return out if preferred_element_type is None else out.astype(preferred_element_type)
    contract_b = 0 if _ndim(b) == 1 else _ndim(b) - 2
    _check_contract("dot", a, b, _ndim(a) - 1, contract_b)
    return lax.dot_general(
        a,
        b,
        (((_ndim(a) - 1,), (contract_b,)), ((), ())),
        preferred_element_type=preferred_element_type,
    )


def _check_contract(name, a, b, ia, ib):
    if _shape(a)[ia] != _shape(b)[ib]:
        raise user_error(
            TypeError,
            # JAX's message: its matmul and dot are dot_general.
            f"dot_general requires contracting dimensions to have the same shape, got "
            f"({_shape(a)[ia]},) and ({_shape(b)[ib]},).\n{name} of shapes {_shape(a)} and "
            f"{_shape(b)}",
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
    out = lax.dot_general(
        a,
        b,
        (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb)))),
        preferred_element_type=preferred_element_type,
    )
    if a_vec:
        out = lax.squeeze(out, (nb,))
    if b_vec:
        out = lax.squeeze(out, (_ndim(out) - 1,))
    return out


def vdot(a, b):
    """Like jnp.vdot: a is conjugated when complex."""
    a = ravel(a)
    if dtypes.is_complex(aval_of(a).dtype):
        a = lax.conj(a)
    return dot(a, ravel(b))


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


def _sublist_subscripts(args):
    """NumPy's interleaved form einsum(op0, sublist0, op1, sublist1, ...,
    [sublistout]) as (subscripts string, operands); Ellipsis is '...'."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def spec(sublist):
        out = []
        for s in sublist:
            if s is Ellipsis:
                out.append("...")
            else:
                i = operator.index(s)
                if not 0 <= i < len(letters):
                    raise user_error(ValueError, f"einsum subscript {i} is out of range")
                out.append(letters[i])
        return "".join(out)

    operands = args[0::2][: len(args) // 2]
    inputs = [spec(sub) for sub in args[1::2]]
    subscripts = ",".join(inputs)
    if len(args) % 2:
        subscripts += "->" + spec(args[-1])
    return subscripts, tuple(operands)


def einsum(subscripts, *operands, optimize=None, precision=None, preferred_element_type=None):
    """einsum for explicit or implicit two-operand (and one-operand) forms."""
    if not isinstance(subscripts, str):
        subscripts, operands = _sublist_subscripts((subscripts,) + operands)
    subscripts = subscripts.replace(" ", "")
    ops = _promote("einsum", *[asarray(o) for o in operands])
    if "..." in subscripts:
        subscripts = _expand_ellipsis(subscripts, [_ndim(o) for o in ops])
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
    ops = _broadcast_unit_dims(specs, ops)
    for spec, op in zip(specs, ops):
        if len(spec) != _ndim(op):
            raise user_error(
                ValueError,
                f"einsum: subscript {spec!r} does not match operand of shape {_shape(op)}",
            )
    sizes = {}
    for n, (spec, op) in enumerate(zip(specs, ops)):
        for c, d in zip(spec, _shape(op)):
            if sizes.get(c, d) not in (d, 1) and d != 1:
                raise user_error(
                    ValueError,
                    f"Size of label '{c}' for operand {n} ({sizes[c]}) does not match previous "
                    f"terms ({d}).",
                )
            if sizes.get(c, 1) == 1:
                sizes[c] = d
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


def _expand_ellipsis(subscripts, ndims):
    """`...` spelled out with unused letters, right-aligned across operands
    (the implicit output lists them first, as NumPy does)."""
    inputs, arrow, output = subscripts.partition("->")
    specs = inputs.split(",")
    used = set(subscripts)
    free = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in used]
    ranks = []
    for spec, nd in zip(specs, ndims):
        named = len(spec.replace("...", ""))
        ranks.append(nd - named if "..." in spec else 0)
        if "..." in spec and ranks[-1] < 0:
            raise user_error(
                ValueError, f"einsum: subscript {spec!r} has more letters than dimensions ({nd})"
            )
    width = max(ranks, default=0)
    ell = "".join(free[:width])
    specs = [
        spec.replace("...", ell[width - r :]) if "..." in spec else spec
        for spec, r in zip(specs, ranks)
    ]
    if arrow:
        output = output.replace("...", ell)
    else:
        letters = "".join(specs)
        output = ell + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell)
        )
    return ",".join(specs) + "->" + output


def _broadcast_unit_dims(specs, ops):
    """Size-1 dimensions stretched to the size the same letter has
    elsewhere (NumPy's broadcasting of ellipsis dimensions)."""
    sizes = {}
    for spec, op in zip(specs, ops):
        for c, n in zip(spec, _shape(op)):
            if n != 1:
                sizes[c] = n
    out = []
    for spec, op in zip(specs, ops):
        shape = tuple(sizes.get(c, n) if n == 1 else n for c, n in zip(spec, _shape(op)))
        if len(shape) == len(spec) and shape != _shape(op):
            op = lax.broadcast_in_dim(
                lax.reshape(op, tuple(n for n in _shape(op) if n != 1)),
                shape,
                tuple(k for k, n in enumerate(_shape(op)) if n != 1),
            )
        out.append(op)
    return out


def _einsum_reduce_single(spec, op, keep):
    """Sums out letters of `spec` not in `keep`; takes diagonals of repeats."""
    from .selection import diagonal

    while any(spec.count(c) > 1 for c in spec):
        c = next(c for c in spec if spec.count(c) > 1)
        i = spec.index(c)
        j = spec.index(c, i + 1)
        op = diagonal(op, 0, i, j)  # the diagonal becomes the last axis
        spec = "".join(ch for k, ch in enumerate(spec) if k not in (i, j)) + c
    drop = tuple(i for i, c in enumerate(spec) if c not in keep)
    if drop:
        op = lax.reduce_sum(op, drop)
        spec = "".join(c for c in spec if c in keep)
    return spec, op


# ---------------------------------------------------------------------------


def einsum_path(subscripts, /, *operands, optimize="auto"):
    """The contraction order einsum would use: NumPy's einsum_path on the
    operands' shapes (JAX answers with opt_einsum's equivalent)."""
    shapes = [np.empty(np.shape(o), np.float32) for o in operands]
    return np.einsum_path(
        subscripts, *shapes, optimize="greedy" if optimize == "auto" else optimize
    )
