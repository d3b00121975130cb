"""From mlax IR to a loaded executable: the expansion and lowering pass
pipelines, IREE compiles (in the compile worker), and the in-memory and
on-disk caches of compiled modules.
"""

import atexit
import hashlib
import math
import os
import re
import threading
import time

from ..._mlir import ir, passmanager
from ..core import context, hooks
from ..core.config import config
from . import compile_cache, compile_worker, monitoring, profiler
from .executable import Executable

# Elementwise chains are fused here already (IREE would fuse them too), so
# the lowered IR shows one linalg.generic per fused region; the second
# inline puts loop bodies in place for mlax-host-scalars (which keeps loop
# counters and conditions on the host). Scatters lower last: IREE's
# scatter op has a region, and the upstream inliner asserts on an
# unregistered op with one. mlax-keep-while-carries works around an IREE
# loop bug, so it must see the final loops.
_LOWERING_PIPELINE = (
    "builtin.module(inline,symbol-dce,canonicalize,mlax-lower-to-linalg{keep-scatter=true},"
    "mlax-bound-dispatch-operands,func.func(mlax-fuse-elementwise),inline,"
    "mlax-host-scalars,mlax-lower-to-linalg,"
    "canonicalize,cse,mlax-keep-while-carries)"
)
# mlax-autodiff and mlax-batch each expand the requests that wait on none of
# the other's; alternating them expands any nesting of grad/jvp and vmap.
_EXPAND_PIPELINE = "builtin.module(mlax-autodiff,mlax-batch)"
_REQUESTS = ("mlax.vjp", "mlax.jvp", "mlax.batch")
COMPILE_FLAGS = (
    "--iree-hal-target-device=local",
    "--iree-hal-local-target-device-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
    # IREE narrows f64 to f32 by default, which would break x64 mode.
    "--iree-input-demote-f64-to-f32=false",
)
# Data tiling + microkernels: a 1024^3 f32 matmul 32 -> 9.9 ms here and
# the MLP jit(grad) 3.1 -> 2.3 ms, but small contractions get slower (the
# packing costs more than it saves: 256^3 0.17 -> 0.24 ms). They are used
# for modules whose largest matmul does at least _TILING_MIN_MACS
# multiply-adds (MLAX_DATA_TILING=1: always, =0: never). IREE 3.13 with
# data tiling miscompiled contraction-like generics with an op before the
# multiply (sin(a) * b summed); mlax-fuse-elementwise no longer forms them
# (test_data_tiling.py checks random fused contractions). IREE also fails
# outright on some shapes with them, and compile_vmfb then falls back to
# COMPILE_FLAGS.
FAST_FLAGS = COMPILE_FLAGS + (
    "--iree-dispatch-creation-data-tiling=true",
    "--iree-llvmcpu-enable-ukernels=all",
)
_TILING_MIN_MACS = 1 << 25
_MATMUL = re.compile(
    r"linalg\.(?:batch_)?matmul ins\([^:]*: tensor<((?:\d+x)+)[a-z0-9]+>, tensor<((?:\d+x)+)[a-z0-9]+>\)"
)


def _largest_matmul(ir_text):
    """Multiply-adds of the largest linalg.matmul / batch_matmul in the text."""
    largest = 0
    for lhs, rhs in _MATMUL.findall(ir_text):
        a = [int(d) for d in lhs.rstrip("x").split("x")]
        b = [int(d) for d in rhs.rstrip("x").split("x")]
        largest = max(largest, math.prod(a) * b[-1])
    return largest


def default_flags(ir_text=""):
    """FAST_FLAGS for modules with a matmul big enough to gain from data
    tiling, else COMPILE_FLAGS (MLAX_DATA_TILING=1 / 0 forces either)."""
    forced = os.environ.get("MLAX_DATA_TILING")
    if forced == "1":
        return FAST_FLAGS
    if forced == "0":
        return COMPILE_FLAGS
    # IREE 3.13's data tiling fails on modules with complex values
    # ("vector.transfer_read requires valid padding vector elemental type").
    if "complex<" in ir_text:
        return COMPILE_FLAGS
    return FAST_FLAGS if _largest_matmul(ir_text) >= _TILING_MIN_MACS else COMPILE_FLAGS


_lock = threading.RLock()
stats = {"iree_compiles": 0, "disk_hits": 0, "memory_hits": 0}


def _count_requests(module):
    # Walked from Python, not with Operation.walk's callback: a
    # KeyboardInterrupt raised inside a callback that C++ (built without
    # exceptions) called terminates the process.
    count = 0
    stack = [module.operation]
    while stack:
        op = stack.pop()
        if op.name in _REQUESTS:
            count += 1
        for region in op.regions:
            for block in region.blocks:
                stack.extend(child.operation for child in block.operations)
    return count


# host_callback's rules fail with JAX's messages; raised as JAX raises them.
_CALLBACK_ERRORS = (
    (
        (
            "Pure callbacks do not support JVP. Please use `jax.custom_jvp` to use "
            "callbacks while taking gradients."
        ),
        ValueError,
    ),
    ("IO callbacks do not support JVP.", ValueError),
    ("Cannot `vmap` ordered IO callback.", ValueError),
    (
        (
            "vmap is only supported for the pure_callback primitive when vmap_method is "
            "one of 'sequential', 'sequential_unrolled', 'expand_dims', 'broadcast_all', "
            "or 'legacy_vectorized'. Got vmap_method=None."
        ),
        NotImplementedError,
    ),
)


def expand_requests(module):
    """Runs mlax-autodiff and mlax-batch in turn until no request is left."""
    pending = _count_requests(module)
    expand = passmanager.PassManager.parse(_EXPAND_PIPELINE, context())
    while pending:
        try:
            expand.run(module.operation)
        except ir.MLIRError as e:
            for message, exc_type in _CALLBACK_ERRORS:
                if message in str(e):
                    raise exc_type(message) from None
            if "Reverse-mode differentiation does not work" in str(e):
                raise ValueError(
                    "Reverse-mode differentiation does not work for lax.while_loop or "
                    "lax.fori_loop with dynamic start/stop values. Try using lax.scan, or "
                    "using fori_loop with static start/stop."
                ) from None
            raise
        left = _count_requests(module)
        if left >= pending:
            raise RuntimeError(
                "mlax-autodiff/mlax-batch made no progress: the remaining transformation "
                "requests wait on each other"
            )
        pending = left
    return module


def lower_to_linalg(module):
    """Runs the mlax lowering pipeline in place on an ir.Module."""
    expand_requests(module)
    pm = passmanager.PassManager.parse(_LOWERING_PIPELINE, context())
    pm.run(module.operation)
    return module


# ---------------------------------------------------------------------------
# Compilation with an in-memory and an on-disk cache
# ---------------------------------------------------------------------------

_vmfb_memory_cache = {}
_compiler_version = None


def compiler_version():
    global _compiler_version
    if _compiler_version is None:
        try:
            from importlib.metadata import version

            _compiler_version = version("iree-base-compiler")
        except Exception:  # pragma: no cover - only without package metadata
            _compiler_version = "unknown"
    return _compiler_version


def cache_key(ir_text, flags=COMPILE_FLAGS):
    h = hashlib.sha256()
    h.update(ir_text.encode())
    h.update("\0".join(flags).encode())
    h.update(compiler_version().encode())
    return h.hexdigest()


class CompileError(RuntimeError):
    pass


def compile_vmfb(ir_text, flags=None):
    """Linalg-level IR text -> IREE VM flatbuffer bytes, through both caches.

    Without explicit flags: default_flags(ir_text) (FAST_FLAGS first,
    falling back to COMPILE_FLAGS when IREE fails with them).
    """
    return _compile_vmfb(ir_text, flags)[0]


# IREE 3.13's constant evaluation sometimes fails on hoisted complex
# constants ("jit global source initialization order invalid"); a module
# IREE refuses is compiled once more without it.
NO_CONST_EVAL_FLAGS = COMPILE_FLAGS + ("--iree-opt-const-eval=false",)


def _compile_vmfb(ir_text, flags=None):
    """(vmfb, key, cached): `cached` says it came from a cache, not IREE."""
    if flags is None:
        try:
            if default_flags(ir_text) is COMPILE_FLAGS:
                return _compile_vmfb(ir_text, COMPILE_FLAGS)
            try:
                return _compile_vmfb(ir_text, FAST_FLAGS)
            except CompileError:
                return _compile_vmfb(ir_text, COMPILE_FLAGS)
        except CompileError:
            if "complex<" not in ir_text:
                raise
            return _compile_vmfb(ir_text, NO_CONST_EVAL_FLAGS)
    key = cache_key(ir_text, flags)
    vmfb = _vmfb_memory_cache.get(key)
    if vmfb is not None:
        stats["memory_hits"] += 1
        return vmfb, key, True
    vmfb = None
    if config.persistent_cache:
        vmfb = compile_cache.read(config.cache_dir, key)
    cached = vmfb is not None
    if cached:
        stats["disk_hits"] += 1
        monitoring.record_event("/jax/compilation_cache/cache_hits")
    else:
        if config.persistent_cache:
            monitoring.record_event("/jax/compilation_cache/cache_misses")
        start = time.perf_counter()
        with profiler.span("IREE compile", flags=" ".join(flags)):
            vmfb = _iree_compile(ir_text, flags, key)
        monitoring.record_event_duration_secs(
            "/jax/core/compile/backend_compile_duration", time.perf_counter() - start
        )
        if config.persistent_cache:
            compile_cache.write(config.cache_dir, key, vmfb)
    _vmfb_memory_cache[key] = vmfb
    return vmfb, key, cached


def _forget(key):
    """Drops a compiled module that would not load from both caches."""
    _vmfb_memory_cache.pop(key, None)
    path = compile_cache.entry_path(config.cache_dir, key)
    if os.path.exists(path):
        compile_cache.discard(path, "IREE could not load it")


def load_executable(ir_text, device, name, out_avals, imports=None, evaluating=False):
    """Compiles (through both caches) and loads `ir_text` on `device`;
    `imports` and `evaluating`: the host callbacks it calls (Executable).

    A cached module that IREE cannot load is dropped from both caches and
    compiled again, once: a damaged artifact costs a recompile, never an
    error.
    """
    vmfb, key, cached = _compile_vmfb(ir_text)
    mutated = _written_by_key.get((key, name))
    if mutated is None:
        mutated = _written_by_key[(key, name)] = written_arguments(ir_text, name)
    try:
        return Executable(vmfb, device, name, out_avals, imports, evaluating, mutated)
    except (ValueError, RuntimeError):
        if not cached:
            raise
    _forget(key)
    vmfb = _compile_vmfb(ir_text)[0]
    return Executable(vmfb, device, name, out_avals, imports, evaluating, mutated)


# Ops that may update a tensor operand in place; IREE 3.13 then writes into
# the caller's argument buffer when that operand is a function argument
# (IREE issue #16168: x.at[i].add(1) changed x). Their operands that can be
# written: the destination of an insert, any operand of IREE's ops, a
# linalg op's outs, a loop's initial values.
_IN_PLACE_HINTS = ("insert", "iree_linalg_ext.", "scf.", "outs(%arg")
_VIEW_OPS = frozenset(
    [
        "tensor.expand_shape",
        "tensor.collapse_shape",
        "tensor.cast",
        "tensor.bitcast",
        "tensor.reshape",
        "util.optimization_barrier",
    ]
)


_written_by_key = {}  # (cache key, function) -> written_arguments: parsed once


def written_arguments(ir_text, name="main"):
    """Indices of @name's arguments an in-place op may write (so the caller
    passes a copy, as IREE's own tests work around #16168)."""
    if not any(h in ir_text for h in _IN_PLACE_HINTS):
        return ()
    with context():
        module = ir.Module.parse(ir_text)
        func = next(
            (op for op in module.body.operations if _symbol(op) == name),
            None,
        )
        if func is None:
            return ()
        origin = {arg: i for i, arg in enumerate(func.regions[0].blocks[0].arguments)}
        written = set()

        def visit(op):
            kind = op.name
            operands = list(op.operands)
            if kind in _VIEW_OPS:
                source = origin.get(operands[0]) if operands else None
                if source is not None:
                    for result in op.results:
                        origin[result] = source
                return ir.WalkResult.ADVANCE
            if kind in ("tensor.insert_slice", "tensor.insert"):
                targets = operands[1:2]
            elif kind.startswith("iree_linalg_ext."):
                # Only the outs are written: a copy of the inputs per call
                # (an embedding table's 100 MB per lookup) cost 6 ms.
                targets = _outs(op, operands)
            elif kind.startswith("scf."):
                targets = operands
            elif kind.startswith("linalg.") and hasattr(op.opview, "outputs"):
                targets = list(op.opview.outputs)
            else:
                targets = []
            for v in targets:
                if v in origin:
                    written.add(origin[v])
            return ir.WalkResult.ADVANCE

        func.walk(visit)
    return tuple(sorted(written))


def _outs(op, operands):
    """The outs of an iree_linalg_ext op: the trailing operandSegmentSizes
    segment (scan, topk), the last operand of scatter and gather (updates,
    indices, original / source, indices, init), or all (sort)."""
    sizes = op.attributes.get("operandSegmentSizes", None)
    if sizes is not None:
        return operands[len(operands) - list(ir.DenseI32ArrayAttr(sizes))[-1] :]
    if op.name in ("iree_linalg_ext.scatter", "iree_linalg_ext.gather"):
        return operands[-1:]
    return operands


def _symbol(op):
    attr = op.attributes.get("sym_name", None)
    return ir.StringAttr(attr).value if attr is not None else None


_worker = None


def _forget_worker_after_fork():
    # A forked child must not share the parent's pipes to the worker.
    global _worker
    _worker = None


os.register_at_fork(after_in_child=_forget_worker_after_fork)
atexit.register(lambda: stop_compile_worker())


def start_compile_worker():
    """Starts the compile worker ahead of the first compile (its imports
    then overlap with the caller's work)."""
    global _worker
    with _lock:
        if _worker is None and os.environ.get("MLAX_COMPILE_IN_PROCESS") != "1":
            _worker = compile_worker.Worker()


def stop_compile_worker():
    """Ends the compile worker; the next compile starts a new one."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.close()
            _worker = None


def _iree_compile(ir_text, flags, key=None):
    """IREE compile of `ir_text`, in the compile worker process (a compiler
    crash raises CompileError instead of killing Python) unless
    MLAX_COMPILE_IN_PROCESS=1. An exception while the worker holds the
    request (KeyboardInterrupt included) kills it, so no later request can
    receive this one's answer."""
    global _worker
    if key is None:
        key = cache_key(ir_text, flags)
    with _lock:
        stats["iree_compiles"] += 1
        if os.environ.get("MLAX_COMPILE_IN_PROCESS") == "1":
            ok, payload = compile_worker.compile_in_process(ir_text.encode(), flags)
        else:
            if _worker is None:
                _worker = compile_worker.Worker()
            worker = _worker
            try:
                ok, payload = worker.compile(ir_text.encode(), flags, key)
            except compile_worker.CompilerCrashed as crash:
                _worker = None
                raise CompileError(f"{crash} while compiling the lowered module") from None
            except BaseException:
                _worker = None  # Worker.compile has killed it
                raise
        if not ok:
            raise CompileError(payload.decode(errors="replace"))
        return payload


hooks.on_top_level_trace = start_compile_worker

if os.environ.get("MLAX_COMPILE_IN_PROCESS") == "1":
    # Imported now, not at the first compile: a KeyboardInterrupt landing in
    # the compiler's native module initialisation aborts the process.
    import iree.compiler.api  # noqa: F401
