"""Point gather and scatter: the mlax.gather / mlax.scatter primitives that
NumPy integer-array indexing and `.at[]` lower to (docs/indexing.md).

`indices` has shape B... + (K,): K index components along `dims` (an
increasing tuple of operand dimensions); the other dimensions are taken
whole, so a gather's result (and a scatter's updates) has shape
B... + (operand shape without `dims`).
"""

import enum
from typing import NamedTuple

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
    if dtype.kind == "c":
        # The op's fill of a complex gather is a real value (imaginary 0).
        value = complex(value).real
    return (repr(float(value)), dtype)


def _fill_attr(text, dtype):
    t = element_type(dtypes.real_dtype(dtype))
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
    if dtype.kind in "fc" or dtype == dtypes.bfloat16:
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


# ---------------------------------------------------------------------------
# lax.gather / lax.scatter* with XLA's dimension numbers, as point ops
# ---------------------------------------------------------------------------


class GatherDimensionNumbers(NamedTuple):
    """Like jax.lax.GatherDimensionNumbers (index vectors on the last
    dimension of the start indices)."""

    offset_dims: tuple
    collapsed_slice_dims: tuple
    start_index_map: tuple
    operand_batching_dims: tuple = ()
    start_indices_batching_dims: tuple = ()


class ScatterDimensionNumbers(NamedTuple):
    """Like jax.lax.ScatterDimensionNumbers."""

    update_window_dims: tuple
    inserted_window_dims: tuple
    scatter_dims_to_operand_dims: tuple
    operand_batching_dims: tuple = ()
    scatter_indices_batching_dims: tuple = ()


class GatherScatterMode(enum.Enum):
    """Like jax.lax.GatherScatterMode."""

    CLIP = 1
    FILL_OR_DROP = 2
    PROMISE_IN_BOUNDS = 3

    @staticmethod
    def from_any(mode, default):
        if mode is None:
            return default
        if isinstance(mode, GatherScatterMode):
            return mode
        names = {
            "clip": GatherScatterMode.CLIP,
            "fill": GatherScatterMode.FILL_OR_DROP,
            "drop": GatherScatterMode.FILL_OR_DROP,
            "promise_in_bounds": GatherScatterMode.PROMISE_IN_BOUNDS,
        }
        if str(mode) in names:
            return names[str(mode)]
        if getattr(mode, "name", None) in GatherScatterMode.__members__:
            return GatherScatterMode[mode.name]
        raise user_error(ValueError, f'Unknown gather mode "{mode}"')


def _window_points(start, sizes, dims, bounds, clamp):
    """Index vectors for windows: `start` [B..., K] (K components for
    operand `dims`), each component d widened to start + iota(sizes[d]) on a
    new trailing window axis per d with size != None. Returns (points
    [B..., W..., K] i32, valid [B...] bool: every window fully in range)."""
    from .elementwise import (
        add,
        bitwise_and,
        broadcasted_iota,
        convert_element_type,
        full,
        ge,
        le,
    )
    from .elementwise import (
        clamp as lax_clamp,
    )
    from .shape import broadcast_in_dim, concatenate, reshape

    bshape = aval_of(start).shape[:-1]
    start = convert_element_type(start, np.int32)
    comps, valid = [], None
    for k, d in enumerate(dims):
        c = reshape(slice_last(start, k), bshape)
        hi = bounds[k] - (sizes[k] or 1)
        ok = bitwise_and(ge(c, full(bshape, 0, np.int32)), le(c, full(bshape, hi, np.int32)))
        valid = ok if valid is None else bitwise_and(valid, ok)
        if clamp:
            c = lax_clamp(np.int32(0), c, np.int32(max(hi, 0)))
        comps.append(c)
    windows = [s for s in sizes if s is not None]
    wshape = bshape + tuple(windows)
    out, w = [], 0
    for c, s in zip(comps, sizes):
        full_c = broadcast_in_dim(c, wshape, tuple(range(len(bshape))))
        if s is not None:
            full_c = add(full_c, broadcasted_iota(np.int32, wshape, len(bshape) + w))
            w += 1
        out.append(reshape(full_c, wshape + (1,)))
    return concatenate(out, len(wshape)), valid


def slice_last(x, k):
    from .slicing import slice_in_dim

    return slice_in_dim(x, k, k + 1, axis=aval_of(x).ndim - 1)


def _batch_components(indices, operand_batching_dims, indices_batching_dims):
    """Start components (iota over the index batch dim) for batching dims."""
    from .elementwise import broadcasted_iota
    from .shape import concatenate, reshape

    bshape = aval_of(indices).shape[:-1]
    comps = [
        reshape(broadcasted_iota(np.int32, bshape, ib), bshape + (1,))
        for ib in indices_batching_dims
    ]
    return concatenate([indices, *comps], len(bshape)) if comps else indices


def gather(
    operand,
    start_indices,
    dimension_numbers,
    slice_sizes,
    *,
    unique_indices=False,
    indices_are_sorted=False,
    mode=None,
    fill_value=None,
):
    """Like jax.lax.gather: XLA's gather as one mlax point gather (windows
    become iota-widened index vectors, then a transpose into place)."""
    from .elementwise import broadcasted_iota, convert_element_type, select
    from .shape import broadcast_in_dim, transpose
    from .slicing import slice_in_dim

    operand, indices = _as_operand(operand), _as_operand(start_indices)
    dn = dimension_numbers
    mode = GatherScatterMode.from_any(mode, GatherScatterMode.PROMISE_IN_BOUNDS)
    oshape = aval_of(operand).shape
    rank = len(oshape)
    slice_sizes = tuple(int(s) for s in slice_sizes)
    if len(slice_sizes) != rank:
        raise user_error(
            TypeError,
            f"slice_sizes must have rank equal to the gather operand; operand.shape={oshape}, "
            f"slice_sizes={slice_sizes}",
        )
    if not dtypes.is_int(aval_of(indices).dtype):
        raise user_error(TypeError, "start_indices must have an integer type")
    smap = tuple(dn.start_index_map)
    if aval_of(indices).ndim == 0 or aval_of(indices).shape[-1] != len(smap):
        raise user_error(
            TypeError,
            f"Gather op has {len(smap)} elements in start_index_map and the bound of dimension "
            f"index_vector_dim={aval_of(indices).ndim - 1} of indices is "
            f"{aval_of(indices).shape[-1] if aval_of(indices).ndim else 0}. These two numbers "
            "must be equal.",
        )
    for d in dn.collapsed_slice_dims:
        if slice_sizes[d] != 1:
            raise user_error(
                TypeError,
                f"Gather op can only collapse slice dims with bound 1, but bound is "
                f"{slice_sizes[d]} for index {d} at position 0.",
            )
    # Dims taken from 0 with a partial window: slice them off first.
    obatch = tuple(dn.operand_batching_dims)
    for d in range(rank):
        if d not in smap and d not in obatch and slice_sizes[d] < oshape[d]:
            operand = slice_in_dim(operand, 0, slice_sizes[d], axis=d)
    # Point dims: start-indexed and batching dims, increasing.
    sizes = [None if d in dn.collapsed_slice_dims else slice_sizes[d] for d in smap]
    bounds = [oshape[d] for d in smap]
    points, valid = _window_points(indices, sizes, smap, bounds, clamp=True)
    if obatch:
        bshape = aval_of(indices).shape[:-1]
        wshape = aval_of(points).shape[:-1]
        extra = [
            broadcast_in_dim(
                broadcasted_iota(np.int32, bshape, ib), wshape, tuple(range(len(bshape)))
            )
            for ib in dn.start_indices_batching_dims
        ]
        from .shape import concatenate, reshape

        points = concatenate([points, *[reshape(e, wshape + (1,)) for e in extra]], len(wshape))
    all_dims = list(smap) + list(obatch)
    order = sorted(range(len(all_dims)), key=lambda i: all_dims[i])
    if order != list(range(len(all_dims))):
        from .shape import concatenate

        points = concatenate([slice_last(points, i) for i in order], aval_of(points).ndim - 1)
    dims = tuple(all_dims[i] for i in order)
    out = gather_points(operand, points, dims, mode="clip")
    # Axes now: batch B, windows W (smap order), whole dims (operand order).
    nb = aval_of(indices).ndim - 1
    window_dims = [d for d, s in zip(smap, sizes) if s is not None]
    whole = [d for d in range(rank) if d not in dims]
    labels = [("b", i) for i in range(nb)] + [("o", d) for d in window_dims + whole]
    offsets = sorted(d for kind, d in labels if kind == "o")
    out_rank = len(labels)
    target, bi, oi = [], 0, 0
    for pos in range(out_rank):
        if pos in dn.offset_dims:
            target.append(("o", offsets[oi]))
            oi += 1
        else:
            target.append(("b", bi))
            bi += 1
    perm = [labels.index(t) for t in target]
    if perm != list(range(out_rank)):
        out = transpose(out, perm)
    if mode == GatherScatterMode.FILL_OR_DROP:
        dtype = aval_of(out).dtype
        fill = default_fill(dtype) if fill_value is None else fill_value
        batch_positions = tuple(p for p in range(out_rank) if p not in dn.offset_dims)
        mask = broadcast_in_dim(valid, aval_of(out).shape, batch_positions)
        fill_arr = broadcast_in_dim(
            convert_element_type(np.asarray(fill, dtype), dtype), aval_of(out).shape, ()
        )
        out = select(mask, out, fill_arr)
    return out


def _scatter(kind, operand, indices, updates, dn, mode):
    from .elementwise import full, select
    from .shape import broadcast_in_dim, concatenate, reshape, transpose

    operand, indices, updates = _as_operand(operand), _as_operand(indices), _as_operand(updates)
    mode = GatherScatterMode.from_any(mode, GatherScatterMode.FILL_OR_DROP)
    oshape = aval_of(operand).shape
    rank = len(oshape)
    ushape = aval_of(updates).shape
    smap = tuple(dn.scatter_dims_to_operand_dims)
    obatch = tuple(dn.operand_batching_dims)
    if not dtypes.is_int(aval_of(indices).dtype):
        raise user_error(TypeError, "scatter_indices must have an integer type")
    if aval_of(indices).ndim == 0 or aval_of(indices).shape[-1] != len(smap):
        raise user_error(
            TypeError,
            f"Scatter op has {len(smap)} elements in scatter_dims_to_operand_dims and the bound "
            f"of dimension index_vector_dim of scatter_indices is "
            f"{aval_of(indices).shape[-1] if aval_of(indices).ndim else 0}. These two numbers "
            "must be equal.",
        )
    # Window sizes per operand dim from the updates' window dims.
    windowed = [d for d in range(rank) if d not in dn.inserted_window_dims and d not in obatch]
    if len(windowed) != len(dn.update_window_dims):
        raise user_error(
            TypeError,
            f"Scatter op has window of size {len(dn.update_window_dims)}; doesn't match operand "
            f"of rank {rank}.",
        )
    wsize = {d: ushape[p] for d, p in zip(windowed, dn.update_window_dims)}
    # Updates as [B..., windows in operand order].
    scatter_axes = [p for p in range(len(ushape)) if p not in dn.update_window_dims]
    updates = transpose(updates, scatter_axes + list(dn.update_window_dims))
    nb = len(scatter_axes)
    bshape = aval_of(indices).shape[:-1]
    # Point dims with windows: the start-indexed dims, and the other dims
    # whose window does not cover them (start 0).
    partial = [d for d in windowed if d not in smap and wsize[d] < oshape[d]]
    ext_dims = list(smap) + partial
    sizes = [wsize.get(d) for d in ext_dims]
    starts = indices
    if partial:
        zeros = full(bshape + (len(partial),), 0, aval_of(indices).dtype)
        starts = concatenate([indices, zeros], len(bshape))
    points, valid = _window_points(
        starts, sizes, ext_dims, [oshape[d] for d in ext_dims], clamp=mode == GatherScatterMode.CLIP
    )
    if mode != GatherScatterMode.CLIP:
        # A window not fully in range is dropped whole, as XLA does.
        pshape = aval_of(points).shape
        mask = broadcast_in_dim(valid, pshape, tuple(range(nb)))
        points = select(mask, points, full(pshape, -1, np.int32))
    # Updates to [B..., windows in ext_dims order, whole dims].
    win = [d for d in ext_dims if d in wsize]
    whole = [d for d in windowed if d not in ext_dims]
    perm = list(range(nb)) + [nb + windowed.index(d) for d in win + whole]
    if perm != list(range(len(perm))):
        updates = transpose(updates, perm)
    idx_dims = list(ext_dims)
    wshape = aval_of(points).shape[:-1]
    from .elementwise import broadcasted_iota

    extra = []
    for ob, ib in zip(obatch, dn.scatter_indices_batching_dims):
        e = broadcast_in_dim(broadcasted_iota(np.int32, bshape, ib), wshape, tuple(range(nb)))
        extra.append(reshape(e, wshape + (1,)))
        idx_dims.append(ob)
    if extra:
        points = concatenate([points, *extra], len(wshape))
    order = sorted(range(len(idx_dims)), key=lambda i: idx_dims[i])
    if order != list(range(len(idx_dims))):
        points = concatenate([slice_last(points, i) for i in order], aval_of(points).ndim - 1)
    dims = tuple(idx_dims[i] for i in order)
    point_mode = "clip" if mode == GatherScatterMode.CLIP else "fill"
    return scatter_points(operand, points, updates, dims, kind=kind, mode=point_mode)


def _scatter_fn(kind, doc):
    def fn(
        operand,
        scatter_indices,
        updates,
        dimension_numbers,
        *,
        indices_are_sorted=False,
        unique_indices=False,
        mode=None,
    ):
        return _scatter(kind, operand, scatter_indices, updates, dimension_numbers, mode)

    fn.__doc__ = doc
    return fn


scatter = _scatter_fn("replace", "Like jax.lax.scatter (one of repeated indices wins).")
scatter_add = _scatter_fn("add", "Like jax.lax.scatter_add.")
scatter_mul = _scatter_fn("mul", "Like jax.lax.scatter_mul.")
scatter_min = _scatter_fn("min", "Like jax.lax.scatter_min.")
scatter_max = _scatter_fn("max", "Like jax.lax.scatter_max.")


def scatter_sub(operand, scatter_indices, updates, dimension_numbers, **kwargs):
    """Like jax.lax.scatter_sub: scatter_add of the negated updates."""
    from .elementwise import neg

    return scatter_add(
        operand, scatter_indices, neg(_as_operand(updates)), dimension_numbers, **kwargs
    )


def index_take(src, idxs, axes):
    """Like jax.lax.index_take: src at the index arrays `idxs` along `axes`."""
    from .shape import concatenate, reshape

    src = _as_operand(src)
    idxs = [_as_operand(i) for i in idxs]
    axes = tuple(axes)
    n = aval_of(idxs[0]).shape[0] if idxs else 0
    indices = concatenate([reshape(i, (n, 1)) for i in idxs], 1)
    slice_sizes = list(aval_of(src).shape)
    for a in axes:
        slice_sizes[a] = 1
    offset_dims = tuple(range(1, aval_of(src).ndim - len(axes) + 1))
    dn = GatherDimensionNumbers(offset_dims, axes, axes)
    return gather(src, indices, dn, slice_sizes)
