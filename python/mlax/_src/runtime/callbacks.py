"""Host callbacks: Python functions a compiled module calls while it runs.

An `mlax.host_callback` op lowers to a call of a private declaration
`@mlaxcb.cbN` carrying `mlaxcb.callback_id` (mlax-lower-to-linalg); IREE
makes it an import of VM module "mlaxcb". `take_imports` reads (and
removes) those ids from the lowered module, and `host_module` serves the
imports: it looks the Python function up by id, hands it the operands as
mlax Arrays, and checks and converts what it returns (JAX's checks and
messages). An exception in the function is kept here and raised by the
caller of the module (`raise_pending`) as JAX's JaxRuntimeError.
"""

import itertools
import threading
import traceback

import numpy as np

from ..core import ShapedArray, dtypes
from .array import Array
from .devices import _STORAGE_VIEW, runtime

_CALLBACK_ID = "mlaxcb.callback_id"
_MODULE_NAME = "mlaxcb"


class JaxRuntimeError(RuntimeError):
    """A failure while a compiled computation ran (jax.errors.JaxRuntimeError)."""


class HostCallback:
    """A registered host function.

    `fun(arrays)` takes the flat operands (mlax Arrays) and returns the
    flat results (anything NumPy converts; None for debug callbacks).
    `in_dtypes` and `out_avals` are those of the unbatched op (vmap
    changes shapes, never dtypes or counts).
    """

    def __init__(self, fun, kind, in_dtypes, out_avals, name, per_device=False):
        self.fun = fun
        self.kind = kind
        self.in_dtypes = list(in_dtypes)
        self.out_avals = list(out_avals)
        self.name = name
        # Called in a shard_map/pmap body: a debug callback runs on every
        # device (on its block), not once.
        self.per_device = per_device


_registry = {}
_ids = itertools.count()
_pending = threading.local()


def register(callback):
    """Keeps `callback` for the lifetime of the process; returns its id."""
    ident = next(_ids)
    _registry[ident] = callback
    return ident


def lookup(ident):
    return _registry[ident]


def check_results(callback, results, out_shapes):
    """The callback's flat results as NumPy arrays of the expected shapes
    and dtypes (JAX's checks: count, shape, canonical dtype)."""
    if len(results) != len(out_shapes):
        raise RuntimeError(
            f"Mismatched number of outputs from callback. Expected: {len(out_shapes)}, "
            f"Actual: {len(results)}"
        )
    out = []
    for i, (value, aval, shape) in enumerate(zip(results, callback.out_avals, out_shapes)):
        value = np.asarray(value)
        if value.shape != tuple(shape):
            raise RuntimeError(
                f"Incorrect output shape for return value #{i}: Expected: {tuple(shape)}, "
                f"Actual: {value.shape}"
            )
        if dtypes.canonicalize_dtype(value.dtype) != aval.dtype:
            raise RuntimeError(
                f"Incorrect output dtype for return value #{i}: Expected: {aval.dtype}, "
                f"Actual: {value.dtype}"
            )
        out.append(np.array(value, dtype=aval.dtype, order="C"))
    return out


def as_array(value, dtype, device):
    """A NumPy value as an mlax Array on `device` (what a callback sees)."""
    value = np.asarray(value, dtype=dtype)
    array = Array(device.put(value), ShapedArray(value.shape, value.dtype), device)
    value = value.copy()
    value.flags.writeable = False
    array._npy = value
    return array


def runtime_error(exc):
    """JAX's error for an exception raised inside a callback."""
    text = "".join(traceback.format_exception(exc))
    err = JaxRuntimeError(f"INTERNAL: CpuCallback error calling callback: {text}")
    err.__cause__ = exc
    return err


def call(callback, arrays, out_shapes):
    """Runs `callback` on mlax Arrays; its checked NumPy results."""
    results = callback.fun(arrays)
    if callback.kind == "debug":
        return []
    return check_results(callback, list(results), out_shapes)


def take_imports(module):
    """{import name: (callback id, result shapes)} of a lowered module;
    removes the ids so the compiled text does not depend on them."""
    imports = {}
    for op in module.body.operations:
        if op.operation.name != "func.func" or _CALLBACK_ID not in op.attributes:
            continue
        attrs = op.attributes
        name = attrs["sym_name"].value
        ident = int(attrs[_CALLBACK_ID].value)
        ftype = attrs["function_type"].value
        shapes = [tuple(t.shape) for t in ftype.results]
        del attrs[_CALLBACK_ID]
        imports[name.split(".", 1)[1]] = (ident, shapes)
    return imports


def _read(bv, dtype):
    view = _STORAGE_VIEW.get(dtype)
    raw = bv.map().asarray(tuple(bv.shape), np.dtype(view if view else dtype))
    if view is None:
        return np.array(raw, copy=True)
    return raw.view(dtype) if dtype != dtypes.bool_ else raw.astype(np.bool_)


def host_module(imports, device, run_debug=True, first_device=True):
    """The VM module "mlaxcb" serving `imports` for a module on `device`.
    Without `run_debug`, debug callbacks do nothing: when a traced value is
    computed early (Trace.concrete_value; they run when the whole function
    does). On all but the first device of a partitioned module, only debug
    callbacks of shard_map/pmap bodies run (JAX prints a sharded jit's
    values once, a shard_map's on every device)."""
    rt = runtime()

    def serve(ident, out_shapes):
        callback = _registry[ident]

        def fn(_self, *refs):
            if callback.kind == "debug" and not (
                run_debug and (first_device or callback.per_device)
            ):
                return None
            try:
                arrays = [
                    as_array(_read(r.deref(rt.HalBufferView), dt), dt, device)
                    for r, dt in zip(refs, callback.in_dtypes)
                ]
                results = call(callback, arrays, out_shapes)
            except BaseException as exc:
                _pending.error = runtime_error(exc)
                raise
            bvs = tuple(device.put(r).ref for r in results)
            if not bvs:
                return None
            return bvs[0] if len(bvs) == 1 else bvs

        return fn

    class Host:
        def __init__(self, iface):
            pass

    iface = rt.PyModuleInterface(_MODULE_NAME, Host)
    for name, (ident, out_shapes) in imports.items():
        callback = _registry[ident]
        ins = "r" * len(callback.in_dtypes) or "v"
        outs = "r" * len(out_shapes) or "v"
        iface.export(name, f"0{ins}_{outs}", serve(ident, out_shapes))
    return iface, iface.create()


def raise_pending():
    """Raises the error a callback left behind, if any (after a failed
    call of a module)."""
    err = getattr(_pending, "error", None)
    if err is not None:
        _pending.error = None
        raise err from err.__cause__


def clear_pending():
    _pending.error = None


__all__ = [
    "HostCallback",
    "JaxRuntimeError",
    "as_array",
    "call",
    "check_results",
    "clear_pending",
    "host_module",
    "lookup",
    "raise_pending",
    "register",
    "runtime_error",
    "take_imports",
]
