"""Shape manipulation: reshape, transpose, concatenate/stack/split, tile,
repeat, flip and friends."""

import builtins
import operator
import warnings

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, user_error
from ..runtime.array import Array
from .util import _dtype_arg, _promote, asarray, stack_arrays


def _shape(a):
    return aval_of(a).shape


def _ndim(a):
    return aval_of(a).ndim


def _warn_sequence(name, a):
    if isinstance(a, (list, tuple)):
        warnings.warn(
            f"{name} requires ndarray or scalar arguments, got {type(a)} at position 0. In a "
            "future mlax release this will be an error.",
            DeprecationWarning,
            stacklevel=3,
        )


def shape(a):
    _warn_sequence("shape", a)
    return _shape(asarray(a))


def ndim(a):
    _warn_sequence("ndim", a)
    return _ndim(asarray(a))


def size(a):
    _warn_sequence("size", a)
    return aval_of(asarray(a)).size


def reshape(a, newshape=None, order="C", *, shape=None):
    if shape is not None:
        newshape = shape
    if order == "A":
        raise user_error(NotImplementedError, "np.reshape order=A is not implemented.")
    if order not in ("C", "F"):
        raise user_error(ValueError, f"Unexpected value for 'order' argument: {order}.")
    a = asarray(a)
    newshape = (newshape,) if isinstance(newshape, (int, np.integer)) else tuple(newshape)
    total = aval_of(a).size
    if builtins.sum(1 for d in newshape if d == -1) > 1:
        raise user_error(
            TypeError,
            f"can only specify one unknown axis size with a `-1` value, got {newshape}",
        )
    if -1 in newshape:
        known = int(np.prod([d for d in newshape if d != -1], dtype=np.int64))
        if known == 0 or total % known:
            why = (
                ""
                if known == 0
                else f" because the product of specified axis sizes ({known}) does not evenly "
                f"divide {total}"
            )
            raise user_error(
                TypeError,
                f"cannot reshape array of shape {_shape(a)} (size {total}) into shape "
                f"{newshape}{why}",
            )
        newshape = tuple(total // known if d == -1 else d for d in newshape)
    if int(np.prod(newshape, dtype=np.int64)) != total:
        raise user_error(
            TypeError,
            f"cannot reshape array of shape {_shape(a)} (size {total}) "
            f"into shape {newshape} (size "
            f"{int(np.prod(newshape, dtype=np.int64))})",
        )
    if order == "F" and _ndim(a) > 0:
        # Column-major: reverse the axes, reshape to the reversed shape, reverse back.
        return transpose(lax.reshape(transpose(a), newshape[::-1]))
    return lax.reshape(a, newshape)


def ravel(a, order="C"):
    if order == "K":
        raise user_error(NotImplementedError, "Ravel not implemented for order='K'.")
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    a = asarray(a)
    n = _ndim(a)
    if axes is None:
        return lax.transpose(a, tuple(reversed(range(n))))
    perm = tuple(operator.index(i) for i in axes)
    for i in perm:
        if not -n <= i < n:
            raise user_error(ValueError, f"axis {i} is out of bounds for array of dimension {n}")
    canon = tuple(i % n for i in perm)
    if sorted(canon) != list(range(n)):
        # JAX's TypeError for a repeated axis or a wrong count
        raise user_error(
            TypeError,
            f"transpose permutation isn't a permutation of operand dimensions, got "
            f"permutation {perm} for operand shape {_shape(a)}.",
        )
    return lax.transpose(a, canon)


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    n = _ndim(a)
    perm = list(range(n))
    # JAX swaps two entries of a NumPy permutation: NumPy's IndexError, axis2
    # read first. Each axis stands alone: (0, -1) of a 1-D array is allowed.
    i, j = operator.index(axis1), operator.index(axis2)
    for axis in (j, i):
        if not -n <= axis < n:
            raise user_error(IndexError, f"index {axis} is out of bounds for axis 0 with size {n}")
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


def _key_arrays(arrays):
    """Typed PRNG key arrays (random.keys.PRNGKeyArray: `_key_data` and
    `_with_key_data`) all, or None: joined as their uint32 data, whose last
    axis is the key's."""
    if arrays and builtins.all(hasattr(a, "_with_key_data") for a in arrays):
        return arrays
    return None


def concatenate(arrays, axis=0, dtype=None):
    if isinstance(arrays, (Array, Tracer)):
        arrays = list(arrays)
    if not len(arrays):
        raise user_error(ValueError, "Need at least one array to concatenate.")
    if (keys := _key_arrays(list(arrays))) is not None:
        axis = lax._canon_axes("concatenate", (axis,), keys[0].ndim)[0]
        data = concatenate([k._key_data for k in keys], axis)
        return keys[0]._with_key_data(data)
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
    if (keys := _key_arrays(list(arrays))) is not None:
        axis = lax._canon_axes("stack", (axis,), keys[0].ndim + 1)[0]
        return keys[0]._with_key_data(stack([k._key_data for k in keys], axis))
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise user_error(ValueError, "Need at least one array to stack.")
    if dtype is not None:
        arrays = [lax.convert_element_type(a, _dtype_arg(dtype)) for a in arrays]
    axis = lax._canon_axes("stack", (axis,), _ndim(arrays[0]) + 1)[0]
    return stack_arrays(arrays, axis)


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
                "array split does not result in an equal division: "
                + (f"rest is {n % sections}" if sections > 0 else f"{sections} sections"),
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
