"""Indexing: integers, slices, None and Ellipsis (basic indexing)."""

import builtins

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, current_trace, dtypes, user_error
from ..runtime.array import Array, device_put
from ..transforms.jit import jit
from .shape import _shape

# Indexing: integers, slices, None and Ellipsis (basic indexing)
# ---------------------------------------------------------------------------


def slice_bounds(start, stop, step, size):
    """(start, limit, stride, reversed) of lax.slice for a normalized Python
    slice on an axis of `size`: a negative step reverses the axis first,
    then slices forward."""
    if step > 0:
        return start, builtins.max(start, stop), step, False
    count = len(range(start, stop, step))
    first = size - 1 - start
    return first, (first + (count - 1) * (-step) + 1 if count else first), -step, True


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
            f"Too many indices: array is {len(shp)}-dimensional, but {n_real} were indexed",
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
            dyn.append((dim, i, 1))
            start.append(0)
            limit.append(size)
            strides.append(1)
            squeeze_dims.append(dim)
        elif isinstance(i, _DynamicSlice):
            dyn.append((dim, i.start, i.length))
            start.append(0)
            limit.append(size)
            strides.append(1)
            out_pos += 1
        elif isinstance(i, (int, np.integer)):
            # Out of range is clamped, as JAX's reads are.
            i = int(i)
            i = builtins.min(builtins.max(i + size if i < 0 else i, 0), size - 1)
            start.append(i)
            limit.append(i + 1)
            strides.append(1)
            squeeze_dims.append(dim)
        elif isinstance(i, builtins.slice):
            lo, hi, step, rev = slice_bounds(*i.indices(size), size)
            start.append(lo)
            limit.append(hi)
            strides.append(step)
            if rev:
                reversed_dims.append(dim)
            out_pos += 1
        else:
            if isinstance(i, str):
                raise user_error(TypeError, f"mlax does not support string indexing; got idx={i!r}")
            kind = np.result_type(i).name if isinstance(i, (float, np.generic)) else None
            raise user_error(
                TypeError,
                f"Indexer must have integer or boolean type, got indexer with type {kind}"
                if kind is not None
                else f"mlax supports basic indexing (int, slice, None, Ellipsis, scalar "
                f"integer arrays) for now; got index of type {type(i).__name__}",
            )
        dim += 1
    out = arr
    if reversed_dims:
        out = lax.rev(out, tuple(reversed_dims))
    out = lax.slice(out, start, limit, strides)
    for d, index, length in dyn:
        starts = [0] * len(shp)
        sizes = list(_shape(out))
        # lax.dynamic_slice counts a negative start from the end (once, as
        # JAX's indexing does) and clamps.
        starts[d] = lax.convert_element_type(index, dtypes.int32)
        sizes[d] = length
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


_INT32_MAX = np.iinfo(np.int32).max


def _is_plain_int(i):
    return (
        isinstance(i, (int, np.integer))
        and not isinstance(i, (bool, np.bool_))
        and -_INT32_MAX <= i <= _INT32_MAX
    )


def _is_scalar_bool(i):
    if isinstance(i, (bool, np.bool_)):
        return True
    if isinstance(i, (np.ndarray, Array)) and not isinstance(i, Tracer):
        return i.shape == () and i.dtype == np.bool_
    return False


def _scalar_bool_getitem(arr, items):
    """x[..., True, ...] / x[..., False, ...] as NumPy: a new axis of length
    1 or 0 where the boolean stands (with basic indices around it)."""
    ndim = len(_shape(arr))
    real = builtins.sum(1 for i in items if i is not None and i is not Ellipsis)
    real -= builtins.sum(1 for i in items if _is_scalar_bool(i))
    position, empty = 0, []
    for i in items:
        if i is Ellipsis:
            position += ndim - real
        elif _is_scalar_bool(i):
            if not bool(i):
                empty.append(position)
            position += 1
        elif i is None or isinstance(i, builtins.slice):
            position += 1
    out = getitem(arr, tuple(None if _is_scalar_bool(i) else i for i in items))
    if empty:
        out = out[
            tuple(
                builtins.slice(0, 0) if d in empty else builtins.slice(None)
                for d in range(len(_shape(out)))
            )
        ]
    return out


def getitem(arr, idx):
    from . import advanced_indexing

    items = idx if isinstance(idx, tuple) else (idx,)
    if builtins.any(_is_scalar_bool(i) for i in items) and not builtins.any(
        advanced_indexing.is_advanced(i) for i in items if not _is_scalar_bool(i)
    ):
        return _scalar_bool_getitem(arr, items)
    if advanced_indexing.is_advanced(idx):
        return advanced_indexing.getitem(arr, idx)
    if _hashable_index(idx):
        items = idx if isinstance(idx, tuple) else (idx,)
        if current_trace() is None:
            return _eager_basic_getitem(arr, items, isinstance(idx, tuple))
        key = tuple(
            (i.start, i.stop, i.step, "s") if isinstance(i, builtins.slice) else i for i in items
        )
        return _getitem_slices(arr, key, isinstance(idx, tuple))
    return _getitem(arr, idx)


class _DynamicSlice:
    """A step-1 slice of static length whose start is an argument."""

    def __init__(self, start, length):
        self.start, self.length = start, length


# Eager basic indexing of an array up to this many elements reads it on the
# host (NumPy's basic indexing is JAX's) and copies the result back: tens
# of microseconds, where the first executable of a shape costs ~0.3 s.
HOST_INDEX_MAX = 1 << 20


def _eager_basic_getitem(arr, items, was_tuple):
    """Eager basic indexing with integer indices and the starts of step-1
    slices passed as arguments (clamped as static ones are), so x[0], x[1],
    ... and x[i:i + n] for every i share one executable."""
    if type(arr) is Array and arr.aval.size <= HOST_INDEX_MAX and not arr.is_deleted():
        try:
            value = arr._value()[items if was_tuple else items[0]]
        except (IndexError, TypeError, ValueError):
            pass  # the traced path raises JAX's error
        else:
            return device_put(np.array(value), arr._device, weak_type=arr.aval.weak_type)
    shape = _shape(arr)
    real = builtins.sum(1 for i in items if i is not None and i is not Ellipsis)
    key, starts, dim = [], [], 0
    for i in items:
        if i is Ellipsis:
            dim += len(shape) - real
            key.append(i)
            continue
        if i is None:
            key.append(i)
            continue
        size = shape[dim] if dim < len(shape) else None
        dim += 1
        if _is_plain_int(i):
            key.append(("int", "d"))
            starts.append(int(i))
        elif isinstance(i, builtins.slice) and size is not None and i.step in (None, 1):
            lo, hi, _ = i.indices(size)
            key.append(("slice", builtins.max(hi - lo, 0), "d"))
            starts.append(lo)
        elif isinstance(i, builtins.slice):
            key.append((i.start, i.stop, i.step, "s"))
        else:
            key.append(i)
    return _getitem_slices(arr, tuple(key), was_tuple, *starts)


def _getitem_slices_impl(arr, key, was_tuple, *starts):
    starts = iter(starts)
    idx = []
    for k in key:
        if isinstance(k, tuple) and len(k) == 4 and k[3] == "s":
            idx.append(builtins.slice(*k[:3]))
        elif isinstance(k, tuple) and k == ("int", "d"):
            idx.append(next(starts))
        elif isinstance(k, tuple) and len(k) == 3 and k[0] == "slice" and k[2] == "d":
            idx.append(_DynamicSlice(next(starts), k[1]))
        else:
            idx.append(k)
    return _getitem(arr, tuple(idx) if was_tuple else idx[0])


_getitem_slices = jit(_getitem_slices_impl, static_argnums=(1, 2))


# ---------------------------------------------------------------------------
