"""Grids, stacking and splitting, element insertion/deletion, index
conversion and host-side helpers: meshgrid/mgrid/ogrid/indices/ix_, r_/c_,
logspace/geomspace, tri/vander, atleast_3d/column_stack/dstack/block,
array_split and the h/v/dsplit family, resize, trim_zeros, append/insert/
delete, the *_from index helpers, ravel_multi_index/unravel_index,
fromfunction, and NumPy's printing, I/O and buffer readers (on the host, as
JAX does)."""

import builtins
import math
import operator

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, hooks, user_error
from ..lax.elementwise import host_constant
from ..transforms.batching import vmap
from ..transforms.jit import jit
from .advanced_indexing import _canonical_axis
from .creation import _shape_arg, arange, linspace, zeros, zeros_like
from .selection import _concrete, _tri_mask, diag, nonzero, tril_indices, triu_indices
from .shape import (
    atleast_2d,
    concatenate,
    expand_dims,
    moveaxis,
    ravel,
    reshape,
    split,
    squeeze,
    stack,
    swapaxes,
    tile,
    transpose,
)
from .sorting import argsort
from .ufuncs import multiply, power
from .util import _dtype_arg, _is_array, _promote, array, asarray, broadcast_to


def _shape(a):
    return aval_of(a).shape


def _ndim(a):
    return aval_of(a).ndim


# ---------------------------------------------------------------------------
# Grids
# ---------------------------------------------------------------------------


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Like jnp.meshgrid: 1-D inputs (ravelled) to coordinate arrays."""
    if not copy:
        raise user_error(ValueError, "jax.numpy.meshgrid only supports copy=True")
    if indexing not in ("xy", "ij"):
        raise user_error(ValueError, f"Valid values for indexing are 'xy' and 'ij', got {indexing}")
    args = [asarray(x) for x in xi]
    if builtins.any(_ndim(a) != 1 for a in args):
        raise user_error(
            ValueError,
            f"Arguments to jax.numpy.meshgrid must be 1D, got shapes {[_shape(a) for a in args]}",
        )
    if indexing == "xy" and len(args) >= 2:
        args[0], args[1] = args[1], args[0]
    shape = [_shape(a)[0] for a in args]
    out = []
    for i, a in enumerate(args):
        if sparse:
            s = [1] * len(args)
            s[i] = shape[i]
            out.append(lax.reshape(a, tuple(s)))
        else:
            out.append(lax.broadcast_in_dim(a, tuple(shape), (i,)))
    if indexing == "xy" and len(args) >= 2:
        out[0], out[1] = out[1], out[0]
    return out


def _grid_from_slice(s, name):
    for v in (s.start, s.stop, s.step):
        if isinstance(v, Tracer):
            raise user_error(TypeError, f"jnp.{name} needs concrete slice bounds, got a tracer")
    start = s.start or 0
    step = s.step or 1
    if isinstance(step, complex) or np.iscomplexobj(step):
        return linspace(start, s.stop, int(abs(step)))
    return arange(start, s.stop, step)


class _Mgrid:
    """jnp.mgrid[a:b:c, ...]: a dense stack of coordinate grids."""

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _grid_from_slice(key, "mgrid")
        grids = [_grid_from_slice(k, "mgrid") for k in key]
        if not grids:
            return arange(0)
        return stack(meshgrid(*_promote("mgrid", *grids), indexing="ij"), 0)


class _Ogrid:
    """jnp.ogrid[a:b:c, ...]: an open (sparse) list of coordinate grids."""

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _grid_from_slice(key, "ogrid")
        grids = [_grid_from_slice(k, "ogrid") for k in key]
        if not grids:
            return []
        return meshgrid(*_promote("ogrid", *grids), indexing="ij", sparse=True)


mgrid = _Mgrid()
ogrid = _Ogrid()


class _AxisConcat:
    """r_ and c_: slices become aranges/linspaces, then one concatenate;
    a leading string gives 'axis,ndmin,trans1d' or 'r'/'c' (JAX's rules)."""

    def __init__(self, axis, ndmin, trans1d, name):
        self.axis, self.ndmin, self.trans1d, self.name = axis, ndmin, trans1d, name

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        params = [self.axis, self.ndmin, self.trans1d, -1]
        if key and isinstance(key[0], str):
            directive, key = key[0], key[1:]
            if directive == "r":
                params[-1] = 0
            elif directive == "c":
                params[-1] = 1
            else:
                vec = directive.split(",")
                vec = vec + params[len(vec) :] if len(vec) < 4 else vec[:3] + [params[-1]]
                try:
                    params = [int(v) for v in vec]
                except ValueError as err:
                    raise user_error(
                        ValueError, f"could not understand directive {directive!r}"
                    ) from err
        axis, ndmin, trans1d, matrix = params
        out = []
        for item in key:
            if isinstance(item, slice):
                obj, item_ndim = _grid_from_slice(item, self.name), 0
            elif isinstance(item, str):
                raise user_error(ValueError, "string directive must be placed at the beginning")
            else:
                obj = asarray(item)
                item_ndim = _ndim(obj)
            obj = array(obj, copy=False, ndmin=ndmin)
            if trans1d != -1 and ndmin - item_ndim > 0:
                order = tuple(range(ndmin))
                shift = ndmin - builtins.abs(ndmin + trans1d + 1) % ndmin
                obj = transpose(obj, order[shift:] + order[:shift])
            out.append(obj)
        res = concatenate(out, axis=axis)
        if matrix != -1 and _ndim(res) == 1:
            res = expand_dims(res, matrix)
        return res

    def __len__(self):
        return 0


r_ = _AxisConcat(0, 1, -1, "r_")
c_ = _AxisConcat(-1, 2, 0, "c_")
s_ = np.s_
index_exp = np.index_exp


def indices(dimensions, dtype=None, sparse=False):
    """Like jnp.indices (int32 by default)."""
    dimensions = tuple(operator.index(d) for d in dimensions)
    dtype = _dtype_arg(dtype) or dtypes.default_int()
    n = len(dimensions)
    out = []
    for i, d in enumerate(dimensions):
        if sparse:
            s = (1,) * i + (d,) + (1,) * (n - i - 1)
            out.append(lax.broadcasted_iota(dtype, s, i))
        else:
            out.append(lax.broadcasted_iota(dtype, dimensions, i))
    if sparse:
        return tuple(out)
    return stack(out, 0) if out else zeros((0,), dtype)


def ix_(*args):
    """Like jnp.ix_: 1-D index arrays reshaped to broadcast as an open mesh."""
    n = len(args)
    out = []
    for i, a in enumerate(args):
        a = asarray(a)
        if _ndim(a) != 1:
            raise user_error(
                ValueError,
                f"Arguments to jax.numpy.ix_ must be 1-dimensional, got shape {_shape(a)}",
            )
        if dtypes.is_bool(aval_of(a).dtype):
            raise user_error(TypeError, "Boolean arguments to jax.numpy.ix_ are not supported")
        out.append(lax.reshape(a, (1,) * i + _shape(a) + (1,) * (n - i - 1)))
    return tuple(out)


def fromfunction(function, shape, *, dtype=float, **kwargs):
    """Like jnp.fromfunction: `function` vmapped over every index axis."""
    shape = _shape_arg(shape)
    dtype = _dtype_arg(dtype)
    for i in range(len(shape)):
        in_axes = [0 if i == j else None for j in range(len(shape))]
        function = vmap(function, in_axes=tuple(in_axes[::-1]))
    return function(*(lax.iota(dtype, s) for s in shape), **kwargs)


# ---------------------------------------------------------------------------
# Number ranges and matrices
# ---------------------------------------------------------------------------


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """Like jnp.logspace: base ** linspace(start, stop)."""
    dtype = _dtype_arg(dtype)
    compute = dtypes.default_float() if dtype is None or not dtypes.is_float(dtype) else dtype
    exponents = linspace(start, stop, num, endpoint=endpoint, dtype=compute)
    out = power(lax.convert_element_type(asarray(base), compute), exponents)
    if dtype is not None and not dtypes.is_float(dtype):
        out = lax.floor(out)
    return lax.convert_element_type(out, dtype or compute)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Like jnp.geomspace (start and stop Python scalars or 0-d arrays)."""
    for v in (start, stop):
        if isinstance(v, Tracer):
            raise user_error(TypeError, "geomspace needs concrete start and stop")
    start, stop = float(np.asarray(start)), float(np.asarray(stop))
    if start == 0 or stop == 0:
        raise user_error(ValueError, "Geometric sequence cannot include zero")
    s = 1.0
    if start < 0 and stop < 0:
        start, stop, s = -start, -stop, -1.0
    out = logspace(
        math.log10(start), math.log10(stop), num, endpoint=endpoint, base=10.0, dtype=dtype
    )
    return multiply(out, lax.convert_element_type(asarray(s), aval_of(out).dtype)) if s < 0 else out


def tri(N, M=None, k=0, dtype=None):
    """Like jnp.tri: ones at and below diagonal k."""
    M = N if M is None else M
    dtype = _dtype_arg(dtype) or dtypes.default_float()
    N, M, k = operator.index(N), operator.index(M), operator.index(k)
    if N >= 0 and M >= 0 and host_constant((N, M)):
        return hooks.device_put(np.tri(N, M, k, dtype))
    mask = _tri_mask((N, M), k, True)
    return lax.convert_element_type(mask, dtype)


def _vander_impl(x, N, increasing):
    x = asarray(x)
    if _ndim(x) != 1:
        raise user_error(ValueError, "x must be a one-dimensional array")
    N = _shape(x)[0] if N is None else operator.index(N)
    if N < 0:
        raise user_error(ValueError, "N must be nonnegative")
    iota = lax.iota(aval_of(x).dtype, N)
    if not increasing:
        iota = lax.sub(lax.full_like(iota, N - 1), iota)
    return power(x[:, None], iota[None, :])


_vander_jit = jit(_vander_impl, static_argnames=("N", "increasing"))


def vander(x, N=None, increasing=False):
    """Like jnp.vander: columns are powers of x (decreasing by default)."""
    return _vander_jit(x, N=N, increasing=increasing)


def diagflat(v, k=0):
    """Like jnp.diagflat: the flattened v on diagonal k of a 2-D array."""
    return diag(ravel(asarray(v)), k)


# ---------------------------------------------------------------------------
# Stacking and splitting
# ---------------------------------------------------------------------------


def atleast_3d(*arys):
    """Like jnp.atleast_3d: (N,) -> (1, N, 1), (M, N) -> (M, N, 1)."""
    out = []
    for a in arys:
        a = asarray(a)
        if _ndim(a) == 0:
            a = lax.reshape(a, (1, 1, 1))
        elif _ndim(a) == 1:
            a = lax.reshape(a, (1, _shape(a)[0], 1))
        elif _ndim(a) == 2:
            a = lax.reshape(a, _shape(a) + (1,))
        out.append(a)
    return out[0] if len(out) == 1 else out


def column_stack(tup):
    """Like jnp.column_stack: 1-D inputs become columns."""
    arrs = [asarray(a) for a in tup]
    arrs = [lax.reshape(a, (_shape(a)[0], 1)) if _ndim(a) == 1 else atleast_2d(a) for a in arrs]
    return concatenate(arrs, 1)


def dstack(tup, dtype=None):
    """Like jnp.dstack: concatenation along the third axis."""
    arrs = [atleast_3d(a) for a in tup]
    return concatenate(arrs, 2, dtype=dtype)


def concat(arrays, /, *, axis=0):
    """Like jnp.concat (the array API name of concatenate)."""
    return concatenate(arrays, axis=axis)


def _block_depth(x, path=()):
    if isinstance(x, list):
        if not x:
            raise user_error(ValueError, f"List at arrays{list(path)} cannot be empty")
        depths = {_block_depth(e, path + (i,)) for i, e in enumerate(x)}
        if len(depths) != 1:
            raise user_error(ValueError, "List depths are mismatched in jnp.block")
        return 1 + depths.pop()
    if isinstance(x, tuple):
        raise user_error(TypeError, f"jax.numpy.block does not allow tuples, got {x!r}")
    return 0


def block(arrays):
    """Like jnp.block: nested lists assembled innermost-last-axis first."""
    depth = _block_depth(arrays)

    def leaves(x):
        return [y for e in x for y in leaves(e)] if isinstance(x, list) else [asarray(x)]

    ndim = builtins.max([depth] + [_ndim(a) for a in leaves(arrays)])

    def assemble(x, level):
        if not isinstance(x, list):
            x = asarray(x)
            return lax.reshape(x, (1,) * (ndim - _ndim(x)) + _shape(x))
        parts = [assemble(e, level + 1) for e in x]
        return concatenate(parts, axis=ndim - depth + level)

    return assemble(arrays, 0)


def array_split(ary, indices_or_sections, axis=0):
    """Like jnp.array_split: the first len % n sections one longer."""
    ary = asarray(ary)
    if isinstance(indices_or_sections, (int, np.integer)):
        axis_c = _canonical_axis("array_split", operator.index(axis), _ndim(ary))
        n = _shape(ary)[axis_c]
        sections = int(indices_or_sections)
        if sections <= 0:
            raise user_error(ValueError, "number sections must be larger than 0.")
        size, extra = divmod(n, sections)
        bounds = np.cumsum([0] + [size + 1] * extra + [size] * (sections - extra))
        return split(ary, [int(b) for b in bounds[1:-1]], axis=axis)
    return split(ary, indices_or_sections, axis=axis)


def _split_on(name, axis, min_ndim):
    def fn(ary, indices_or_sections):
        ary = asarray(ary)
        if _ndim(ary) < min_ndim:  # JAX indexes the shape: an IndexError
            raise user_error(
                IndexError,
                f"{name} only works on arrays of {min_ndim} or more dimensions, "
                f"got shape {_shape(ary)}",
            )
        ax = 0 if (name == "hsplit" and _ndim(ary) == 1) else axis
        return split(ary, indices_or_sections, axis=ax)

    fn.__name__ = name
    fn.__doc__ = f"Like jnp.{name}."
    return fn


hsplit = _split_on("hsplit", 1, 1)
vsplit = _split_on("vsplit", 0, 1)
dsplit = _split_on("dsplit", 2, 3)


def unstack(x, /, *, axis=0):
    """Like jnp.unstack: a tuple of the slices along `axis`."""
    x = asarray(x)
    if _ndim(x) == 0:
        raise user_error(
            ValueError, "Unstack requires arrays with rank > 0, however a scalar array was passed."
        )
    axis = _canonical_axis("unstack", axis, _ndim(x))
    return tuple(squeeze(p, axis) for p in split(x, _shape(x)[axis], axis=axis))


def permute_dims(a, /, axes):
    """Like jnp.permute_dims (the array API name of transpose)."""
    return transpose(a, axes)


def matrix_transpose(x, /):
    """Like jnp.matrix_transpose: swaps the last two axes."""
    x = asarray(x)
    if _ndim(x) < 2:
        raise user_error(
            ValueError,
            f"x must be at least two-dimensional for matrix_transpose; got ndim={_ndim(x)}",
        )
    return swapaxes(x, -1, -2)


def rollaxis(a, axis, start=0):
    """Like jnp.rollaxis."""
    a = asarray(a)
    n = _ndim(a)
    axis = _canonical_axis("rollaxis", axis, n)
    if not -n <= start <= n:
        raise user_error(ValueError, f"start={start} must satisfy {-n}<=start<={n}")
    if start < 0:
        start += n
    if start > axis:
        start -= 1
    return moveaxis(a, axis, start)


def astype(x, dtype, /, *, copy=False, device=None):
    """Like jnp.astype."""
    return lax.convert_element_type(asarray(x), _dtype_arg(dtype, "astype"))


def copy(a, order=None):
    """Like jnp.copy (arrays are immutable: the same values)."""
    return array(a, copy=True)


def resize(a, new_shape):
    """Like jnp.resize: the flattened a repeated to fill new_shape."""
    a = ravel(asarray(a))
    new_shape = _shape_arg(new_shape)
    new_size = int(np.prod(new_shape, dtype=np.int64))
    if aval_of(a).size == 0 or new_size == 0:
        return zeros_like(a, shape=new_shape)
    reps = -(-new_size // aval_of(a).size)
    return reshape(tile(a, reps)[:new_size], new_shape)


def trim_zeros(filt, trim="fb", axis=None):
    """Like jnp.trim_zeros: leading ('f') and trailing ('b') all-zero slices
    removed along `axis` (all axes by default); needs a concrete input, as
    the result size depends on the values."""
    filt = asarray(filt)
    host = _concrete("trim_zeros", filt, "pass a concrete array.")
    nd = _ndim(filt)
    if axis is None:
        axes = set(range(nd))
    else:
        axes = {
            _canonical_axis("trim_zeros", ax, nd)
            for ax in ((axis,) if isinstance(axis, (int, np.integer)) else axis)
        }
    trim = trim.lower()
    if not axes or ("f" not in trim and "b" not in trim):
        return filt
    slices = []
    for ax in range(nd):
        if ax not in axes:
            slices.append(slice(None))
            continue
        mask = np.any(host != 0, axis=tuple(i for i in range(nd) if i != ax))
        if not mask.any():
            slices.append(slice(0, 0))
            continue
        start = int(mask.argmax()) if "f" in trim else None
        stop = host.shape[ax] - int(mask[::-1].argmax()) if "b" in trim else None
        slices.append(slice(start, stop))
    return filt[tuple(slices)]


def append(arr, values, axis=None):
    """Like jnp.append."""
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


def _no_lists(name, *args):
    """JAX's ensure_arraylike: lists and tuples are not arrays."""
    for i, a in enumerate(args):
        if isinstance(a, (list, tuple)):
            raise user_error(
                TypeError,
                f"{name} requires ndarray or scalar arguments, got {type(a)} at position {i}.",
            )


def delete(arr, obj, axis=None, *, assume_unique_indices=False):
    """Like jnp.delete: an int, a slice, concrete indices or a boolean mask;
    traced integer indices with assume_unique_indices=True (JAX's rules)."""
    _no_lists("delete", arr, obj)
    a = asarray(arr)
    if axis is None:
        a, axis = ravel(a), 0
    axis = _canonical_axis("delete", operator.index(axis), _ndim(a))
    n = _shape(a)[axis]
    head = (slice(None),) * axis
    if isinstance(obj, (int, np.integer)):
        i = _canonical_axis("delete", operator.index(obj), n)
        return concatenate([a[head + (slice(0, i),)], a[head + (slice(i + 1, None),)]], axis)
    if isinstance(obj, slice):
        obj = asarray(np.arange(n, dtype=np.int32)[obj])
        assume_unique_indices = True
    if assume_unique_indices and _is_array(obj) and dtypes.is_int(aval_of(obj).dtype):
        idx = ravel(obj)
        idx = lax.select(
            lax.lt(idx, lax.full_like(idx, 0)), lax.add(idx, lax.full_like(idx, n)), idx
        )
        idx = lax.clamp(lax.full_like(idx, 0), idx, lax.full_like(idx, n))
        m = aval_of(idx).size
        idx = lax.sub(lax.sort(idx, dimension=0), lax.iota(aval_of(idx).dtype, m))
        i = lax.iota(aval_of(idx).dtype, n - m)
        ge = lax.convert_element_type(lax.ge(i[None, :], idx[:, None]), aval_of(i).dtype)
        return a[head + (lax.add(i, lax.reduce_sum(ge, (0,))),)]
    if isinstance(obj, Tracer):
        raise user_error(
            TypeError,
            "Abstract tracer value encountered where concrete value is expected: "
            "'obj' array argument of jnp.delete()",
        )
    o = np.asarray(obj)
    if o.dtype.kind in "iu":
        keep = np.ones(n, bool)
        keep[o] = False
    elif o.dtype == np.bool_:
        if o.shape != (n,):
            raise user_error(
                ValueError,
                "np.delete(arr, obj): for boolean indices, obj must be one-dimensional "
                "with length matching specified axis.",
            )
        keep = ~o
    else:
        raise user_error(
            ValueError, f"np.delete(arr, obj): got obj.dtype={o.dtype}; must be integer or bool."
        )
    return a[head + (asarray(np.nonzero(keep)[0].astype(np.int32)),)]


def insert(arr, obj, values, axis=None):
    """Like jnp.insert: an index, indices (traced too) or a slice; values
    broadcast to the inserted block (JAX's scatter formulation)."""
    _no_lists("insert", arr, obj, values)
    a = asarray(arr)
    if axis is None:
        a, axis = ravel(a), 0
    axis = _canonical_axis("insert", operator.index(axis), _ndim(a))
    n = _shape(a)[axis]
    if isinstance(obj, slice):
        idx = asarray(np.arange(*obj.indices(n), dtype=np.int32))
    else:
        idx = asarray(obj)
    if aval_of(idx).ndim > 1:
        raise user_error(
            ValueError,
            f"jnp.insert(): obj must be a slice, a one-dimensional array, or a scalar; got {obj}",
        )
    if not dtypes.is_int(aval_of(idx).dtype):
        if aval_of(idx).size == 0 and not _is_array(obj):
            idx = lax.convert_element_type(idx, dtypes.default_int())
        else:
            raise user_error(
                ValueError, f"jnp.insert(): index array must be integer typed; got {obj}"
            )
    vals = array(values, copy=False, ndmin=_ndim(a), dtype=aval_of(a).dtype)
    if aval_of(idx).size == 1:
        index = ravel(idx)[0]
        if aval_of(idx).ndim == 0:
            vals = moveaxis(vals, 0, axis)
        idx = broadcast_to(index, (_shape(vals)[axis],))
    from .util import broadcast_shapes

    n_insert = broadcast_shapes(_shape(idx), (_shape(vals)[axis],))[0]
    out_shape = list(_shape(a))
    out_shape[axis] += n_insert
    out = zeros_like(a, shape=tuple(out_shape))
    idx = lax.select(lax.lt(idx, lax.full_like(idx, 0)), lax.add(idx, lax.full_like(idx, n)), idx)
    idx = lax.clamp(lax.full_like(idx, 0), idx, lax.full_like(idx, n))
    idx = broadcast_to(idx, (n_insert,))
    order = argsort(idx)
    values_ind = idx.at[order].add(lax.iota(aval_of(idx).dtype, n_insert))
    arr_mask = lax.full((n + n_insert,), True, np.bool_).at[values_ind].set(False)
    arr_ind = nonzero(arr_mask, size=n)[0]
    head = (slice(None),) * axis
    out = out.at[head + (values_ind,)].set(vals)
    return out.at[head + (arr_ind,)].set(a)


# ---------------------------------------------------------------------------
# Index helpers
# ---------------------------------------------------------------------------


def diag_indices_from(arr):
    """Like jnp.diag_indices_from (all axes of equal length)."""
    a = asarray(arr)
    if _ndim(a) < 2:
        raise user_error(ValueError, "input array must be at least 2-d")
    if len(set(_shape(a))) != 1:
        raise user_error(ValueError, "All dimensions of input must be of equal length")
    n = _shape(a)[0]
    return (asarray(np.arange(n, dtype=np.int32)),) * _ndim(a)


def _tri_indices_from(name, fn):
    def from_(arr, k=0):
        a = asarray(arr)
        if _ndim(a) != 2:
            raise user_error(ValueError, f"input array must be 2-d, got shape {_shape(a)}")
        return fn(_shape(a)[0], k=k, m=_shape(a)[1])

    from_.__name__ = name
    from_.__doc__ = f"Like jnp.{name}."
    return from_


tril_indices_from = _tri_indices_from("tril_indices_from", tril_indices)
triu_indices_from = _tri_indices_from("triu_indices_from", triu_indices)


def mask_indices(n, mask_func, k=0, *, size=None):
    """Like jnp.mask_indices: the nonzero positions of mask_func(ones((n, n)), k)."""
    a = mask_func(lax.full((operator.index(n), operator.index(n)), 1, dtypes.int32), k)
    return nonzero(a, size=size)


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """Like jnp.ravel_multi_index (mode 'raise' checks concrete indices)."""
    dims = tuple(operator.index(d) for d in dims)
    if len(multi_index) != len(dims):
        raise user_error(
            ValueError,
            f"length of multi_index ({len(multi_index)}) must match length of dims ({len(dims)})",
        )
    if order not in ("C", "F"):
        raise user_error(ValueError, "only 'C' or 'F' order is permitted")
    if mode == "raise" and any(isinstance(i, Tracer) for i in multi_index):
        raise user_error(
            TypeError,
            "The error occurred because ravel_multi_index was jit-compiled with mode='raise'. "
            "Use mode='wrap' or mode='clip' instead.",
        )
    host = [np.asarray(i) if mode == "raise" else None for i in multi_index]
    idx = [asarray(i) for i in multi_index]
    for i in idx:
        if not dtypes.is_int(aval_of(i).dtype):
            raise user_error(TypeError, "only int indices permitted")
    idx = [lax.convert_element_type(i, dtypes.default_int()) for i in idx]
    if mode == "raise":
        for v, d in zip(host, dims):
            if np.any((v < 0) | (v >= d)):
                raise user_error(ValueError, "invalid entry in coordinates array")
    elif mode == "clip":
        idx = [lax.clamp(np.int32(0), i, np.int32(d - 1)) for i, d in zip(idx, dims)]
    elif mode == "wrap":
        idx = [_wrap(i, d) for i, d in zip(idx, dims)]
    else:
        raise user_error(ValueError, f"invalid mode={mode!r}. Expected 'raise', 'wrap', or 'clip'")
    strides = np.cumprod((1,) + (dims[::-1] if order == "C" else dims)[:-1])
    strides = strides[::-1] if order == "C" else strides
    out = None
    for i, s in zip(idx, strides):
        term = lax.mul(i, lax.full_like(i, int(s)))
        out = term if out is None else lax.add(out, term)
    return out if out is not None else asarray(0, dtypes.default_int())


def _wrap(i, d):
    r = lax.rem(i, lax.full_like(i, d))
    return lax.select(lax.lt(r, lax.full_like(r, 0)), lax.add(r, lax.full_like(r, d)), r)


def _unravel_impl(indices, shape):
    idx = asarray(indices)
    total = int(np.prod(shape, dtype=np.int64))
    idx = lax.select(
        lax.lt(idx, lax.full_like(idx, 0)), lax.add(idx, lax.full_like(idx, total)), idx
    )
    idx = lax.clamp(lax.full_like(idx, 0), idx, lax.full_like(idx, builtins.max(total - 1, 0)))
    out = []
    for d in reversed(shape):
        dd = lax.full_like(idx, builtins.max(d, 1))
        out.append(lax.rem(idx, dd))
        idx = lax.div(idx, dd)
    return tuple(reversed(out))


_unravel_jit = jit(_unravel_impl, static_argnums=(1,))


def unravel_index(indices, shape):
    """Like jnp.unravel_index (out-of-range indices clip, as JAX)."""
    idx = asarray(indices)
    if not dtypes.is_int(aval_of(idx).dtype):
        raise user_error(TypeError, "only int indices permitted")
    shape = _shape_arg(shape)
    return _unravel_jit(idx, shape)


# ---------------------------------------------------------------------------
# Host-side helpers (NumPy's, as JAX exposes them)
# ---------------------------------------------------------------------------


def frombuffer(buffer, dtype=float, count=-1, offset=0):
    """Like jnp.frombuffer: read on the host."""
    return asarray(np.frombuffer(buffer=buffer, dtype=dtype, count=count, offset=offset))


def fromstring(string, dtype=float, count=-1, *, sep):
    """Like jnp.fromstring: parsed on the host."""
    return asarray(np.fromstring(string=string, dtype=dtype, count=count, sep=sep))


def fromiter(*args, **kwargs):
    """Like jnp.fromiter: not implemented (as in JAX)."""
    raise user_error(
        NotImplementedError,
        "jnp.fromiter() is not implemented because it may be non-pure and thus unsafe for use "
        "with JIT and other JAX transformations. Consider using jnp.asarray(np.fromiter(...)) "
        "instead, although care should be taken if np.fromiter is used within jax "
        "transformations because of its potential side-effect of consuming the iterable object; "
        "for more information see `Common Gotchas in JAX "
        "<https://docs.jax.dev/en/latest/notebooks/Common_Gotchas_in_JAX.html#pure-functions>`_",
    )


def fromfile(*args, **kwargs):
    """Like jnp.fromfile: not implemented (as in JAX)."""
    raise user_error(
        NotImplementedError,
        "jnp.fromfile() is not implemented because it may be non-pure and thus unsafe for use "
        "with JIT and other JAX transformations. Consider using jnp.asarray(np.fromfile(...)) "
        "instead, although care should be taken if np.fromfile is used within a jax "
        "transformations because of its potential side-effect of consuming the file object; "
        "for more information see "
        "https://docs.jax.dev/en/latest/notebooks/Common_Gotchas_in_JAX.html#pure-functions",
    )


def _host(a):
    return np.asarray(a) if _is_array(a) else a


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    """NumPy's array_repr of the values."""
    return np.array_repr(np.asarray(arr), max_line_width, precision, suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """NumPy's array_str of the values."""
    return np.array_str(np.asarray(a), max_line_width, precision, suppress_small)


get_printoptions = np.get_printoptions
set_printoptions = np.set_printoptions
printoptions = np.printoptions
iterable = np.iterable


def load(file, *args, **kwargs):
    """Like jnp.load: np.load, arrays converted to mlax arrays."""
    out = np.load(file, *args, **kwargs)
    if isinstance(out, np.ndarray):
        try:
            return asarray(out)
        except (TypeError, ValueError):
            return out
    return out


def save(file, arr, allow_pickle=True):
    """np.save of the values."""
    return np.save(file, _host(arr), allow_pickle=allow_pickle)


def savez(file, *args, **kwds):
    """np.savez of the values."""
    return np.savez(file, *[_host(a) for a in args], **{k: _host(v) for k, v in kwds.items()})


__all__ = [
    "append",
    "array_repr",
    "array_split",
    "array_str",
    "astype",
    "atleast_3d",
    "block",
    "c_",
    "column_stack",
    "concat",
    "copy",
    "delete",
    "diag_indices_from",
    "diagflat",
    "dsplit",
    "dstack",
    "frombuffer",
    "fromfile",
    "fromfunction",
    "fromiter",
    "fromstring",
    "geomspace",
    "get_printoptions",
    "hsplit",
    "index_exp",
    "indices",
    "insert",
    "iterable",
    "ix_",
    "load",
    "logspace",
    "mask_indices",
    "matrix_transpose",
    "meshgrid",
    "mgrid",
    "ogrid",
    "permute_dims",
    "printoptions",
    "r_",
    "ravel_multi_index",
    "resize",
    "rollaxis",
    "s_",
    "save",
    "savez",
    "set_printoptions",
    "tri",
    "tril_indices_from",
    "trim_zeros",
    "triu_indices_from",
    "unravel_index",
    "unstack",
    "vander",
    "vsplit",
]
