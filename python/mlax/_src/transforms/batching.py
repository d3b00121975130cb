"""vmap: a request for the mlax-batch pass.

Python never batches. Calling `vmap(f)` traces `f` on one example into a
private func.func of the module being built and emits
`mlax.batch @f(...) in_axes = [...] out_axes = [...] size = N` in the
caller; the C++ pass `mlax-batch` expands it (passes/batching/). Outside any
trace, the call runs through `jit`, so eager `vmap(f)(xs)` works too.
"""

import functools

from ..._mlir import ir
from ..._mlir.dialects import mlax as mlax_dialect
from ..core import aval_of, current_trace, tree_util, user_error
from ..core import axes as axes_env
from .callee import Placeholder, _trace_callee, close_over_static, eager_call


def _check_axis_spec(spec, what):
    for leaf in tree_util.tree_leaves(spec, is_leaf=lambda x: x is None):
        if leaf is not None and (not isinstance(leaf, int) or isinstance(leaf, bool)):
            raise user_error(
                ValueError,
                f"vmap {what} must be an int, None, or (nested) container with those types "
                f"as leaves, but got {spec}.",
            )


def _batched_outputs(child, batched_args, axis_name=None):
    """Which results of the traced callee depend on a batched argument, by
    the same analysis mlax-batch runs (mlax::batchedResults)."""
    return mlax_dialect.batched_results(
        child.func.operation, list(batched_args), "" if axis_name is None else str(axis_name)
    )


def _leaf_names(args, kwargs):
    names = []
    for i, a in enumerate(args):
        n = len(tree_util.tree_leaves(a))
        names += [f"args[{i}]" if n == 1 else f"args[{i}] (leaf {j})" for j in range(n)]
    # keyword leaves flatten in sorted key order
    for k in sorted(kwargs):
        n = len(tree_util.tree_leaves(kwargs[k]))
        names += [f"kwargs[{k!r}]" if n == 1 else f"kwargs[{k!r}] (leaf {j})" for j in range(n)]
    return names


def vmap(fun, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None):
    """Like jax.vmap: `fun` mapped over an axis of its arguments.

    in_axes/out_axes: an int, None, or a pytree prefix of the positional
    arguments / outputs (lists count as tuples). Keyword arguments are
    mapped over their axis 0. The mapping is done by the mlax-batch pass.
    """
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if not (in_axes is None or isinstance(in_axes, (int, tuple))) or isinstance(in_axes, bool):
        raise user_error(
            TypeError,
            f"vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
            f"positional arguments passed to the function, but got {in_axes}.",
        )
    _check_axis_spec(in_axes, "in_axes")
    _check_axis_spec(out_axes, "out_axes")
    if spmd_axis_name is not None:
        raise NotImplementedError("vmap spmd_axis_name is not supported yet")

    def _unmapped_scalars(args, kwargs):
        """Per leaf: a Python scalar with in_axes None, which JAX hands to
        `fun` as it is (vmap(f, in_axes=(0, None))(keys, 1000) may use the
        1000 as a shape). None when the spec does not fit (vmap_f raises)."""
        try:
            if isinstance(in_axes, tuple) and len(in_axes) != len(args):
                return None
            axes = tree_util.flatten_prefix(in_axes, args, "vmap in_axes")
        except ValueError:
            return None
        leaves = tree_util.tree_leaves((args, kwargs))
        axes += [0] * (len(leaves) - len(axes))
        scalars = [
            a is None and type(x) in (bool, int, float, complex) for x, a in zip(leaves, axes)
        ]
        return scalars if any(scalars) else None

    @functools.wraps(fun)
    def vmap_f(*args, **kwargs):
        if current_trace() is None:
            return eager_call(vmap_f, vmap_f, False, args, kwargs, _unmapped_scalars(args, kwargs))
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise user_error(
                ValueError,
                f"vmap in_axes must be an int, None, or a tuple of entries corresponding to "
                f"the positional arguments passed to the function, but got len(in_axes)="
                f"{len(in_axes)}, len(args)={len(args)}",
            )
        try:
            axes = tree_util.flatten_prefix(in_axes, args, "vmap in_axes")
        except ValueError:
            raise user_error(
                ValueError,
                f"vmap in_axes specification must be a tree prefix of the corresponding "
                f"value, got specification {in_axes} for value tree "
                f"{tree_util.tree_structure(args)}.",
            ) from None
        axes += [0] * len(tree_util.tree_leaves(kwargs))
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        names = _leaf_names(args, kwargs)

        # Normalize axes and find the batch size.
        sizes = []
        for i, (x, axis) in enumerate(zip(leaves, axes)):
            if axis is None:
                continue
            aval = aval_of(x)
            if not -aval.ndim <= axis < aval.ndim:
                raise user_error(
                    ValueError,
                    f"vmap was requested to map its argument along axis {axis}, which implies "
                    f"that its rank should be at least {axis + 1 if axis >= 0 else -axis}, but "
                    f"is only {aval.ndim} (its shape is {aval.shape})\n(the argument is "
                    f"{names[i]})",
                )
            axes[i] = axis % aval.ndim
            sizes.append((i, aval.shape[axes[i]]))
        size = axis_size
        if sizes:
            distinct = {s for _, s in sizes}
            if axis_size is not None:
                distinct.add(axis_size)
            if len(distinct) > 1:
                lines = [
                    f"  * {names[i]} has shape {aval_of(leaves[i]).shape} and axis {axes[i]} "
                    f"to be mapped, of size {s}"
                    for i, s in sizes
                ]
                if axis_size is not None:
                    lines.append(f"  * axis_size is {axis_size}")
                raise user_error(
                    ValueError,
                    "vmap got inconsistent sizes for array axes to be mapped:\n" + "\n".join(lines),
                )
            size = sizes[0][1]
        elif axis_size is None:
            raise user_error(ValueError, "vmap must have at least one non-None value in in_axes")

        # Unmapped non-array arguments (functions, strings) and unmapped
        # Python scalars are constants.
        fun_of_arrays, leaves, in_tree, mask = close_over_static(
            fun, leaves, in_tree, _unmapped_scalars(args, kwargs)
        )
        axes = [a for a, m in zip(axes, mask) if m]

        # Trace one example: the batched axes removed.
        examples = []
        for x, axis in zip(leaves, axes):
            if axis is None:
                examples.append(x)
            else:
                aval = aval_of(x)
                shape = aval.shape[:axis] + aval.shape[axis + 1 :]
                examples.append(Placeholder(aval.update(shape=shape)))
        body = fun_of_arrays
        if axis_name is not None:
            # Collectives over axis_name see `size` examples (mlax-batch
            # turns them into reductions over the batch dimension).
            def body(*a, **k):
                with axes_env.bind_axes({axis_name: size}, "vmap"):
                    return fun_of_arrays(*a, **k)

            body.__name__ = getattr(fun, "__name__", "fun")
        parent, child, out_avals, out_tree = _trace_callee(body, examples, in_tree, "vmap")
        child_axes = [(-1 if a is None else a) for a in axes] + [-1] * len(child.captured)

        # Output axes: a prefix of the outputs; None only on unbatched ones.
        try:
            outs = tree_util.flatten_prefix(
                out_axes, out_tree.unflatten(out_avals), "vmap out_axes"
            )
        except ValueError:
            raise user_error(
                ValueError,
                f"vmap out_axes specification must be a tree prefix of the corresponding value, "
                f"got specification {out_axes} for value tree {out_tree}.",
            ) from None
        depends = _batched_outputs(child, [a >= 0 for a in child_axes], axis_name)
        result_axes, result_avals = [], []
        for j, (aval, axis, dep) in enumerate(zip(out_avals, outs, depends)):
            if axis is None:
                if dep:
                    raise user_error(
                        ValueError,
                        f"vmap has mapped output (output leaf {j} of shape {aval.shape}) but "
                        f"out_axes is None",
                    )
                result_axes.append(-1)
                result_avals.append(aval)
                continue
            if not -(aval.ndim + 1) <= axis <= aval.ndim:
                raise user_error(
                    ValueError,
                    f"vmap out_axes {axis} is out of bounds for output leaf {j} of rank "
                    f"{aval.ndim} (shape {aval.shape})",
                )
            axis %= aval.ndim + 1
            result_axes.append(axis)
            result_avals.append(aval.update(shape=aval.shape[:axis] + (size,) + aval.shape[axis:]))

        def attributes():
            attrs = {
                "callee": ir.FlatSymbolRefAttr.get(child.name),
                "in_axes": ir.DenseI64ArrayAttr.get(child_axes),
                "out_axes": ir.DenseI64ArrayAttr.get(result_axes),
                "axis_size": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), size),
            }
            if axis_name is not None:
                attrs["axis_name"] = ir.StringAttr.get(str(axis_name))
            return attrs

        results = parent.emit(
            "mlax.batch", list(leaves) + list(child.captured), result_avals, attributes
        )
        return out_tree.unflatten(results)

    return vmap_f


__all__ = ["vmap"]
