"""mlax.numpy, continued: shape manipulation, linear algebra, indexing and
the operators/methods of mlax.Array and tracers."""

import builtins

import numpy as np

from . import dtypes, lax
from .array import Array
from .core import Tracer, aval_of, user_error
from .dispatch import jit
from .numpy_core import (
    _dtype_arg,
    _is_array,
    _promote,
    absolute,
    add,
    all,
    any,
    argmax,
    argmin,
    asarray,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    broadcast_to,
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
    max,
    mean,
    min,
    multiply,
    negative,
    not_equal,
    positive,
    power,
    prod,
    remainder,
    right_shift,
    round,
    std,
    subtract,
    sum,
    var,
)


def _shape(a):
    return aval_of(a).shape


def _ndim(a):
    return aval_of(a).ndim


def shape(a):
    return _shape(asarray(a))


def ndim(a):
    return _ndim(asarray(a))


def size(a):
    return aval_of(asarray(a)).size


def reshape(a, newshape=None, order="C", *, shape=None):
    if shape is not None:
        newshape = shape
    if order != "C":
        raise user_error(NotImplementedError, "reshape only supports order='C'")
    a = asarray(a)
    newshape = (newshape,) if isinstance(newshape, (int, np.integer)) else tuple(newshape)
    total = aval_of(a).size
    if builtins.sum(1 for d in newshape if d == -1) > 1:
        raise user_error(ValueError, "can only specify one unknown dimension")
    if -1 in newshape:
        known = int(np.prod([d for d in newshape if d != -1], dtype=np.int64))
        if known == 0 or total % known:
            raise user_error(
                TypeError,
                f"cannot reshape array of shape {_shape(a)} (size {total}) into shape {newshape}",
            )
        newshape = tuple(total // known if d == -1 else d for d in newshape)
    if int(np.prod(newshape, dtype=np.int64)) != total:
        raise user_error(
            TypeError,
            f"cannot reshape array of shape {_shape(a)} (size {total}) "
            f"into shape {newshape} (size "
            f"{int(np.prod(newshape, dtype=np.int64))})",
        )
    return lax.reshape(a, newshape)


def ravel(a, order="C"):
    return reshape(a, (-1,))


def transpose(a, axes=None):
    a = asarray(a)
    n = _ndim(a)
    axes = (
        tuple(reversed(range(n))) if axes is None else lax._canon_axes("transpose", tuple(axes), n)
    )
    if len(axes) != n:
        raise user_error(ValueError, f"axes {axes} don't match array of shape {_shape(a)}")
    return lax.transpose(a, axes)


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    perm = list(range(_ndim(a)))
    i, j = (
        lax._canon_axes("swapaxes", (axis1, axis2), _ndim(a))
        if axis1 != axis2
        else (lax._canon_axes("swapaxes", (axis1,), _ndim(a)) * 2)
    )
    perm[i], perm[j] = perm[j], perm[i]
    return lax.transpose(a, perm)


def moveaxis(a, source, destination):
    a = asarray(a)
    n = _ndim(a)
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(source) != len(destination):
        raise user_error(
            ValueError, f"Inconsistent number of elements: {len(source)} vs {len(destination)}"
        )
    source = lax._canon_axes("moveaxis", source, n)
    destination = lax._canon_axes("moveaxis", destination, n)
    perm = [i for i in range(n) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        perm.insert(dest, src)
    return lax.transpose(a, perm)


def expand_dims(a, axis):
    a = asarray(a)
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    return lax.expand_dims(a, axis)


def squeeze(a, axis=None):
    a = asarray(a)
    if axis is None:
        axis = tuple(i for i, d in enumerate(_shape(a)) if d == 1)
    elif isinstance(axis, int):
        axis = (axis,)
    return lax.squeeze(a, axis)


def atleast_1d(*arys):
    out = [reshape(a, (1,)) if _ndim(asarray(a)) == 0 else asarray(a) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        out.append(reshape(a, (1,) * (2 - _ndim(a)) + _shape(a)) if _ndim(a) < 2 else a)
    return out[0] if len(out) == 1 else out


def concatenate(arrays, axis=0, dtype=None):
    if isinstance(arrays, (Array, Tracer)):
        arrays = list(arrays)
    if not len(arrays):
        raise user_error(ValueError, "Need at least one array to concatenate.")
    arrays = [asarray(a) for a in arrays]
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    if builtins.any(_ndim(a) == 0 for a in arrays):
        raise user_error(ValueError, "Zero-dimensional arrays cannot be concatenated.")
    arrays = _promote("concatenate", *arrays)
    if dtype is not None:
        arrays = [lax.convert_element_type(a, _dtype_arg(dtype)) for a in arrays]
    axis = lax._canon_axes("concatenate", (axis,), _ndim(arrays[0]))[0]
    return lax.concatenate(arrays, axis)


def stack(arrays, axis=0, dtype=None):
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise user_error(ValueError, "Need at least one array to stack.")
    shapes = {_shape(a) for a in arrays}
    if len(shapes) != 1:
        raise user_error(
            ValueError,
            f"All input arrays must have the same shape, got {[_shape(a) for a in arrays]}",
        )
    axis = lax._canon_axes("stack", (axis,), _ndim(arrays[0]) + 1)[0]
    return concatenate([lax.expand_dims(a, (axis,)) for a in arrays], axis, dtype)


def vstack(tup, dtype=None):
    return concatenate([atleast_2d(a) for a in tup], 0, dtype)


def hstack(tup, dtype=None):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, 0 if _ndim(arrs[0]) == 1 else 1, dtype)


def split(ary, indices_or_sections, axis=0):
    ary = asarray(ary)
    axis = lax._canon_axes("split", (axis,), _ndim(ary))[0]
    n = _shape(ary)[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0 or n % sections:
            raise user_error(
                ValueError,
                f"array split does not result in an equal division: "
                f"size {n} into {sections} sections",
            )
        bounds = [i * (n // sections) for i in range(sections + 1)]
    else:
        bounds = [0] + [builtins.min(builtins.max(int(i), 0), n) for i in indices_or_sections] + [n]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        start = [0] * _ndim(ary)
        limit = list(_shape(ary))
        start[axis], limit[axis] = lo, builtins.max(lo, hi)
        out.append(lax.slice(ary, start, limit))
    return out


def tile(A, reps):
    A = asarray(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    nd = builtins.max(len(reps), _ndim(A))
    reps = (1,) * (nd - len(reps)) + reps
    A = reshape(A, (1,) * (nd - _ndim(A)) + _shape(A))
    shp = _shape(A)
    # Broadcast to (r0, s0, r1, s1, ...) then merge pairs.
    expanded = lax.broadcast_in_dim(
        A, tuple(x for r, s in zip(reps, shp) for x in (r, s)), tuple(range(1, 2 * nd, 2))
    )
    return reshape(expanded, tuple(r * s for r, s in zip(reps, shp)))


def repeat(a, repeats, axis=None, total_repeat_length=None):
    a = asarray(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    if not isinstance(repeats, (int, np.integer)):
        raise user_error(
            NotImplementedError,
            "repeat with per-element repeats is not supported yet; pass an integer",
        )
    axis = lax._canon_axes("repeat", (axis,), _ndim(a))[0]
    shp = _shape(a)
    new_shape = shp[: axis + 1] + (int(repeats),) + shp[axis + 1 :]
    dims = tuple(i if i <= axis else i + 1 for i in range(len(shp)))
    b = lax.broadcast_in_dim(a, new_shape, dims)
    return reshape(b, shp[:axis] + (shp[axis] * int(repeats),) + shp[axis + 1 :])


def flip(m, axis=None):
    m = asarray(m)
    axes = (
        tuple(range(_ndim(m)))
        if axis is None
        else lax._canon_axes("flip", (axis,) if isinstance(axis, int) else tuple(axis), _ndim(m))
    )
    return lax.rev(m, axes)


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


# ---------------------------------------------------------------------------
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
# Indexing: integers, slices, None and Ellipsis (basic indexing)
# ---------------------------------------------------------------------------


def _getitem(arr, idx):
    if not isinstance(idx, tuple):
        idx = (idx,)
    shp = _shape(arr)
    n_real = builtins.sum(1 for i in idx if i is not None and i is not Ellipsis)
    if builtins.sum(1 for i in idx if i is Ellipsis) > 1:
        raise user_error(IndexError, "an index can only have a single ellipsis ('...')")
    if n_real > len(shp):
        raise user_error(
            IndexError,
            f"Too many indices for array: {n_real} non-None/Ellipsis indices for dim {len(shp)}.",
        )
    expanded = []
    for i in idx:
        if i is Ellipsis:
            expanded.extend([builtins.slice(None)] * (len(shp) - n_real))
        else:
            expanded.append(i)
    expanded.extend(
        [builtins.slice(None)] * (len(shp) - builtins.sum(1 for i in expanded if i is not None))
    )
    start, limit, strides, reversed_dims = [], [], [], []
    squeeze_dims, new_axes, dyn = [], [], []
    dim = 0
    out_pos = 0
    for i in expanded:
        if i is None:
            new_axes.append(out_pos)
            out_pos += 1
            continue
        size = shp[dim]
        if (
            isinstance(i, (Array, Tracer))
            and aval_of(i).shape == ()
            and dtypes.is_int(aval_of(i).dtype)
        ):
            dyn.append((dim, i))
            start.append(0)
            limit.append(size)
            strides.append(1)
            squeeze_dims.append(dim)
        elif isinstance(i, (int, np.integer)):
            i = int(i)
            if not -size <= i < size:
                raise user_error(
                    IndexError, f"index {i} is out of bounds for axis {dim} with size {size}"
                )
            i %= size
            start.append(i)
            limit.append(i + 1)
            strides.append(1)
            squeeze_dims.append(dim)
        elif isinstance(i, builtins.slice):
            s, e, st = i.indices(size)
            if st > 0:
                start.append(s)
                limit.append(builtins.max(s, e))
                strides.append(st)
            else:
                # Reverse, then slice forward.
                n = len(range(s, e, st))
                reversed_dims.append(dim)
                rs = size - 1 - s
                start.append(rs)
                limit.append(rs + (n - 1) * (-st) + 1 if n else rs)
                strides.append(-st)
            out_pos += 1
        else:
            raise user_error(
                TypeError,
                f"mlax supports basic indexing (int, slice, None, Ellipsis, scalar "
                f"integer arrays) for now; got index of type {type(i).__name__}",
            )
        dim += 1
    out = arr
    if reversed_dims:
        out = lax.rev(out, tuple(reversed_dims))
    out = lax.slice(out, start, limit, strides)
    for d, index in dyn:
        starts = [0] * len(shp)
        sizes = list(_shape(out))
        size = shp[d]
        index = lax.convert_element_type(index, dtypes.int32)
        index = lax.select(
            lax.lt(index, lax._scalar_like(index, 0)),
            lax.add(index, lax._scalar_like(index, size)),
            index,
        )
        starts[d] = index
        sizes[d] = 1
        out = lax.dynamic_slice(out, starts, sizes)
    if squeeze_dims:
        out = lax.squeeze(out, tuple(squeeze_dims))
    if new_axes:
        out = lax.expand_dims(out, tuple(new_axes))
    return out


_getitem_jit = jit(_getitem, static_argnums=(1,))


def _hashable_index(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    return builtins.all(not isinstance(i, (Array, Tracer, list, np.ndarray)) for i in items)


def getitem(arr, idx):
    if _hashable_index(idx):
        key = tuple(
            (i.start, i.stop, i.step, "s") if isinstance(i, builtins.slice) else i
            for i in (idx if isinstance(idx, tuple) else (idx,))
        )
        return _getitem_slices(arr, key, isinstance(idx, tuple))
    return _getitem(arr, idx)


def _getitem_slices_impl(arr, key, was_tuple):
    idx = tuple(
        builtins.slice(*k[:3]) if isinstance(k, tuple) and len(k) == 4 and k[3] == "s" else k
        for k in key
    )
    return _getitem(arr, idx if was_tuple else idx[0])


_getitem_slices = jit(_getitem_slices_impl, static_argnums=(1, 2))


# ---------------------------------------------------------------------------
# Operators and methods shared by Array and Tracer
# ---------------------------------------------------------------------------


def _defer(fn, reverse=False):
    def op(self, other):
        if not (_is_array(other) or isinstance(other, (bool, int, float, np.ndarray, np.generic))):
            return NotImplemented
        return fn(other, self) if reverse else fn(self, other)

    return op


def _astype(self, dtype, copy=False):
    return lax.convert_element_type(self, _dtype_arg(dtype))


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
    "astype": _astype,
    "reshape": _reshape_method,
    "transpose": _transpose_method,
    "T": property(lambda self: transpose(self)),
    "mT": property(lambda self: swapaxes(self, -1, -2)),
    "ravel": lambda self, order="C": ravel(self),
    "flatten": lambda self: ravel(self),
    "squeeze": lambda self, axis=None: squeeze(self, axis),
    "swapaxes": lambda self, a, b: swapaxes(self, a, b),
    "sum": lambda self, axis=None, dtype=None, keepdims=False: sum(
        self, axis, dtype, keepdims=keepdims
    ),
    "prod": lambda self, axis=None, dtype=None, keepdims=False: prod(
        self, axis, dtype, keepdims=keepdims
    ),
    "mean": lambda self, axis=None, dtype=None, keepdims=False: mean(
        self, axis, dtype, keepdims=keepdims
    ),
    "max": lambda self, axis=None, keepdims=False: max(self, axis, keepdims=keepdims),
    "min": lambda self, axis=None, keepdims=False: min(self, axis, keepdims=keepdims),
    "var": lambda self, axis=None, dtype=None, ddof=0, keepdims=False: var(
        self, axis, dtype, ddof=ddof, keepdims=keepdims
    ),
    "std": lambda self, axis=None, dtype=None, ddof=0, keepdims=False: std(
        self, axis, dtype, ddof=ddof, keepdims=keepdims
    ),
    "argmax": lambda self, axis=None, keepdims=False: argmax(self, axis, keepdims=keepdims),
    "argmin": lambda self, axis=None, keepdims=False: argmin(self, axis, keepdims=keepdims),
    "all": lambda self, axis=None, keepdims=False: all(self, axis, keepdims=keepdims),
    "any": lambda self, axis=None, keepdims=False: any(self, axis, keepdims=keepdims),
    "dot": lambda self, other: dot(self, other),
    "clip": lambda self, min=None, max=None: clip(self, min, max),
    "round": lambda self, decimals=0: round(self, decimals),
    "conj": lambda self: self,
    "conjugate": lambda self: self,
    "real": property(lambda self: self),
}

for _name, _method in _METHODS.items():
    setattr(Array, _name, _method)
    setattr(Tracer, _name, _method)
Tracer.__iter__ = _iter
