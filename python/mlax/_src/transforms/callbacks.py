"""Host callbacks as JAX has them: debug.callback / debug.print,
pure_callback and io_callback.

Under a trace each call emits one `mlax.host_callback` op (kind debug,
pure or io) naming a registered Python function; the C++ passes give it
its derivative rule (debug: transparent; pure/io: JAX's errors), batching
rule (per vmap_method) and sharding rule (operands replicated), and the
runtime serves it while the compiled module runs (runtime/callbacks.py).
Outside a trace the function is called at once, on mlax Arrays.
"""

import string
import sys

import numpy as np

from ..core import (
    Primitive,
    ShapedArray,
    Tracer,
    aval_of,
    current_trace,
    dtypes,
    i32_attr,
    i64_attr,
    tree_util,
    user_error,
)
from ..core import axes as axes_env
from ..core.mlir import ir
from ..runtime import callbacks as runtime_callbacks
from ..runtime.array import Array, default_device

_KINDS = {"debug": 0, "pure": 1, "io": 2}
_VMAP_METHODS = {
    None: 0,
    "sequential": 1,
    "sequential_unrolled": 1,
    "expand_dims": 2,
    "broadcast_all": 3,
}


def _attributes(callback_id, kind, vmap_method, ordered):
    attrs = {
        "callback_id": i64_attr(callback_id),
        "kind": i32_attr(_KINDS[kind]),
        "vmap_method": i32_attr(_VMAP_METHODS[vmap_method]),
    }
    if ordered:
        attrs["ordered"] = ir.UnitAttr.get()
    return attrs


def _abstract_eval(*avals, callback_id, kind, vmap_method, ordered):
    return list(runtime_callbacks.lookup(callback_id).out_avals)


host_callback_p = Primitive("host_callback", _abstract_eval, _attributes, multiple_results=True)


def _is_dynamic(x):
    return isinstance(x, (Tracer, Array, np.ndarray, np.generic, bool, int, float))


def _split_args(args, kwargs):
    """The flat leaves of (args, kwargs): the array-like ones (passed to the
    compiled program) and the rest (kept in Python, as JAX does)."""
    leaves, tree = tree_util.tree_flatten((args, kwargs))
    dynamic = [i for i, x in enumerate(leaves) if _is_dynamic(x)]
    return leaves, tree, dynamic


def _result_avals(result_shape_dtypes):
    leaves, tree = tree_util.tree_flatten(result_shape_dtypes)
    avals = []
    for leaf in leaves:
        try:
            shape, dtype = tuple(leaf.shape), np.dtype(leaf.dtype)
        except (AttributeError, TypeError):
            raise user_error(
                TypeError,
                f"result_shape_dtypes must be a pytree of objects with shape and dtype "
                f"(e.g. ShapeDtypeStruct), got {leaf!r}",
            ) from None
        avals.append(ShapedArray(shape, dtypes.canonicalize_dtype(dtype)))
    return avals, tree


def _emit(fun, kind, args, kwargs, result_shape_dtypes=None, vmap_method=None, ordered=False):
    """Calls `fun(*args, **kwargs)` on the host: now (no trace) or when the
    traced program runs. Returns its results (pytree of result_shape_dtypes)."""
    leaves, tree, dynamic = _split_args(args, kwargs)
    if result_shape_dtypes is None:
        out_avals, out_tree = [], None
    else:
        out_avals, out_tree = _result_avals(result_shape_dtypes)
    name = getattr(fun, "__name__", repr(fun))

    # Only the static leaves are kept: the registry outlives the trace,
    # whose tracers must not be held.
    dynamic_set = set(dynamic)
    static = [None if i in dynamic_set else x for i, x in enumerate(leaves)]

    def flat_fun(arrays):
        full = list(static)
        for i, a in zip(dynamic, arrays):
            full[i] = a
        call_args, call_kwargs = tree_util.tree_unflatten(tree, full)
        out = fun(*call_args, **call_kwargs)
        if kind == "debug":
            return None
        return [np.asarray(x) for x in tree_util.tree_leaves(out)]

    in_avals = [aval_of(leaves[i]) for i in dynamic]
    per_device = any(axes_env.lookup(n).kind == "spmd" for n in axes_env.bound_axis_names())
    callback = runtime_callbacks.HostCallback(
        flat_fun, kind, [a.dtype for a in in_avals], out_avals, name, per_device
    )
    operands = [leaves[i] for i in dynamic]
    if current_trace() is None:
        results = _call_now(callback, operands, in_avals)
    else:
        callback_id = runtime_callbacks.register(callback)
        results = host_callback_p.bind(
            *operands,
            callback_id=callback_id,
            kind=kind,
            vmap_method=vmap_method,
            ordered=ordered,
        )
    if out_tree is None:
        return None
    return tree_util.tree_unflatten(out_tree, results)


def _call_now(callback, operands, in_avals):
    """An eager callback: the function on Arrays, its results as Arrays
    (errors raised as JAX raises them, a JaxRuntimeError)."""
    device = default_device()
    for x in operands:
        device = getattr(x, "_device", None) or device
    arrays = [
        x if type(x) is Array else runtime_callbacks.as_array(x, aval.dtype, device)
        for x, aval in zip(operands, in_avals)
    ]
    try:
        results = runtime_callbacks.call(callback, arrays, [a.shape for a in callback.out_avals])
    except Exception as exc:
        err = runtime_callbacks.runtime_error(exc)
        raise err from exc
    return [
        runtime_callbacks.as_array(r, aval.dtype, device)
        for r, aval in zip(results, callback.out_avals)
    ]


# ---------------------------------------------------------------------------
# The public functions
# ---------------------------------------------------------------------------


def debug_callback(callback=None, *args, ordered=False, partitioned=False, **kwargs):
    """jax.debug.callback: calls `callback(*args, **kwargs)` on the host with
    the arrays' values, eagerly or when the compiled program runs; under
    grad it sees the primal values, under vmap it runs once per example.
    Returns None; without a callback, the function that takes it (JAX's
    two-call form)."""

    def _debug_callback(callback, *args, **kwargs):
        if not callable(callback):
            raise TypeError(
                "first argument to jax.debug.callback must be callable, "
                f"but got an object of type {type(callback)}"
            )
        _emit(callback, "debug", args, kwargs, ordered=ordered)

    if callback is not None:
        return _debug_callback(callback, *args, **kwargs)
    if args or kwargs:
        raise TypeError(
            f"debug_callback received unexpected arguments in the two-call form: {args=} {kwargs=}"
        )
    return _debug_callback


class _FormatChecker(string.Formatter):
    """JAX's check of a debug.print format against its arguments, at trace
    time: missing fields raise, unused arguments too; nothing is formatted."""

    def format_field(self, value, format_spec):
        return ""

    def check_unused_args(self, used_args, args, kwargs):
        unused_args = [arg for i, arg in enumerate(args) if i not in used_args]
        unused_kwargs = [k for k in kwargs if k not in used_args]
        if unused_args:
            raise ValueError(f"Unused positional arguments to `jax.debug.print`: {unused_args}")
        if unused_kwargs:
            raise ValueError(
                f"Unused keyword arguments to `jax.debug.print`: {unused_kwargs}. "
                'You may be passing an f-string (i.e, `f"{x}"`) into '
                "`jax.debug.print` and instead should pass in a regular string."
            )


def _format_print(fmt, printoptions):
    def print_callback(*args, **kwargs):
        with np.printoptions(**printoptions):
            sys.stdout.write(fmt.format(*args, **kwargs) + "\n")

    return print_callback


def debug_print(
    fmt=None, *args, ordered=False, partitioned=False, skip_format_check=False, **kwargs
):
    """jax.debug.print: prints `fmt.format(*args, **kwargs)` on the host,
    arrays as NumPy prints them (with the print options at trace time);
    the format is checked against the arguments at once, as JAX does.
    Without `fmt`, the function that takes it (JAX's two-call form)."""

    def _debug_print(fmt, *args, **kwargs):
        if not skip_format_check:
            _FormatChecker().format(fmt, *args, **kwargs)
        _emit(_format_print(fmt, np.get_printoptions()), "debug", args, kwargs, ordered=ordered)

    if fmt is not None:
        return _debug_print(fmt, *args, **kwargs)
    if args or kwargs:
        raise TypeError(
            f"debug_print received unexpected arguments in the two-call form: {args=} {kwargs=}"
        )
    return _debug_print


def pure_callback(callback, result_shape_dtypes, *args, sharding=None, vmap_method=None, **kwargs):
    """jax.pure_callback: `callback(*args, **kwargs)` computed on the host,
    its results of `result_shape_dtypes` (a pytree of ShapeDtypeStructs).
    It has no side effects (an unused result may skip the call) and no
    derivative (wrap it in custom_jvp/custom_vjp); under vmap it follows
    `vmap_method` ('sequential', 'expand_dims', 'broadcast_all')."""
    if vmap_method not in _VMAP_METHODS:
        if vmap_method == "legacy_vectorized":
            raise NotImplementedError("mlax.pure_callback: vmap_method='legacy_vectorized'")
        raise ValueError(
            f"vmap_method must be one of the allowed options {sorted(m for m in _VMAP_METHODS if m)}"
            f" or None, but got {vmap_method!r}"
        )
    return _emit(callback, "pure", args, kwargs, result_shape_dtypes, vmap_method)


def io_callback(callback, result_shape_dtypes, *args, sharding=None, ordered=False, **kwargs):
    """jax.experimental.io_callback: a host call with side effects (never
    dropped; `ordered` ones run in program order), no derivative; under
    vmap it runs once per example (an ordered one cannot be vmapped)."""
    return _emit(callback, "io", args, kwargs, result_shape_dtypes, ordered=ordered)


__all__ = ["debug_callback", "debug_print", "host_callback_p", "io_callback", "pure_callback"]
