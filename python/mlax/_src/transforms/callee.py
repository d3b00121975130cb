"""Tracing a function into a private callee of the module being built.

Every transformation that Python requests but C++ performs (grad, jvp,
vmap, checkpoint, custom rules; later control flow and shard_map) traces
the user's function into a private func.func and emits an op naming it.
This is the shared machinery, and `eager`: outside any trace, the
transformed function runs through jit.
"""

import numpy as np

from ..._mlir import ir
from ..core import Trace, Tracer, aval_of, current_trace, tracing, tree_util, user_error


def _bool_array_attr(values):
    return ir.DenseBoolArrayAttr.get([bool(v) for v in values])


class _Bound:
    """An argument of a traced callee that stands for a value the function
    closes over (not passed to the function)."""

    def __init__(self, value):
        self.value = value


class Placeholder:
    """An argument leaf known only by its aval (tracing a rule function, or
    one example of a batched argument)."""

    def __init__(self, aval):
        self.aval = aval


class _Unused:
    """An argument of a traced callee that the function does not see."""

    def __init__(self, aval):
        self.aval = aval


def _trace_callee(fun, leaves, in_tree, name, concrete=False):
    """Traces `fun` into a private func.func of the current module. Each
    leaf becomes an argument; `_Bound` and `_Unused` leaves become arguments
    that `fun` does not receive. `concrete`: the callee sees the leaves'
    values when the caller does (a function being differentiated; not a
    vmapped function or a loop body, whose values are abstract, as in JAX)."""
    parent = current_trace()
    child = Trace(getattr(fun, "__name__", "fun").strip("<>") or "fun", parent=parent)
    with tracing(child):
        tracers = []
        for x in leaves:
            if isinstance(x, _Bound):
                child.bind(x.value)
            elif isinstance(x, _Unused):
                child.new_arg(x.aval)
            else:
                tracers.append(child.new_arg(aval_of(x), x if concrete else None))
        args, kwargs = tree_util.tree_unflatten(in_tree, tracers)
        out = fun(*args, **kwargs)
        out_leaves, out_tree = tree_util.tree_flatten(out)
        for leaf in out_leaves:
            if not isinstance(leaf, (Tracer, int, float, bool)) and not hasattr(leaf, "_bv"):
                raise user_error(
                    TypeError,
                    f"{name}: function returned a value of type {type(leaf).__name__}, which "
                    f"is not an array",
                )
        out_avals = [aval_of(x) for x in out_leaves]
        child.finish(out_leaves)
    return parent, child, out_avals, out_tree


def _mark_attribute(value):
    if value is None:
        return ir.UnitAttr.get()
    if isinstance(value, int):
        return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)
    return ir.FlatSymbolRefAttr.get(value)


def _call_marked(parent, child, leaves, out_avals, out_tree, **marks):
    """Marks child's function (`mlax.<name>` attributes, see MlaxAutodiff.cpp)
    and emits a func.call of it at `parent` with `leaves` then its captures;
    returns the outputs."""
    with child.ctx:
        for name, value in marks.items():
            child.func.attributes[f"mlax.{name}"] = _mark_attribute(value)
    outs = parent.emit(
        "func.call",
        list(leaves) + list(child.captured),
        out_avals,
        lambda: {"callee": ir.FlatSymbolRefAttr.get(child.name)},
    )
    return out_tree.unflatten(outs)


_eager_cache = {}


def _eager(key, f=None, concrete=False):
    """The jitted version of a transformed function, made once per key.
    `concrete` (eager grad/jvp/vjp/jacobians): tracing sees the arguments'
    values, so Python control flow on them works as in JAX outside jit."""
    f = key if f is None else f
    try:
        jitted = _eager_cache.get(key)
        hashable = True
    except TypeError:  # an unhashable callable in the key: not cached
        jitted, hashable = None, False
    if jitted is None:
        from .jit import Jitted

        jitted = Jitted(f)  # not the user's: traces even under disable_jit
        jitted._concrete = concrete
        if hashable:
            _eager_cache[key] = jitted
    return jitted


def is_array_like(x):
    """Whether a pytree leaf is (or converts to) an array; other leaves
    (functions, strings, config objects) can only be closed over."""
    return hasattr(x, "aval") or isinstance(x, (np.ndarray, np.generic, bool, int, float, complex))


def close_over_static(fun, leaves, in_tree, static=None):
    """(fun', array leaves, their tree, mask): fun' takes the array leaves
    as positional arguments and sees the other leaves as the constants they
    are (JAX's grad and jacobians accept any Python value in positions they
    do not differentiate). `static`: per leaf, also keep it as it is (an
    unmapped Python scalar under vmap)."""
    mask = [is_array_like(x) for x in leaves]
    if static is not None:
        mask = [m and not st for m, st in zip(mask, static)]
    if all(mask):
        return fun, list(leaves), in_tree, mask
    arrays = [x for x, m in zip(leaves, mask) if m]

    def fun_of_arrays(*array_args):
        it = iter(array_args)
        args, kwargs = in_tree.unflatten([next(it) if m else x for x, m in zip(leaves, mask)])
        return fun(*args, **kwargs)

    fun_of_arrays.__name__ = getattr(fun, "__name__", "fun")
    return fun_of_arrays, arrays, tree_util.tree_structure((tuple(arrays), {})), mask


def eager_call(key, f, concrete, args, kwargs, static=None):
    """`_eager(key, f, concrete)(*args, **kwargs)`, where non-array leaves of
    the arguments (and those `static` marks) become part of the cache key
    instead of jit arguments."""
    leaves, in_tree = tree_util.tree_flatten((args, kwargs))
    if static is None and all(is_array_like(x) for x in leaves):
        return _eager(key, f, concrete)(*args, **kwargs)
    fun_of_arrays, arrays, _, mask = close_over_static(f, leaves, in_tree, static)
    static = tuple(x for x, m in zip(leaves, mask) if not m)
    return _eager((key, in_tree, tuple(mask), static), fun_of_arrays, concrete)(*arrays)
