"""NumPy advanced indexing and `.at[]`, on mlax.gather / mlax.scatter.

An index is first parsed into entries, one per position of the (Ellipsis-
expanded) index tuple: a slice, a new axis (None), or an advanced index (an
integer array, or a Python integer when arrays are present; a boolean array
becomes one integer array per dimension it covers). Slices apply first; the
advanced indices, broadcast together, form the index vectors of one point
gather (or scatter) over their dimensions. NumPy's placement rule then puts
the broadcast dimensions where the first advanced index stood if the
advanced indices are adjacent, else first. Out-of-range reads clamp and
out-of-range writes are dropped, as in JAX.
"""

import builtins

import numpy as np

from .. import lax
from ..core import JAXIndexError, Tracer, aval_of, dtypes, user_error
from ..lax.indexing import gather_points, scatter_points
from ..runtime.array import Array
from ..transforms.jit import jit
from .indexing import slice_bounds
from .shape import _shape


class NonConcreteBooleanIndexError(JAXIndexError):
    """JAX's error for a boolean mask whose value is not known (under jit)."""


def is_advanced(idx):
    """Whether an index needs gather/scatter (an array or list that is not a
    scalar integer array)."""
    items = idx if isinstance(idx, tuple) else (idx,)
    for i in items:
        if isinstance(i, (list, np.ndarray, Array, Tracer)):
            aval = aval_of(np.asarray(i) if isinstance(i, list) else i)
            if aval.shape != () or aval.dtype == np.bool_:
                return True
    return False


# ---------------------------------------------------------------------------
# Parsing: (static structure, dynamic index arrays)
# ---------------------------------------------------------------------------


def _as_index_array(i):
    """An index entry that is an array: integer arrays pass through; concrete
    boolean masks become their nonzero positions."""
    if isinstance(i, list):
        i = np.asarray(i)
        if i.dtype == object:
            raise user_error(IndexError, f"invalid index {i!r}")
        if i.dtype == np.float64 and i.size == 0:
            i = i.astype(np.int32)
    aval = aval_of(i)
    if aval.dtype == np.bool_:
        if isinstance(i, Tracer):
            raise user_error(
                NonConcreteBooleanIndexError,
                f"Array boolean indices must be concrete; got a traced mask of shape "
                f"{aval.shape}. Use jnp.where or the size= argument of jnp.nonzero.",
            )
        return [a.astype(np.int32) for a in np.nonzero(np.asarray(i))]
    if not dtypes.is_int(aval.dtype):
        raise user_error(
            TypeError,
            f"Indexer must have integer or boolean type, got indexer with type "
            f"{getattr(i, 'dtype', aval.dtype)} (shape {aval.shape})",
        )
    return [i]


def parse(shape, idx):
    """(entries, arrays): entries are ("slice", start, stop, step),
    ("none",), ("array", k) for arrays[k], ("int", value); Ellipsis is
    expanded and missing trailing dimensions become full slices."""
    if isinstance(idx, list):
        raise user_error(
            TypeError,
            "Using a non-tuple sequence for multidimensional indexing is not allowed; use "
            "`arr[array(seq)]` instead of `arr[seq]`. See "
            "https://github.com/jax-ml/jax/issues/4564 for more information.",
        )
    if not isinstance(idx, tuple):
        idx = (idx,)
    if builtins.sum(1 for i in idx if i is Ellipsis) > 1:
        raise user_error(IndexError, "an index can only have a single ellipsis ('...')")
    arrays, items = [], []
    for i in idx:
        if i is None or i is Ellipsis or isinstance(i, builtins.slice):
            items.append(i)
        elif isinstance(i, (bool, np.bool_)):
            items.extend(("array", a) for a in _as_index_array(np.asarray(i)))
        elif isinstance(i, (int, np.integer)):
            items.append(("int", int(i)))
        else:
            items.extend(("array", a) for a in _as_index_array(i))
    n_real = builtins.sum(1 for i in items if i is not None and i is not Ellipsis)
    if n_real > len(shape):
        raise user_error(
            IndexError,
            f"Too many indices: array is {len(shape)}-dimensional, but {n_real} were indexed",
        )
    entries, dim = [], 0
    for i in items:
        if i is Ellipsis:
            for _ in range(len(shape) - n_real):
                entries.append(("slice",) + builtins.slice(None).indices(shape[dim]))
                dim += 1
        elif i is None:
            entries.append(("none",))
        elif isinstance(i, builtins.slice):
            entries.append(("slice",) + i.indices(shape[dim]))
            dim += 1
        elif i[0] == "int":
            # Out of range, as in JAX, is no error: the index (kept in
            # int32, still out of range) is clamped by reads, dropped by
            # updates.
            n = shape[dim]
            entries.append(
                ("int", i[1] % n if -n <= i[1] < n else builtins.min(builtins.max(i[1], -n - 1), n))
            )
            dim += 1
        else:
            entries.append(("array", len(arrays)))
            arrays.append(i[1])
            dim += 1
    while dim < len(shape):
        entries.append(("slice",) + builtins.slice(None).indices(shape[dim]))
        dim += 1
    return tuple(entries), arrays


# ---------------------------------------------------------------------------
# The shared plan: slices applied, index vectors, result layout
# ---------------------------------------------------------------------------


def _apply_slices(x, entries):
    """x with every slice entry applied (dimensions kept)."""
    shp = _shape(x)
    start, limit, strides, reversed_dims = [], [], [], []
    dim = 0
    for e in entries:
        if e[0] == "none":
            continue
        n = shp[dim]
        if e[0] == "slice":
            lo, hi, step, rev = slice_bounds(*e[1:], n)
            start.append(lo)
            limit.append(hi)
            strides.append(step)
            if rev:
                reversed_dims.append(dim)
        else:
            start.append(0)
            limit.append(n)
            strides.append(1)
        dim += 1
    if reversed_dims:
        x = lax.rev(x, tuple(reversed_dims))
    if any(s != 0 or lim != n or st != 1 for s, lim, st, n in zip(start, limit, strides, shp)):
        x = lax.slice(x, start, limit, strides)
    return x


def _index_vectors(entries, arrays, shape):
    """(indices [B..., K] int32, dims, B): the advanced entries broadcast
    together, negative values wrapped once."""
    advanced, dims, dim = [], [], 0
    for e in entries:
        if e[0] == "none":
            continue
        if e[0] in ("array", "int"):
            value = arrays[e[1]] if e[0] == "array" else np.int32(e[1])
            advanced.append(value)
            dims.append(dim)
        dim += 1
    shapes = [aval_of(a).shape for a in advanced]
    try:
        batch = np.broadcast_shapes(*shapes)
    except ValueError:
        raise user_error(
            IndexError,
            f"shape mismatch: indexing arrays could not be broadcast together with shapes "
            f"{' '.join(str(s) for s in shapes)}",
        ) from None
    columns = []
    for a, d in zip(advanced, dims):
        a = _wrap_indices(a, shape[d], None)
        a = lax.broadcast_in_dim(
            a, batch + (1,), tuple(range(len(batch) - len(aval_of(a).shape), len(batch)))
        )
        columns.append(a)
    indices = columns[0] if len(columns) == 1 else lax.concatenate(columns, len(batch))
    return indices, tuple(dims), batch


def _layout(entries):
    """Where the broadcast dimensions go: the position among the output's
    non-advanced dimensions (adjacent advanced entries: where the first
    stood; else 0), and the kinds of the non-advanced entries in order."""
    positions = [k for k, e in enumerate(entries) if e[0] in ("array", "int")]
    adjacent = positions == list(range(positions[0], positions[-1] + 1))
    others = [e[0] for e in entries if e[0] not in ("array", "int")]
    at = builtins.sum(1 for e in entries[: positions[0]] if e[0] not in ("array", "int"))
    return (at if adjacent else 0), others


def _arrange(rows, entries, batch_rank):
    """Gathered rows [B..., rest...] -> NumPy's layout (with new axes)."""
    at, others = _layout(entries)
    n_rest = builtins.sum(1 for k in others if k == "slice")
    rest_before = builtins.sum(1 for k in others[:at] if k == "slice")
    perm = (
        list(range(batch_rank, batch_rank + rest_before))
        + list(range(batch_rank))
        + list(range(batch_rank + rest_before, batch_rank + n_rest))
    )
    if perm != list(range(len(perm))):
        rows = lax.transpose(rows, perm)
    shp = list(_shape(rows))
    out, k = [], 0
    for pos, kind in enumerate(others):
        if pos == at:
            out.extend(shp[k : k + batch_rank])
            k += batch_rank
        if kind == "none":
            out.append(1)
        else:
            out.append(shp[k])
            k += 1
    if at == len(others):
        out.extend(shp[k : k + batch_rank])
    return lax.reshape(rows, tuple(out)) if tuple(out) != tuple(shp) else rows


def _unarrange(values, entries, batch, rest):
    """Updates broadcast to NumPy's indexed shape -> [B..., rest...]."""
    at, others = _layout(entries)
    indexed = []
    k = 0
    for pos, kind in enumerate(others):
        if pos == at:
            indexed.extend(batch)
        if kind == "none":
            indexed.append(1)
        else:
            indexed.append(rest[k])
            k += 1
    if at == len(others):
        indexed.extend(batch)
    values = _broadcast_update(values, tuple(indexed))
    # Drop the new axes, then move the broadcast dims to the front.
    rest_before = builtins.sum(1 for k in others[:at] if k == "slice")
    values = lax.reshape(
        values, tuple(rest[:rest_before]) + tuple(batch) + tuple(rest[rest_before:])
    )
    nb = len(batch)
    perm = (
        list(range(rest_before, rest_before + nb))
        + list(range(rest_before))
        + list(range(rest_before + nb, nb + len(rest)))
    )
    return lax.transpose(values, perm) if perm != list(range(len(perm))) else values


def _broadcast_update(values, shape):
    vshape = aval_of(values).shape
    try:
        if np.broadcast_shapes(vshape, shape) != shape:
            raise ValueError
    except ValueError:
        raise user_error(
            ValueError,
            f"Incompatible shapes for broadcasting: {vshape} and requested shape {shape}",
        ) from None
    if vshape == shape:
        return values
    return lax.broadcast_in_dim(values, shape, tuple(range(len(shape) - len(vshape), len(shape))))


# ---------------------------------------------------------------------------
# Reads and writes
# ---------------------------------------------------------------------------


def _gather_impl(x, arrays, entries, mode, fill_value):
    sliced = _apply_slices(x, entries)
    indices, dims, batch = _index_vectors(entries, arrays, _shape(sliced))
    rows = gather_points(sliced, indices, dims, mode=mode, fill_value=fill_value)
    return _arrange(rows, entries, len(batch))


_gather_jit = jit(_gather_impl, static_argnums=(2, 3, 4))


def getitem(x, idx, mode=None, fill_value=None):
    """x[idx] with NumPy's advanced indexing (reads clamp, or fill)."""
    entries, arrays = parse(_shape(x), idx)
    if not any(e[0] in ("array", "int") for e in entries):
        from .indexing import getitem as basic_getitem

        return basic_getitem(x, idx)
    # JAX's default is promise_in_bounds: clamped reads whose transpose
    # drops out-of-range cotangents.
    mode = {None: "promise_in_bounds", "fill": "fill", "clip": "clip"}.get(
        mode, "promise_in_bounds"
    )
    return _gather_jit(x, arrays, entries, mode, fill_value)


_KINDS = {"set": "replace", "add": "add", "multiply": "mul", "min": "min", "max": "max"}


def _update_impl(x, arrays, values, entries, kind, mode):
    shape = _shape(x)
    is_bool = aval_of(x).dtype == np.bool_
    if is_bool:  # IREE's scatter takes no i1: update as int8
        x = lax.convert_element_type(x, np.int8)
    values = lax.convert_element_type(values, aval_of(x).dtype)
    # Slices (step 1) pick a region; it is updated and written back.
    region_start, region_limit, inner = [], [], []
    dim = 0
    for e in entries:
        if e[0] == "slice":
            s, stop, st = e[1:]
            if st != 1:
                raise user_error(
                    NotImplementedError,
                    "mlax's .at[] supports slices with step 1 for now; got step "
                    f"{st} on axis {dim}",
                )
            region_start.append(s)
            region_limit.append(builtins.max(s, stop))
            inner.append(("slice", 0, builtins.max(s, stop) - s, 1))
            dim += 1
        elif e[0] == "none":
            inner.append(e)
        else:
            region_start.append(0)
            region_limit.append(shape[dim])
            inner.append(e)
            dim += 1
    inner = tuple(inner)
    whole = region_start == [0] * len(shape) and region_limit == list(shape)
    region = x if whole else lax.slice(x, region_start, region_limit)
    rshape = _shape(region)
    if not any(e[0] in ("array", "int") for e in inner):
        # Basic indexing only: combine over the whole region.
        full = tuple(
            1 if e[0] == "none" else rshape[builtins.sum(1 for f in inner[:k] if f[0] != "none")]
            for k, e in enumerate(inner)
        )
        v = lax.reshape(_broadcast_update(values, full), rshape)
        updated = _combine(region, v, kind)
    else:
        indices, dims, batch = _index_vectors(inner, arrays, rshape)
        rest = tuple(n for d, n in enumerate(rshape) if d not in dims)
        v = _unarrange(values, inner, batch, rest)
        updated = scatter_points(region, indices, v, dims, kind=kind, mode=mode)
    if not whole:
        updated = lax.dynamic_update_slice(x, updated, [np.int32(s) for s in region_start])
    if is_bool:
        updated = lax.ne(updated, lax.full((), 0, np.int8))
    return updated


def _combine(a, b, kind):
    if kind == "replace":
        return b
    if kind == "add":
        return lax.add(a, b)
    if kind == "mul":
        return lax.mul(a, b)
    if kind == "min":
        return lax.min(a, b)
    return lax.max(a, b)


_update_jit = jit(_update_impl, static_argnums=(3, 4, 5))


def update(x, idx, values, kind, mode=None):
    entries, arrays = parse(_shape(x), idx)
    scatter_mode = "clip" if mode == "clip" else "fill"
    if any(e[0] == "slice" and e[3] != 1 for e in entries):
        return _strided_update(x, idx, values, kind, scatter_mode)
    return _update_jit(x, arrays, values, entries, kind, scatter_mode)


def _strided_update(x, idx, values, kind, mode):
    """x.at[idx] with a slice of step != 1: the flat positions x[idx] reads
    (indexing an iota, so NumPy's placement of every dimension holds) are
    updated in the flattened array. Out-of-range integer indices read the
    position `size`, which the scatter then drops (or clamps, for 'clip')."""
    shape = _shape(x)
    size = int(np.prod(shape, dtype=np.int64))
    positions = lax.reshape(lax.iota(np.int32, size), shape)
    if mode == "clip":
        flat_index = getitem(positions, idx, mode="clip")
    else:
        flat_index = getitem(positions, idx, mode="fill", fill_value=size)
    flat = lax.reshape(x, (size,))
    updated = update(flat, (flat_index,), values, kind, "clip" if mode == "clip" else None)
    return lax.reshape(updated, shape)


class _IndexUpdateRef:
    """x.at[idx]: JAX's functional updates."""

    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array = array
        self.index = index

    def get(self, *, indices_are_sorted=False, unique_indices=False, mode=None, fill_value=None):
        from .indexing import getitem as basic_getitem

        mode = _mode_name(mode)
        if mode is None and fill_value is None:
            return basic_getitem(self.array, self.index)
        return getitem(self.array, self.index, mode=mode, fill_value=fill_value)

    def _update(self, values, kind, mode):
        from .util import asarray

        return update(asarray(self.array), self.index, asarray(values), kind, _mode_name(mode))

    def set(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        return self._update(values, "replace", mode)

    def add(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        return self._update(values, "add", mode)

    def subtract(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        from .ufuncs import negative

        return self._update(negative(values), "add", mode)

    def multiply(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        return self._update(values, "mul", mode)

    mul = multiply

    def divide(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        from .ufuncs import divide

        return self.apply(lambda v: divide(v, values), mode=mode)

    def power(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        from .ufuncs import power

        return self.apply(lambda v: power(v, values), mode=mode)

    def min(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        return self._update(values, "min", mode)

    def max(self, values, *, indices_are_sorted=False, unique_indices=False, mode=None):
        return self._update(values, "max", mode)

    def apply(self, func, *, indices_are_sorted=False, unique_indices=False, mode=None):
        mode = _mode_name(mode)
        current = self.get(mode="clip" if mode == "clip" else None)
        return self._update(func(current), "replace", mode)

    def __repr__(self):
        return f"_IndexUpdateRef({self.array!r}, {self.index!r})"


class _IndexUpdateHelper:
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, index):
        return _IndexUpdateRef(self.array, index)

    def __repr__(self):
        return f"_IndexUpdateHelper({self.array!r})"


# ---------------------------------------------------------------------------
# take, take_along_axis
# ---------------------------------------------------------------------------


def _wrap_indices(indices, n, mode):
    """Negative indices count from the end (mode "clip" clamps them to 0
    instead, as JAX does); mode "wrap" takes them mod n."""
    indices = lax.convert_element_type(indices, np.int32)
    if mode == "clip":
        return indices
    if mode == "wrap":
        return lax.rem(lax.add(lax.rem(indices, np.int32(n)), np.int32(n)), np.int32(n))
    return lax.select(lax.lt(indices, 0), lax.add(indices, np.int32(n)), indices)


def _mode_name(mode):
    """JAX's `mode=` of gathers and scatters as None, "clip", "fill" or
    "promise_in_bounds" (JAX's ValueError for anything else)."""
    if mode is None:
        return None
    return {
        lax.GatherScatterMode.CLIP: "clip",
        lax.GatherScatterMode.FILL_OR_DROP: "fill",
        lax.GatherScatterMode.PROMISE_IN_BOUNDS: "promise_in_bounds",
    }[lax.GatherScatterMode.from_any(mode, None)]


def _gather_mode(name, mode):
    if name == "take":
        # jnp.take's own modes, with its own errors
        if mode == "raise":
            raise user_error(NotImplementedError, "The 'raise' mode to jnp.take is not supported.")
        if mode not in (None, "fill", "clip", "wrap", "promise_in_bounds"):
            raise user_error(ValueError, f"Invalid mode '{mode}' for np.take")
    else:
        mode = _mode_name(mode)
    if mode is None or mode == "fill":
        return "fill"
    return "clip"


def _take_impl(a, indices, axis, mode, fill_value):
    from .shape import ravel

    if axis is None:
        a, axis = ravel(a), 0
    shp = _shape(a)
    axis = _canonical_axis("take", axis, len(shp))
    ishape = aval_of(indices).shape
    idx = _wrap_indices(indices, shp[axis], mode)
    idx = lax.reshape(idx, ishape + (1,))
    rows = gather_points(a, idx, (axis,), mode=_gather_mode("take", mode), fill_value=fill_value)
    # rows: indices dims, then a's other dims; move the indices dims to axis.
    ni = len(ishape)
    perm = list(range(ni, ni + axis)) + list(range(ni)) + list(range(ni + axis, len(shp) - 1 + ni))
    return lax.transpose(rows, perm) if perm != list(range(len(perm))) else rows


_take_jit = jit(_take_impl, static_argnums=(2, 3, 4))


def _canonical_axis(name, axis, ndim):
    if not -ndim <= axis < builtins.max(ndim, 1):
        raise user_error(
            ValueError, f"{name}: axis {axis} is out of bounds for array of dimension {ndim}"
        )
    return axis % builtins.max(ndim, 1)


def take(
    a,
    indices,
    axis=None,
    out=None,
    mode=None,
    unique_indices=False,
    indices_are_sorted=False,
    fill_value=None,
):
    """Like jnp.take: out-of-range indices give fill_value (NaN, or the
    integer type's extreme) unless mode is "clip" or "wrap"."""
    from .util import asarray

    if out is not None:
        raise user_error(NotImplementedError, "The 'out' argument to jnp.take is not supported.")
    a, indices = asarray(a), asarray(indices)
    if not dtypes.is_int(aval_of(indices).dtype):
        raise user_error(ValueError, "indices must have an integer type")  # as JAX
    return _take_jit(a, indices, axis, mode, fill_value)


def _take_along_axis_impl(arr, indices, axis, mode, fill_value):
    shp = _shape(arr)
    ishape = aval_of(indices).shape
    out_shape = []
    for d, (n, m) in enumerate(zip(shp, ishape)):
        if d == axis:
            out_shape.append(m)
        elif n == m or m == 1 or n == 1:
            out_shape.append(builtins.max(n, m))
        else:
            raise user_error(
                ValueError,
                f"take_along_axis: indices shape {ishape} does not broadcast with array "
                f"shape {shp} outside axis {axis}",
            )
    out_shape = tuple(out_shape)
    columns = []
    for d in range(len(shp)):
        if d == axis:
            col = _wrap_indices(indices, shp[d], mode)
            col = lax.broadcast_in_dim(col, out_shape, tuple(range(len(shp))))
        else:
            col = lax.broadcasted_iota(np.int32, out_shape, d)
        columns.append(lax.reshape(col, out_shape + (1,)))
    idx = lax.concatenate(columns, len(shp))
    # Broadcast (size-1) dims of arr read row 0.
    if any(n == 1 and m != 1 for n, m in zip(shp, out_shape)):
        idx = lax.mul(
            idx,
            lax.broadcast_in_dim(
                np.array(
                    [
                        0 if (n == 1 and m != 1 and d != axis) else 1
                        for d, (n, m) in enumerate(zip(shp, out_shape))
                    ],
                    np.int32,
                ),
                out_shape + (len(shp),),
                (len(shp),),
            ),
        )
    return gather_points(
        arr,
        idx,
        tuple(range(len(shp))),
        mode=_gather_mode("take_along_axis", mode),
        fill_value=fill_value,
    )


_take_along_axis_jit = jit(_take_along_axis_impl, static_argnums=(2, 3, 4))


def take_along_axis(arr, indices, axis=-1, mode=None, fill_value=None):
    """Like jnp.take_along_axis (axis=None flattens both)."""
    from .shape import ravel
    from .util import asarray

    arr, indices = asarray(arr), asarray(indices)
    if axis is None:
        arr, indices, axis = ravel(arr), ravel(indices), 0
    if aval_of(indices).ndim != aval_of(arr).ndim:
        raise user_error(
            ValueError,
            f"indices and arr must have the same number of dimensions; "
            f"{aval_of(indices).ndim} vs. {aval_of(arr).ndim}",
        )
    if not dtypes.is_int(aval_of(indices).dtype):
        raise user_error(
            TypeError,
            f"take_along_axis indices must be of integer type, got {aval_of(indices).dtype}",
        )
    axis = _canonical_axis("take_along_axis", axis, aval_of(arr).ndim)
    return _take_along_axis_jit(arr, indices, axis, mode, fill_value)


# ---------------------------------------------------------------------------
# segment reductions (mlax.ops)
# ---------------------------------------------------------------------------


def _segment_impl(data, segment_ids, num_segments, kind):
    shp = _shape(data)
    dtype = aval_of(data).dtype
    identity = {
        "add": 0,
        "mul": 1,
        "max": -np.inf if dtypes.is_float(dtype) else np.iinfo(dtype).min,
        "min": np.inf if dtypes.is_float(dtype) else np.iinfo(dtype).max,
    }[kind]
    init = lax.full((num_segments,) + tuple(shp[1:]), identity, dtype)
    ids = lax.reshape(lax.convert_element_type(segment_ids, np.int32), (shp[0], 1))
    return scatter_points(init, ids, data, (0,), kind=kind, mode="fill")


_segment_jit = jit(_segment_impl, static_argnums=(2, 3))


def _segment(name, kind, data, segment_ids, num_segments):
    from .util import asarray

    data, segment_ids = asarray(data), asarray(segment_ids)
    if aval_of(segment_ids).ndim != 1 or aval_of(segment_ids).shape[0] != aval_of(data).shape[0]:
        raise user_error(
            ValueError,
            f"{name}: segment_ids of shape {aval_of(segment_ids).shape} must be 1-d with one id "
            f"per row of data {aval_of(data).shape}",
        )
    if num_segments is None:
        if isinstance(segment_ids, Tracer):
            raise user_error(
                ValueError,
                f"{name}: num_segments must be given when segment_ids is traced",
            )
        num_segments = int(np.max(np.asarray(segment_ids))) + 1 if aval_of(segment_ids).size else 0
    return _segment_jit(data, segment_ids, int(num_segments), kind)


def _segment_fn(name, kind):
    def segment(
        data,
        segment_ids,
        num_segments=None,
        indices_are_sorted=False,
        unique_indices=False,
        bucket_size=None,
        mode=None,
    ):
        return _segment(name, kind, data, segment_ids, num_segments)

    segment.__name__ = name
    segment.__doc__ = (
        f"Like jax.ops.{name}: rows of data combined per segment id (out-of-range ids "
        f"dropped; empty segments hold the combiner's identity)."
    )
    return segment


segment_sum = _segment_fn("segment_sum", "add")
segment_prod = _segment_fn("segment_prod", "mul")
segment_max = _segment_fn("segment_max", "max")
segment_min = _segment_fn("segment_min", "min")
