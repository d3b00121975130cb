"""SPMD: pmap, shard_map, with_sharding_constraint, and compiling and
running computations over a device mesh.

pmap and shard_map trace the per-device function into a private callee
and emit `mlax.shard_map` (pmap is a shard_map over a 1-d mesh, the
mapped axis split over it); with_sharding_constraint emits
`mlax.sharding_constraint`. A jit whose trace used a mesh (or whose
arguments are sharded, or which names in/out shardings) compiles through
mlax-sharding-propagation and mlax-spmd-partition into one per-device
module, run on every device of the mesh by runtime.spmd.
"""

import functools
import math
import os

import numpy as np

from ..._mlir import ir, passmanager
from ..core import aval_of, context, current_trace, hooks, tree_util, user_error
from ..core import axes as axes_env
from ..core.mlir import DTYPE_OF_ELEMENT
from ..lax.shape import reshape, transpose
from ..runtime import callbacks, compiler, distributed
from ..runtime.array import Array, ShardedArray, device_put
from ..runtime.spmd import LocalRendezvous, SpmdExecutable
from ..sharding import (
    Mesh,
    NamedSharding,
    PartitionSpec,
    SingleDeviceSharding,
    spec_axes,
    thread_mesh,
)
from .callee import Placeholder, _trace_callee

PMAP_AXIS = "_internal_pmap_axis_name"

# ---------------------------------------------------------------------------
# IR helpers
# ---------------------------------------------------------------------------


def _spec_attr(axes_per_dim):
    return ir.ArrayAttr.get(
        [ir.ArrayAttr.get([ir.StringAttr.get(a) for a in axes]) for axes in axes_per_dim]
    )


def _mesh_attrs(mesh):
    return (
        ir.ArrayAttr.get([ir.StringAttr.get(str(n)) for n in mesh.axis_names]),
        ir.DenseI64ArrayAttr.get([int(s) for s in mesh.devices.shape]),
    )


def _parse_spec(attr):
    return [tuple(ir.StringAttr(a).value for a in ir.ArrayAttr(d)) for d in ir.ArrayAttr(attr)]


def _partition_spec(axes_per_dim):
    return PartitionSpec(
        *[None if not axes else axes[0] if len(axes) == 1 else tuple(axes) for axes in axes_per_dim]
    )


def _move_axis(x, src, dst):
    ndim = aval_of(x).ndim
    if src == dst:
        return x
    perm = [d for d in range(ndim) if d != src]
    perm.insert(dst, src)
    return transpose(x, tuple(perm))


def _local_shape(shape, axes_per_dim, sizes, what):
    out = list(shape)
    for d, axes in enumerate(axes_per_dim):
        n = math.prod(sizes[a] for a in axes)
        if out[d] % n:
            raise user_error(
                ValueError,
                f"{what}: dimension {d} of shape {tuple(shape)} (size {shape[d]}) is not "
                f"evenly divisible by the mesh axes {axes} (total size {n})",
            )
        out[d] //= n
    return tuple(out)


def _check_spec(spec, mesh, ndim, what):
    if not isinstance(spec, PartitionSpec):
        raise user_error(
            TypeError, f"{what} entries must be PartitionSpecs (or None), got {spec!r}"
        )
    if len(spec) > ndim:
        raise user_error(
            ValueError,
            f"{what} {spec!r} has {len(spec)} entries, more than the rank {ndim} of its value",
        )
    seen = set()
    for axes in spec_axes(spec, ndim):
        for a in axes:
            if a not in mesh.axis_names:
                raise user_error(
                    ValueError,
                    f"{what} {spec!r} refers to {a!r}, which is not in the mesh axis names "
                    f"{mesh.axis_names}",
                )
            if a in seen:
                from ..sharding import DuplicateSpecError

                raise user_error(
                    DuplicateSpecError,
                    f"{what} {spec!r} maps mesh axis `{a}` to more than one dimension",
                )
            seen.add(a)
    return spec_axes(spec, ndim)


def _emit_shard_map(parent, child, mesh, operands, in_axes, out_avals, out_axes):
    def attributes():
        names, shape = _mesh_attrs(mesh)
        return {
            "callee": ir.FlatSymbolRefAttr.get(child.name),
            "mesh_axes": names,
            "mesh_shape": shape,
            "in_specs": ir.ArrayAttr.get([_spec_attr(a) for a in in_axes]),
            "out_specs": ir.ArrayAttr.get([_spec_attr(a) for a in out_axes]),
        }

    return parent.emit("mlax.shard_map", operands, out_avals, attributes)


def _no_nested_spmd(what):
    for name in axes_env.bound_axis_names():
        if axes_env.lookup(name).kind == "spmd":
            raise user_error(
                NotImplementedError,
                f"{what} inside another pmap/shard_map (axis {name!r}) is not supported yet",
            )


# ---------------------------------------------------------------------------
# Which mesh axes a traced per-device value may vary over
# ---------------------------------------------------------------------------

_INVARIANT_AFTER = ("mlax.psum", "mlax.all_gather")  # same on every device of the group
_VARYING_AFTER = ("mlax.psum_scatter", "mlax.all_to_all", "mlax.ppermute", "mlax.axis_index")


def _op_axes(op):
    return {ir.StringAttr(a).value for a in ir.ArrayAttr(op.attributes["axis_names"])}


def _varying_results(func, arg_axes, module, _stack=()):
    """For each result of `func` (a func.func op), the mesh axes it may
    vary over, given those of its arguments (as JAX's check_vma infers)."""
    block = func.regions[0].blocks[0]
    varying = {}
    for arg, axes in zip(block.arguments, arg_axes):
        varying[arg] = set(axes)
    for op in block.operations:
        name = op.operation.name
        ins = set()
        for v in op.operands:
            ins |= varying.get(v, set())
        if name == "func.return":
            return [set(varying.get(v, set())) for v in op.operands]
        if name in _INVARIANT_AFTER:
            outs = [ins - _op_axes(op)]
        elif name in _VARYING_AFTER:
            outs = [ins | _op_axes(op)]
        elif name == "func.call":
            callee = _lookup(module, ir.FlatSymbolRefAttr(op.attributes["callee"]).value)
            if callee is not None and callee not in _stack:
                outs = _varying_results(
                    callee, [varying.get(v, set()) for v in op.operands], module, _stack + (callee,)
                )
            else:
                outs = [ins] * len(op.results)
        else:
            outs = [ins] * len(op.results)
        for r, axes in zip(op.results, outs):
            varying[r] = axes
    return []


def _lookup(module, name):
    for op in module.body.operations:
        if (
            op.operation.name == "func.func"
            and ir.StringAttr(op.attributes["sym_name"]).value == name
        ):
            return op
    return None


def _check_out_replication(fun, child, mesh, in_axes, out_axes):
    """JAX's check_vma: an out_spec leaving out a mesh axis claims the value
    is the same on every device along it."""
    with context():
        arg_axes = [{a for d in axes for a in d} for axes in in_axes]
        arg_axes += [set()] * (len(child.block.arguments) - len(arg_axes))
        outs = _varying_results(child.func.operation, arg_axes, child.module)
    for axes, varying in zip(out_axes, outs):
        mentioned = {a for d in axes for a in d}
        bad = varying - mentioned
        if bad:
            spec = _partition_spec(axes)
            names = ",".join(a for a in mesh.axis_names if a in bad)
            fname = getattr(fun, "__name__", "fun")
            raise user_error(
                ValueError,
                f"shard_map applied to the function '{fname}' was given out_specs which require "
                f"replication which can't be statically inferred given the mesh:\n\n"
                f"The mesh given has shape {tuple(mesh.devices.shape)} with corresponding axis "
                f"names {mesh.axis_names}.\n\nout_specs is {spec!r} which implies that the "
                f"corresponding output value is only varying across mesh axes "
                f"{{{','.join(a for a in mesh.axis_names if a in mentioned)}}} and not "
                f"{{{names}}}, but it was inferred to be possibly varying over {{{names}}}\n\n"
                f"Check if these output values are meant to be replicated over those mesh axes. "
                f"If not, consider revising the corresponding out_specs entries. If so, consider "
                f"disabling the check by passing the check_vma=False argument to "
                f"`mlax.shard_map`.",
            )


# ---------------------------------------------------------------------------
# shard_map
# ---------------------------------------------------------------------------


def shard_map(
    f=None,
    *,
    mesh=None,
    in_specs=None,
    out_specs=None,
    check_rep=True,
    check_vma=True,
    axis_names=None,
    auto=None,
):
    """jax.shard_map: `f` runs on every device of `mesh` on its block of
    each argument (in_specs), returning blocks assembled by out_specs."""
    if f is None:
        return lambda g: shard_map(
            g,
            mesh=mesh,
            in_specs=in_specs,
            out_specs=out_specs,
            check_rep=check_rep,
            check_vma=check_vma,
        )
    if mesh is None:
        mesh = thread_mesh()
    if not isinstance(mesh, Mesh):
        raise user_error(TypeError, f"shard_map requires a Mesh, got {mesh!r}")
    if in_specs is None or out_specs is None:
        raise user_error(TypeError, "shard_map requires in_specs and out_specs")

    @functools.wraps(f)
    def mapped(*args):
        if current_trace() is None:
            return _eager_spmd(mapped)(*args)
        _no_nested_spmd("shard_map")
        sizes = dict(mesh.shape)
        leaves, in_tree = tree_util.tree_flatten((args, {}))
        try:
            specs = tree_util.flatten_prefix(in_specs, args, "shard_map in_specs")
        except ValueError:
            raise user_error(
                ValueError,
                f"shard_map in_specs specification must be a tree prefix of the arguments, "
                f"got {in_specs} for arguments {tree_util.tree_structure(args)}",
            ) from None
        in_axes, blocks = [], []
        for i, (x, spec) in enumerate(zip(leaves, specs)):
            aval = aval_of(x)
            axes = _check_spec(
                spec if spec is not None else PartitionSpec(),
                mesh,
                aval.ndim,
                f"shard_map in_specs[{i}]",
            )
            in_axes.append(axes)
            blocks.append(
                Placeholder(
                    aval.update(
                        shape=_local_shape(aval.shape, axes, sizes, f"shard_map argument {i}")
                    )
                )
            )

        def body(*a, **k):
            with axes_env.bind_axes(sizes, "spmd"):
                return f(*a, **k)

        body.__name__ = getattr(f, "__name__", "shmap_body")
        parent, child, out_avals, out_tree = _trace_callee(body, blocks, in_tree, "shard_map")
        parent.use_mesh(mesh)
        out_example = out_tree.unflatten(out_avals)
        try:
            ospecs = tree_util.flatten_prefix(out_specs, out_example, "shard_map out_specs")
        except ValueError:
            raise user_error(
                ValueError,
                f"shard_map out_specs specification must be a tree prefix of the outputs, got "
                f"{out_specs} for outputs {out_tree}",
            ) from None
        out_axes, global_avals = [], []
        for j, (aval, spec) in enumerate(zip(out_avals, ospecs)):
            axes = _check_spec(
                spec if spec is not None else PartitionSpec(),
                mesh,
                aval.ndim,
                f"shard_map out_specs[{j}]",
            )
            out_axes.append(axes)
            shape = tuple(s * math.prod(sizes[a] for a in ax) for s, ax in zip(aval.shape, axes))
            global_avals.append(aval.update(shape=shape))
        in_axes += [[()] * aval_of(c).ndim for c in child.captured]
        if check_rep and check_vma:
            _check_out_replication(f, child, mesh, in_axes, out_axes)
        outs = _emit_shard_map(
            parent,
            child,
            mesh,
            list(leaves) + list(child.captured),
            in_axes,
            global_avals,
            out_axes,
        )
        return out_tree.unflatten(outs)

    return mapped


# ---------------------------------------------------------------------------
# pmap
# ---------------------------------------------------------------------------


def _pmap_devices(n, devices):
    available = list(devices) if devices is not None else hooks.all_devices()
    if n > len(available):
        raise user_error(
            ValueError,
            f"pmap needs {n} devices (the size of the mapped axis) but only "
            f"{len(available)} are available. For more CPU devices set "
            f"MLAX_NUM_CPU_DEVICES={n} in the environment, or call "
            f"mlax.config.update('jax_num_cpu_devices', {n}) before the first use of devices "
            f"(JAX's option of the same name)",
        )
    if devices is not None and len(available) != n:
        raise user_error(
            ValueError,
            f"pmap was given {len(available)} devices but maps an axis of size {n}",
        )
    return available[:n]


def pmap(
    fun=None,
    axis_name=None,
    *,
    in_axes=0,
    out_axes=0,
    static_broadcasted_argnums=(),
    devices=None,
    backend=None,
    axis_size=None,
    donate_argnums=(),
    global_arg_shapes=None,
):
    """jax.pmap: `fun` on every device at once, one slice of the mapped
    axis each; collectives over `axis_name` reach across devices."""
    if fun is None:
        return lambda f: pmap(
            f,
            axis_name,
            in_axes=in_axes,
            out_axes=out_axes,
            static_broadcasted_argnums=static_broadcasted_argnums,
            devices=devices,
            axis_size=axis_size,
        )
    if not callable(fun):
        raise TypeError(f"Expected a callable value, got {fun!r}")
    name = axis_name if axis_name is not None else PMAP_AXIS
    if isinstance(static_broadcasted_argnums, int):
        static_broadcasted_argnums = (static_broadcasted_argnums,)
    static = frozenset(static_broadcasted_argnums)
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    eager_cache = {}

    @functools.wraps(fun)
    def pmapped(*args, **kwargs):
        static_vals = tuple((i, args[i]) for i in sorted(static) if i < len(args))
        if current_trace() is None:
            key = tuple((i, v) for i, v in static_vals)
            try:
                hash(key)
            except TypeError:
                raise user_error(
                    ValueError,
                    "Non-hashable static arguments are not supported. static_broadcasted_argnums "
                    f"{sorted(static)} got {key}",
                ) from None
            dyn = tuple(a for i, a in enumerate(args) if i not in static)
            jitted = eager_cache.get(key)
            if jitted is None:
                from .jit import Jitted

                def traced(*dyn_args, **kw):
                    it = iter(dyn_args)
                    full = [
                        dict(static_vals)[i] if i in dict(static_vals) else next(it)
                        for i in range(len(args))
                    ]
                    return pmapped(*full, **kw)

                jitted = eager_cache[key] = Jitted(traced, name=getattr(fun, "__name__", "pmap"))
            dyn = _process_local_inputs(
                dyn, in_axes if not static else _drop_static(in_axes, static, len(args))
            )
            return _relabel_pmap_outputs(jitted(*dyn, **kwargs))
        _no_nested_spmd("pmap")
        dyn_args = [a for i, a in enumerate(args) if i not in static]
        axes_spec = in_axes
        if isinstance(in_axes, tuple):
            if len(in_axes) != len(args):
                raise user_error(
                    ValueError,
                    f"pmap in_axes must be an int, None, or a tuple of entries corresponding to "
                    f"the positional arguments passed to the function, but got "
                    f"len(in_axes)={len(in_axes)}, len(args)={len(args)}",
                )
            axes_spec = tuple(a for i, a in enumerate(in_axes) if i not in static)
        try:
            axes = tree_util.flatten_prefix(axes_spec, tuple(dyn_args), "pmap in_axes")
        except ValueError:
            raise user_error(
                ValueError,
                f"pmap in_axes specification must be a tree prefix of the corresponding value, "
                f"got specification {in_axes} for value tree "
                f"{tree_util.tree_structure(tuple(dyn_args))}.",
            ) from None
        axes += [0] * len(tree_util.tree_leaves(kwargs))
        leaves, in_tree = tree_util.tree_flatten((tuple(dyn_args), kwargs))
        sizes = []
        for i, (x, ax) in enumerate(zip(leaves, axes)):
            if ax is None:
                continue
            aval = aval_of(x)
            if not -aval.ndim <= ax < aval.ndim:
                raise user_error(
                    ValueError,
                    f"pmap was requested to map its argument along axis {ax}, which implies "
                    f"that its rank should be at least {ax + 1 if ax >= 0 else -ax}, but is only "
                    f"{aval.ndim} (its shape is {aval.shape})",
                )
            axes[i] = ax % aval.ndim
            sizes.append((i, aval.shape[axes[i]]))
        distinct = {s for _, s in sizes} | ({axis_size} if axis_size is not None else set())
        if len(distinct) > 1:
            lines = "\n".join(
                f"  * argument leaf {i} has shape {aval_of(leaves[i]).shape} and axis {axes[i]} "
                f"to be mapped, of size {s}"
                for i, s in sizes
            )
            raise user_error(
                ValueError, f"pmap got inconsistent sizes for array axes to be mapped:\n{lines}"
            )
        if not distinct:
            raise user_error(ValueError, "pmap requires at least one argument with a mapped axis")
        n = distinct.pop()
        mesh = Mesh(np.array(_pmap_devices(n, devices), dtype=object).reshape(n), (name,))

        operands, blocks, in_specs = [], [], []
        for x, ax in zip(leaves, axes):
            aval = aval_of(x)
            if ax is None:
                operands.append(x)
                blocks.append(Placeholder(aval))
                in_specs.append([()] * aval.ndim)
            else:
                operands.append(_move_axis(x, ax, 0))
                blocks.append(
                    Placeholder(aval.update(shape=(1,) + aval.shape[:ax] + aval.shape[ax + 1 :]))
                )
                in_specs.append([(name,)] + [()] * (aval.ndim - 1))
        mapped_flags = [ax is not None for ax in axes]
        out_info = {}

        def body(*a, **kw):
            flat, tree = tree_util.tree_flatten((a, kw))
            flat = [
                reshape(x, aval_of(x).shape[1:]) if m else x for x, m in zip(flat, mapped_flags)
            ]
            a2, kw2 = tree_util.tree_unflatten(tree, flat)
            full = list(a2)
            for i, v in static_vals:
                full.insert(i, v)
            with axes_env.bind_axes({name: n}, "spmd"):
                out = fun(*full, **kw2)
            out_leaves, out_tree = tree_util.tree_flatten(out)
            try:
                oaxes = tree_util.flatten_prefix(out_axes, out, "pmap out_axes")
            except ValueError:
                raise user_error(
                    ValueError,
                    f"pmap out_axes specification must be a tree prefix of the corresponding "
                    f"value, got specification {out_axes} for value tree {out_tree}.",
                ) from None
            out_info["axes"] = oaxes
            from ..lax.common import _as_operand

            res = []
            for leaf, oax in zip(out_leaves, oaxes):
                leaf = _as_operand(leaf)
                res.append(leaf if oax is None else reshape(leaf, (1,) + aval_of(leaf).shape))
            return out_tree.unflatten(res)

        body.__name__ = getattr(fun, "__name__", "pmap_body")
        parent, child, out_avals, out_tree = _trace_callee(body, blocks, in_tree, "pmap")
        parent.use_mesh(mesh)
        out_specs, global_avals = [], []
        for aval, oax in zip(out_avals, out_info["axes"]):
            if oax is None:
                out_specs.append([()] * aval.ndim)
                global_avals.append(aval)
            else:
                out_specs.append([(name,)] + [()] * (aval.ndim - 1))
                global_avals.append(aval.update(shape=(n,) + aval.shape[1:]))
        in_specs += [[()] * aval_of(c).ndim for c in child.captured]
        outs = _emit_shard_map(
            parent, child, mesh, operands + list(child.captured), in_specs, global_avals, out_specs
        )
        results = []
        for x, oax in zip(outs, out_info["axes"]):
            if oax is None:
                results.append(x)
                continue
            ndim = aval_of(x).ndim
            if not -ndim <= oax < ndim:
                raise user_error(
                    ValueError, f"pmap out_axes {oax} is out of bounds for a rank {ndim} output"
                )
            results.append(_move_axis(x, 0, oax % ndim))
        return out_tree.unflatten(results)

    return pmapped


def _drop_static(in_axes, static, nargs):
    if isinstance(in_axes, tuple):
        return tuple(a for i, a in enumerate(in_axes) if i not in static)
    return in_axes


def _process_local_inputs(args, in_axes):
    """Under mlax.distributed each process passes pmap its own devices'
    slices (as in JAX); they become one array over every process's devices."""
    if distributed.process_count() == 1:
        return args
    return distributed.globalize_pmap_inputs(args, in_axes)


def _relabel_pmap_outputs(out):
    """pmap results carry JAX 0.10's sharding: the mesh axis is named
    _internal_pmap_axis_name whatever axis_name the body used."""

    def relabel(x):
        if not isinstance(x, ShardedArray):
            return x
        s = x.sharding
        if len(s.mesh.axis_names) != 1 or s.mesh.axis_names[0] == PMAP_AXIS:
            return x
        mesh = Mesh(s.mesh.devices, (PMAP_AXIS,))
        entries = [PMAP_AXIS if p is not None else None for p in s.spec]
        while entries and entries[-1] is None:
            entries.pop()
        spec = PartitionSpec(*entries)
        return ShardedArray(x._shards, x.aval, NamedSharding(mesh, spec))

    return tree_util.tree_map(relabel, out)


# ---------------------------------------------------------------------------
# with_sharding_constraint
# ---------------------------------------------------------------------------


def _as_named(sharding, what):
    if isinstance(sharding, PartitionSpec):
        mesh = thread_mesh()
        if mesh is None:
            raise user_error(
                ValueError,
                f"{what}: a bare PartitionSpec needs a mesh: use NamedSharding(mesh, spec) or "
                f"`with mesh:`",
            )
        return NamedSharding(mesh, sharding)
    if not isinstance(sharding, NamedSharding):
        raise user_error(
            TypeError, f"{what} needs NamedSharding or PartitionSpec values, got {sharding!r}"
        )
    return sharding


def with_sharding_constraint(x, shardings):
    """The value `x`, laid out by `shardings` (a pytree prefix of NamedSharding
    or PartitionSpec values)."""
    leaves, tree = tree_util.tree_flatten(x)
    try:
        per_leaf = tree_util.flatten_prefix(shardings, x, "with_sharding_constraint")
    except ValueError:
        raise user_error(
            ValueError, "with_sharding_constraint shardings must be a tree prefix of the value"
        ) from None
    trace = current_trace()
    out = []
    for leaf, s in zip(leaves, per_leaf):
        if isinstance(s, SingleDeviceSharding):
            # The whole value on one device: no layout to constrain in a
            # trace (JAX accepts it there too); eagerly a transfer.
            if trace is None:
                leaf = device_put(leaf, s)
            out.append(leaf)
            continue
        named = _as_named(s, "with_sharding_constraint")
        if trace is None:
            out.append(device_put(leaf, named))
            continue
        aval = aval_of(leaf)
        named.check_shape(aval.shape)
        axes = _check_spec(named.spec, named.mesh, aval.ndim, "with_sharding_constraint")
        trace.use_mesh(named.mesh)

        def attributes(axes=axes, mesh=named.mesh):
            names, shape = _mesh_attrs(mesh)
            return {"mesh_axes": names, "mesh_shape": shape, "sharding": _spec_attr(axes)}

        out.append(trace.emit("mlax.sharding_constraint", [leaf], [aval], attributes)[0])
    return tree.unflatten(out)


# ---------------------------------------------------------------------------
# Compiling and running a computation over a mesh
# ---------------------------------------------------------------------------

_PARTITION_PIPELINE = (
    "builtin.module(inline,symbol-dce,canonicalize,mlax-sharding-propagation,"
    "mlax-spmd-partition,inline,symbol-dce,canonicalize,cse)"
)
_LOWER_PIPELINE = (
    "builtin.module(mlax-lower-collectives,mlax-lower-to-linalg,mlax-bound-dispatch-operands,"
    "func.func(mlax-fuse-elementwise),canonicalize,cse,mlax-keep-while-carries)"
)

_REDUCTION_NAMES = {0: "sum", 1: "max", 2: "min", 3: "and", 4: "or"}


def _spec_of_input(sharding, mesh, ndim):
    """The input's block layout as axes of `mesh`, when its devices match
    (a 1-d mesh of the same devices under another axis name counts)."""
    if not isinstance(sharding, NamedSharding):
        return None
    other = sharding.mesh
    if other == mesh:
        return spec_axes(sharding.spec, ndim)
    same_devices = [d.id for d in other.devices.flat] == [d.id for d in mesh.devices.flat]
    if same_devices and other.devices.shape == mesh.devices.shape:
        rename = dict(zip(other.axis_names, mesh.axis_names))
        return [tuple(rename[a] for a in axes) for axes in spec_axes(sharding.spec, ndim)]
    return None


def _collectives(module):
    out = {}
    for op in module.body.operations:
        if op.operation.name != "func.func" or "mlax.collective" not in op.attributes:
            continue
        name = ir.StringAttr(op.attributes["sym_name"]).value.split(".", 1)[1]
        d = ir.DictAttr(op.attributes["mlax.collective"])
        spec = {
            "kind": ir.StringAttr(d["kind"]).value,
            "axis_names": [ir.StringAttr(a).value for a in ir.ArrayAttr(d["axis_names"])],
            "dtype": np.dtype(DTYPE_OF_ELEMENT[str(ir.TypeAttr(d["element_type"]).value)]),
            "in_shape": tuple(ir.RankedTensorType(ir.TypeAttr(d["operand_type"]).value).shape),
            "out_shape": tuple(ir.RankedTensorType(ir.TypeAttr(d["result_type"]).value).shape),
        }
        for key in ("dimension", "split_dimension", "concat_dimension"):
            if key in d:
                spec[key] = ir.IntegerAttr(d[key]).value
        if "tiled" in d:
            spec["tiled"] = ir.BoolAttr(d["tiled"]).value
        if "reduction" in d:
            spec["reduction"] = _REDUCTION_NAMES[ir.IntegerAttr(d["reduction"]).value]
        if "pairs" in d:
            spec["pairs"] = list(ir.DenseI64ArrayAttr(d["pairs"]))
        out[name] = spec
    return out


def _main_func(module):
    for op in module.body.operations:
        if (
            op.operation.name == "func.func"
            and ir.StringAttr(op.attributes["sym_name"]).value == "main"
        ):
            return op
    raise RuntimeError("no @main in the traced module")


def _set_arg_attr(func, attr_name, index, key, value):
    arrays = func.attributes[attr_name] if attr_name in func.attributes else None  # noqa: SIM401
    n = len(func.type.inputs if attr_name == "arg_attrs" else func.type.results)
    dicts = [
        ir.DictAttr(arrays[i]) if arrays is not None else ir.DictAttr.get({}) for i in range(n)
    ]
    entries = {dicts[index][j].name: dicts[index][j].attr for j in range(len(dicts[index]))}
    entries[key] = value
    dicts[index] = ir.DictAttr.get(entries)
    func.attributes[attr_name] = ir.ArrayAttr.get(list(dicts))


def _get_spec_attr(func, attr_name, index):
    arrays = ir.ArrayAttr(func.attributes[attr_name])
    return _parse_spec(ir.DictAttr(arrays[index])["mlax.sharding"])


class SpmdCompiled:
    """A traced computation partitioned over `mesh` and loaded on its
    devices; calling it takes and returns arrays sharded over the mesh."""

    def __init__(self, traced, mesh, arg_shardings, out_shardings):
        self.mesh = mesh
        self.out_tree = traced.out_tree
        self.captured = traced.captured
        module = traced.module
        n_in = len(traced.in_avals) + len(traced.captured)
        in_avals = list(traced.in_avals) + [c.aval for c in traced.captured]
        with context():
            main = _main_func(module)
            names, shape = _mesh_attrs(mesh)
            main.attributes["mlax.mesh_axes"] = names
            main.attributes["mlax.mesh_shape"] = shape
            for i, axes in enumerate(arg_shardings):
                if axes is not None:
                    _set_arg_attr(main, "arg_attrs", i, "mlax.sharding", _spec_attr(axes))
            for j, axes in enumerate(out_shardings):
                if axes is not None:
                    _set_arg_attr(main, "res_attrs", j, "mlax.sharding", _spec_attr(axes))
            compiler.expand_requests(module)
            passmanager.PassManager.parse(_PARTITION_PIPELINE, context()).run(module.operation)
            main = _main_func(module)
            self.arg_axes = [_get_spec_attr(main, "arg_attrs", i) for i in range(n_in)]
            self.out_axes = [
                _get_spec_attr(main, "res_attrs", j) for j in range(len(traced.out_avals))
            ]
            passmanager.PassManager.parse(_LOWER_PIPELINE, context()).run(module.operation)
            collectives = _collectives(module)
            imports = callbacks.take_imports(module)
            text = module.operation.get_asm()
        if os.environ.get("MLAX_DUMP_IR"):
            print(text)
        self.in_shardings = [NamedSharding(mesh, _partition_spec(a)) for a in self.arg_axes]
        self.out_shardings = [NamedSharding(mesh, _partition_spec(a)) for a in self.out_axes]
        self.in_avals = in_avals
        self.out_avals = list(traced.out_avals)
        sizes = dict(mesh.shape)
        local_out = [
            a.update(shape=_local_shape(a.shape, ax, sizes, "result"))
            for a, ax in zip(self.out_avals, self.out_axes)
        ]
        vmfb = compiler.compile_vmfb(text)
        flat = list(mesh.devices.flat)
        self.executable = SpmdExecutable(
            vmfb,
            mesh,
            "main",
            [local_out] * len(flat),
            collectives,
            _rendezvous_factory(mesh),
            imports,
            compiler.written_arguments(text),
        )
        self.device = self.executable.devices[0]

    def _shards(self, leaf, aval, sharding):
        if isinstance(leaf, ShardedArray) and leaf.sharding.is_equivalent_to(sharding, aval.ndim):
            index_of = sharding.devices_indices_map(aval.shape)
            by_index = {}
            for d, idx in leaf.sharding.devices_indices_map(aval.shape).items():
                if d in leaf._shards:
                    by_index.setdefault(tuple((s.start, s.stop) for s in idx), leaf._shards[d])
            out = {}
            for d in self.executable.devices:
                if (
                    d in leaf._shards
                    and leaf.sharding.devices_indices_map(aval.shape)[d] == index_of[d]
                ):
                    out[d] = leaf._shards[d]
                else:
                    out[d] = by_index[tuple((s.start, s.stop) for s in index_of[d])]
            return out
        if isinstance(leaf, Array):
            value = leaf._value()
        else:
            value = np.asarray(leaf, dtype=aval.dtype)
        out = {}
        for d, idx in sharding.devices_indices_map(aval.shape).items():
            if getattr(d, "is_local", True):
                out[d] = d.put(np.asarray(value[idx]))
        return out

    def __call__(self, leaves):
        leaves = list(leaves) + list(self.captured)
        per_leaf = [
            self._shards(x, a, s) for x, a, s in zip(leaves, self.in_avals, self.in_shardings)
        ]
        args = [[shards[d] for shards in per_leaf] for d in self.executable.devices]
        outs = self.executable.call(args)
        results = []
        for j, (aval, sharding) in enumerate(zip(self.out_avals, self.out_shardings)):
            shards = {d: outs[i][j] for i, d in enumerate(self.executable.devices)}
            results.append(ShardedArray(shards, aval, sharding))
        return results


def _rendezvous_factory(mesh):
    if not mesh.is_multi_process:
        return LocalRendezvous
    return distributed.rendezvous_factory(mesh)


def spmd_mesh(traced, leaves, in_shardings, out_shardings):
    """The mesh a jit runs over: its trace's, else its stated shardings',
    else its sharded arguments'; None for a single-device computation."""
    if traced.mesh is not None:
        return traced.mesh
    for s in list(in_shardings or []) + list(out_shardings or []):
        if isinstance(s, NamedSharding):
            return s.mesh
    for leaf in list(leaves) + list(traced.captured):
        if isinstance(leaf, ShardedArray):
            return leaf.sharding.mesh
    return None


def compile_spmd(traced, mesh, leaves, in_shardings=None, out_shardings=None):
    """SpmdCompiled for a traced jit: argument shardings are the stated
    ones, else the sharded inputs' own (when on this mesh's devices), else
    left to propagation."""
    all_leaves = list(leaves) + list(traced.captured)
    avals = list(traced.in_avals) + [c.aval for c in traced.captured]
    arg_axes = []
    for i, (leaf, aval) in enumerate(zip(all_leaves, avals)):
        stated = in_shardings[i] if in_shardings is not None and i < len(in_shardings) else None
        if stated is not None:
            named = _as_named(stated, "in_shardings")
            named.check_shape(aval.shape)
            arg_axes.append(_spec_of_input(named, mesh, aval.ndim))
        elif isinstance(leaf, ShardedArray):
            arg_axes.append(_spec_of_input(leaf.sharding, mesh, aval.ndim))
        else:
            arg_axes.append(None)
    out_axes = []
    for j, aval in enumerate(traced.out_avals):
        stated = out_shardings[j] if out_shardings is not None else None
        if stated is None:
            out_axes.append(None)
            continue
        named = _as_named(stated, "out_shardings")
        named.check_shape(aval.shape)
        out_axes.append(_spec_of_input(named, mesh, aval.ndim))
    return SpmdCompiled(traced, mesh, arg_axes, out_axes)


def _eager_spmd(f):
    from .callee import _eager

    return _eager(f)


__all__ = [
    "PMAP_AXIS",
    "SpmdCompiled",
    "compile_spmd",
    "pmap",
    "shard_map",
    "spmd_mesh",
    "with_sharding_constraint",
]


def reshard(xs, out_shardings):
    """jax.sharding.reshard: every array of the pytree `xs` laid out as
    `out_shardings` (a Sharding, or a PartitionSpec over the set mesh, or
    a pytree prefix of them). Inside jit it is a sharding constraint."""
    from ..runtime.array import device_put_tree

    def resolve(s):
        if isinstance(s, PartitionSpec):
            mesh = thread_mesh()
            if mesh is None:
                raise user_error(
                    ValueError,
                    "reshard with a PartitionSpec needs a mesh: use jax.set_mesh(mesh) or pass "
                    "a NamedSharding",
                )
            return NamedSharding(mesh, s)
        return s

    is_spec = lambda s: isinstance(s, PartitionSpec)
    shardings = tree_util.tree_map(resolve, out_shardings, is_leaf=is_spec)
    leaves = tree_util.tree_leaves(xs)
    if any(not isinstance(leaf, (Array, np.ndarray, int, float, bool)) for leaf in leaves):
        return with_sharding_constraint(xs, shardings)
    return device_put_tree(xs, shardings)
