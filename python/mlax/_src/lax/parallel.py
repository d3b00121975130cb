"""Collectives over named axes (jax.lax's parallel operators).

Each emits one mlax collective op naming its axes with their sizes, which
the enclosing pmap / shard_map (or vmap with `axis_name`) bound
(`core.axes`). What the op means on devices is mlax-spmd-partition's and
mlax-lower-collectives' business; under vmap, mlax-batch rewrites it into
a reduction or reshuffle of the batch dimension.
"""

import builtins

import numpy as np

from ..._mlir import ir
from ..core import Primitive, aval_of, dtypes, i64_array_attr, i64_attr, tree_util, user_error
from ..core import axes as axes_env
from .common import _as_operand

_REDUCTIONS = {"sum": 0, "max": 1, "min": 2, "and": 3, "or": 4}


def _axis_tuple(axis_name):
    names = tuple(axis_name) if isinstance(axis_name, (tuple, list)) else (axis_name,)
    for n in names:
        if isinstance(n, int) and not isinstance(n, bool):
            raise user_error(
                NotImplementedError, "positional (integer) axis names are not supported by mlax"
            )
    return names


def _check_axes(names):
    """NameError for unbound names, ValueError for repeated ones."""
    for n in names:
        axes_env.lookup(n)
    if len(set(names)) != len(names):
        raise user_error(ValueError, f"axis names must be unique, got {names}")


def _axes_attrs(names):
    frames = [axes_env.lookup(n) for n in names]
    if len(set(names)) != len(names):
        raise user_error(ValueError, f"axis names must be unique, got {names}")
    return (
        ir.ArrayAttr.get([ir.StringAttr.get(str(f.name)) for f in frames]),
        i64_array_attr([f.size for f in frames]),
        builtins.max(1, _prod(f.size for f in frames)),
    )


def _prod(xs):
    n = 1
    for x in xs:
        n *= x
    return n


def _no_groups(axis_index_groups, name):
    if axis_index_groups is not None:
        raise user_error(NotImplementedError, f"{name}: axis_index_groups is not supported yet")


def _same_aval(x, **params):
    return x


def _collective_attrs(**params):
    names, sizes, _ = _axes_attrs(params["axes"])
    attrs = {"axis_names": names, "axis_sizes": sizes}
    if "reduction" in params:
        attrs["reduction"] = ir.IntegerAttr.get(
            ir.IntegerType.get_signless(32), _REDUCTIONS[params["reduction"]]
        )
    for key in ("dimension", "split_dimension", "concat_dimension"):
        if key in params:
            attrs[key] = i64_attr(params[key])
    if "tiled" in params:
        attrs["tiled"] = ir.BoolAttr.get(bool(params["tiled"]))
    if "pairs" in params:
        attrs["pairs"] = i64_array_attr([v for pair in params["pairs"] for v in pair])
    return attrs


def _psum_eval(x, axes, reduction):
    if reduction in ("and", "or") and not (dtypes.is_int(x.dtype) or dtypes.is_bool(x.dtype)):
        raise user_error(TypeError, f"p{reduction} needs integer or bool operands, got {x.dtype}")
    return x


psum_p = Primitive("psum", _psum_eval, _collective_attrs)


def _reduce(x, axis_name, reduction):
    names = _axis_tuple(axis_name)
    _check_axes(names)

    def one(leaf):
        v = _as_operand(leaf)
        aval = aval_of(v)
        if reduction == "sum" and dtypes.is_bool(aval.dtype):
            from .elementwise import convert_element_type

            v = convert_element_type(v, dtypes.int32)
        return psum_p.bind(v, axes=names, reduction=reduction)

    return tree_util.tree_map(one, x)


def psum(x, axis_name, *, axis_index_groups=None):
    """Sum of `x` over the devices (or examples) of `axis_name`."""
    _no_groups(axis_index_groups, "psum")
    return _reduce(x, axis_name, "sum")


def pmax(x, axis_name, *, axis_index_groups=None):
    _no_groups(axis_index_groups, "pmax")
    return _reduce(x, axis_name, "max")


def pmin(x, axis_name, *, axis_index_groups=None):
    _no_groups(axis_index_groups, "pmin")
    return _reduce(x, axis_name, "min")


def pmean(x, axis_name, *, axis_index_groups=None):
    _no_groups(axis_index_groups, "pmean")
    n = axis_size(axis_name)
    return tree_util.tree_map(lambda v: v / n, psum(x, axis_name))


def axis_size(axis_name):
    """The number of devices (or examples) along `axis_name` (a Python int)."""
    return axes_env.axis_size(_axis_tuple(axis_name))


def _axis_index_eval(axes):
    from ..core import ShapedArray

    return ShapedArray((), dtypes.int32)


axis_index_p = Primitive("axis_index", _axis_index_eval, _collective_attrs)


def axis_index(axis_name):
    """This device's (or example's) index along `axis_name` (int32;
    row-major over a tuple of names)."""
    names = _axis_tuple(axis_name)
    _check_axes(names)
    return axis_index_p.bind(axes=names)


def _all_gather_eval(x, axes, dimension, tiled):
    n = axes_env.axis_size(axes)
    shape = list(x.shape)
    if tiled:
        shape[dimension] *= n
    else:
        shape.insert(dimension, n)
    return x.update(shape=tuple(shape))


all_gather_p = Primitive("all_gather", _all_gather_eval, _collective_attrs)


def all_gather(x, axis_name, *, axis_index_groups=None, axis=0, tiled=False):
    """Every device's `x`, stacked along a new `axis` (or concatenated
    along `axis` when `tiled`)."""
    _no_groups(axis_index_groups, "all_gather")
    names = _axis_tuple(axis_name)
    _check_axes(names)

    def one(leaf):
        v = _as_operand(leaf)
        ndim = aval_of(v).ndim
        limit = ndim if tiled else ndim + 1
        if not -limit <= axis < limit:
            raise user_error(
                ValueError, f"all_gather: axis {axis} is out of bounds for rank {ndim} input"
            )
        return all_gather_p.bind(v, axes=names, dimension=axis % limit, tiled=bool(tiled))

    return tree_util.tree_map(one, x)


def _psum_scatter_eval(x, axes, dimension, tiled):
    n = axes_env.axis_size(axes)
    shape = list(x.shape)
    if tiled:
        if shape[dimension] % n:
            raise user_error(
                ValueError,
                f"psum_scatter: dimension {dimension} of shape {x.shape} (size "
                f"{shape[dimension]}) must be divisible by the axis size {n}",
            )
        shape[dimension] //= n
    else:
        if shape[dimension] != n:
            raise user_error(
                ValueError,
                f"psum_scatter: the scattered dimension {dimension} of shape {x.shape} must "
                f"equal the axis size {n}",
            )
        del shape[dimension]
    return x.update(shape=tuple(shape))


psum_scatter_p = Primitive("psum_scatter", _psum_scatter_eval, _collective_attrs)


def psum_scatter(x, axis_name, *, scatter_dimension=0, axis_index_groups=None, tiled=False):
    """psum, of which each device keeps one block along
    `scatter_dimension` (reduce-scatter)."""
    _no_groups(axis_index_groups, "psum_scatter")
    names = _axis_tuple(axis_name)
    _check_axes(names)

    def one(leaf):
        v = _as_operand(leaf)
        ndim = aval_of(v).ndim
        if not -ndim <= scatter_dimension < ndim:
            raise user_error(
                ValueError,
                f"psum_scatter: scatter_dimension {scatter_dimension} is out of bounds for "
                f"rank {ndim} input",
            )
        return psum_scatter_p.bind(
            v, axes=names, dimension=scatter_dimension % ndim, tiled=bool(tiled)
        )

    return tree_util.tree_map(one, x)


def _all_to_all_eval(x, axes, split_dimension, concat_dimension):
    n = axes_env.axis_size(axes)
    shape = list(x.shape)
    if shape[split_dimension] % n:
        raise user_error(
            ValueError,
            f"all_to_all: the split axis {split_dimension} of shape {x.shape} (size "
            f"{shape[split_dimension]}) must be divisible by the axis size {n}",
        )
    shape[split_dimension] //= n
    shape[concat_dimension] *= n
    return x.update(shape=tuple(shape))


all_to_all_p = Primitive("all_to_all", _all_to_all_eval, _collective_attrs)


def all_to_all(x, axis_name, split_axis, concat_axis, *, axis_index_groups=None, tiled=False):
    """Splits `split_axis` into one chunk per device, sends chunk i to
    device i and concatenates what arrives along `concat_axis`. Untiled,
    the split axis (of the axis size) goes away and a new one appears at
    `concat_axis`, as in JAX."""
    _no_groups(axis_index_groups, "all_to_all")
    names = _axis_tuple(axis_name)
    _check_axes(names)
    n = axes_env.axis_size(names)
    from .shape import expand_dims, squeeze

    def one(leaf):
        v = _as_operand(leaf)
        ndim = aval_of(v).ndim
        split, concat = split_axis % ndim, concat_axis % ndim
        if tiled:
            return all_to_all_p.bind(v, axes=names, split_dimension=split, concat_dimension=concat)
        if aval_of(v).shape[split] != n:
            raise user_error(
                ValueError,
                f"all_to_all requires the size of the mapped axis axis_name to equal "
                f"x.shape[split_axis], but they are {n} and {aval_of(v).shape[split]} "
                f"respectively.",
            )
        if split < concat:
            concat += 1
            v = expand_dims(v, (concat,))
        elif split > concat:
            v = expand_dims(v, (concat,))
            split += 1
        out = all_to_all_p.bind(v, axes=names, split_dimension=split, concat_dimension=concat)
        return out if split == concat else squeeze(out, (split,))

    return tree_util.tree_map(one, x)


def _ppermute_eval(x, axes, pairs):
    return x


ppermute_p = Primitive("ppermute", _ppermute_eval, _collective_attrs)


def ppermute(x, axis_name, perm):
    """Sends each device's `x` to the device `perm` pairs it with
    ((source, destination) index pairs); devices nothing is sent to get
    zeros."""
    names = _axis_tuple(axis_name)
    _check_axes(names)
    n = axes_env.axis_size(names)
    pairs = tuple((int(s), int(d)) for s, d in perm)
    sources, dests = [s for s, _ in pairs], [d for _, d in pairs]
    if len(set(sources)) != len(sources) or len(set(dests)) != len(dests):
        raise user_error(
            ValueError, f"ppermute sources and destinations must be unique, got {list(perm)}."
        )
    for s, d in pairs:
        if not (0 <= s < n and 0 <= d < n):
            raise user_error(
                ValueError,
                f"ppermute permutation indices must lie in [0, {n}) (the size of axis "
                f"{axis_name!r}), got {list(perm)}",
            )
    return tree_util.tree_map(lambda v: ppermute_p.bind(_as_operand(v), axes=names, pairs=pairs), x)


def pshuffle(x, axis_name, perm):
    """Device i gets the `x` of device perm[i]."""
    if sorted(perm) != list(range(len(perm))):
        raise user_error(ValueError, f"`perm` does not represent a permutation: {perm}")
    return ppermute(x, axis_name, [(src, dst) for dst, src in enumerate(perm)])


def pbroadcast(x, axis_name, source):
    """Every device gets the `x` of device `source`."""
    from .elementwise import eq, select
    from .shape import broadcast_in_dim

    names = _axis_tuple(axis_name)
    idx = axis_index(names)

    def one(leaf):
        v = _as_operand(leaf)
        aval = aval_of(v)
        keep = broadcast_in_dim(eq(idx, _as_operand(int(source), dtypes.int32)), aval.shape, ())
        zero = broadcast_in_dim(_as_operand(np.zeros((), aval.dtype), aval.dtype), aval.shape, ())
        kind = "or" if dtypes.is_bool(aval.dtype) else "sum"
        return psum_p.bind(select(keep, v, zero), axes=names, reduction=kind)

    return tree_util.tree_map(one, x)


__all__ = [
    "all_gather",
    "all_to_all",
    "axis_index",
    "axis_size",
    "pbroadcast",
    "pmax",
    "pmean",
    "pmin",
    "ppermute",
    "pshuffle",
    "psum",
    "psum_scatter",
]
