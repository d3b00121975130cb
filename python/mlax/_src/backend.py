"""IREE backend: lowering pipeline, in-process compile, the on-disk cache,
devices and executables.

Devices are plural: `devices()` lists `config.num_cpu_devices` simulated
host CPUs (like XLA's xla_force_host_platform_device_count). Each device
holds two IREE HAL devices over the same host memory: `local-sync` for
small calls (~5 us overhead) and `local-task` (threaded) for calls whose
inputs are large, so both tiny-call latency and big-array bandwidth are
served.
"""

import atexit
import hashlib
import os
import sys
import threading

import numpy as np

from .._mlir import ir, passmanager
from . import compile_cache, compile_worker, dtypes
from .config import config
from .core import context

# Elementwise chains are fused here already (IREE would fuse them too), so
# the lowered IR shows one linalg.generic per fused region.
_LOWERING_PIPELINE = (
    "builtin.module(inline,symbol-dce,canonicalize,mlax-lower-to-linalg,"
    "func.func(linalg-fuse-elementwise-ops),canonicalize,cse)"
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
# Data tiling + microkernels: 1024^3 f32 matmul 17.6 -> 6.8 ms here, but
# IREE 3.13 miscompiles with them: a contraction-like linalg.generic whose
# body applies an op to an input before the multiply (sin(a) * b + acc, as
# elementwise fusion or jacrev's basis contraction produce) loses that op,
# silently. They are opt-in (MLAX_DATA_TILING=1) until IREE is fixed; IREE
# also fails outright on some shapes with them, and compile_vmfb then falls
# back to COMPILE_FLAGS.
FAST_FLAGS = COMPILE_FLAGS + (
    "--iree-dispatch-creation-data-tiling=true",
    "--iree-llvmcpu-enable-ukernels=all",
)


def default_flags():
    return FAST_FLAGS if os.environ.get("MLAX_DATA_TILING") == "1" else COMPILE_FLAGS


_lock = threading.RLock()
stats = {"iree_compiles": 0, "disk_hits": 0, "memory_hits": 0}


def _count_requests(module):
    count = 0

    def visit(op):
        nonlocal count
        if op.name in _REQUESTS:
            count += 1
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return count


def expand_requests(module):
    """Runs mlax-autodiff and mlax-batch in turn until no request is left."""
    pending = _count_requests(module)
    expand = passmanager.PassManager.parse(_EXPAND_PIPELINE, context())
    while pending:
        expand.run(module.operation)
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

    Without explicit flags: COMPILE_FLAGS (FAST_FLAGS first, falling back
    to COMPILE_FLAGS, with MLAX_DATA_TILING=1).
    """
    return _compile_vmfb(ir_text, flags)[0]


def _compile_vmfb(ir_text, flags=None):
    """(vmfb, key, cached): `cached` says it came from a cache, not IREE."""
    if flags is None:
        if default_flags() is COMPILE_FLAGS:
            return _compile_vmfb(ir_text, COMPILE_FLAGS)
        try:
            return _compile_vmfb(ir_text, FAST_FLAGS)
        except CompileError:
            return _compile_vmfb(ir_text, COMPILE_FLAGS)
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
    else:
        vmfb = _iree_compile(ir_text, flags, key)
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


def load_executable(ir_text, device, name, out_avals):
    """Compiles (through both caches) and loads `ir_text` on `device`.

    A cached module that IREE cannot load is dropped from both caches and
    compiled again, once: a damaged artifact costs a recompile, never an
    error.
    """
    vmfb, key, cached = _compile_vmfb(ir_text)
    try:
        return Executable(vmfb, device, name, out_avals)
    except (ValueError, RuntimeError):
        if not cached:
            raise
    _forget(key)
    vmfb = _compile_vmfb(ir_text)[0]
    return Executable(vmfb, device, name, out_avals)


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


# ---------------------------------------------------------------------------
# Devices and executables
# ---------------------------------------------------------------------------

_rt = None
_host_memory_configured = False


def _configure_host_memory():
    """Keeps freed host memory mapped for reuse, as XLA's allocator does.

    IREE's CPU buffers come from malloc; glibc serves large ones with fresh
    mmaps, so every big result pays a page fault per 4 KiB (a 400 MB array:
    ~100 ms of faults, 3-4x the compute). With mmap off and trimming raised,
    freed blocks stay in the heap and the next call reuses resident pages.
    MLAX_HOST_MEMORY_REUSE=0 keeps glibc's defaults.
    """
    global _host_memory_configured
    if _host_memory_configured:
        return
    _host_memory_configured = True
    if os.environ.get("MLAX_HOST_MEMORY_REUSE", "1") == "0" or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_max = -1, -4
        libc.mallopt(m_mmap_max, 0)
        libc.mallopt(m_trim_threshold, 1 << 30)
    except (OSError, AttributeError):
        pass  # not glibc: keep the platform's allocator behaviour


def runtime():
    global _rt
    if _rt is None:
        import iree.runtime as rt

        _rt = rt
    return _rt


_ELEMENT_TYPES = None


def hal_element_type(dtype):
    global _ELEMENT_TYPES
    if _ELEMENT_TYPES is None:
        E = runtime().HalElementType
        _ELEMENT_TYPES = {
            dtypes.bool_: E.BOOL_8,
            dtypes.int8: E.SINT_8,
            dtypes.int16: E.SINT_16,
            dtypes.int32: E.SINT_32,
            dtypes.int64: E.SINT_64,
            dtypes.uint8: E.UINT_8,
            dtypes.uint16: E.UINT_16,
            dtypes.uint32: E.UINT_32,
            dtypes.uint64: E.UINT_64,
            dtypes.float16: E.FLOAT_16,
            dtypes.bfloat16: E.BFLOAT_16,
            dtypes.float32: E.FLOAT_32,
            dtypes.float64: E.FLOAT_64,
        }
    return _ELEMENT_TYPES[np.dtype(dtype)]


# NumPy views used to move data whose dtype IREE's buffer protocol lacks.
_STORAGE_VIEW = {dtypes.bool_: np.uint8, dtypes.bfloat16: np.uint16}


class Device:
    """One (simulated) host CPU device."""

    platform = "cpu"
    device_kind = "cpu"

    def __init__(self, id):
        self.id = id
        self.process_index = 0
        self._hal = None
        self._instance = None

    def _init(self):
        if self._hal is None:
            with _lock:
                if self._hal is None:
                    _configure_host_memory()
                    rt = runtime()
                    self._instance = rt.VmInstance()
                    sync = rt.get_driver("local-sync").create_default_device()
                    task = rt.get_driver("local-task").create_default_device()
                    self._hal = (sync, task)
                    self._hal_modules = tuple(
                        rt.create_hal_module(self._instance, d) for d in self._hal
                    )
        return self._hal

    def put(self, array):
        """NumPy array -> HalBufferView on this device."""
        rt = runtime()
        sync, _ = self._init()
        array = np.asarray(array)
        if not array.flags.c_contiguous:
            array = np.ascontiguousarray(array)
        view = _STORAGE_VIEW.get(array.dtype)
        host = array.view(view) if view is not None else array
        element_type = hal_element_type(array.dtype)
        bv = sync.allocator.allocate_buffer_copy(
            memory_type=rt.MemoryType.DEVICE_LOCAL,
            allowed_usage=rt.BufferUsage.DEFAULT,
            device=sync,
            buffer=host,
            element_type=element_type,
        )
        if array.ndim == 0 and list(bv.shape) != []:
            bv = rt.HalBufferView(bv.get_buffer(), [], element_type)
        return bv

    def __repr__(self):
        return f"CpuDevice(id={self.id})"

    def __str__(self):
        return f"cpu:{self.id}"


_devices = None


def devices():
    global _devices
    if _devices is None or len(_devices) != config.num_cpu_devices:
        _devices = [Device(i) for i in range(max(1, config.num_cpu_devices))]
    return _devices


def to_numpy(buffer_view, aval):
    """Copies a HalBufferView to a new NumPy array of `aval`'s dtype."""
    view = _STORAGE_VIEW.get(aval.dtype)
    raw = buffer_view.map().asarray(aval.shape, np.dtype(view if view else aval.dtype))
    out = np.array(raw, copy=True)
    if view is not None:
        out = out.view(aval.dtype) if aval.dtype != dtypes.bool_ else out.astype(np.bool_)
    return out


class Executable:
    """A compiled module bound to one device; calls its entry function."""

    def __init__(self, vmfb, device, name, out_avals):
        rt = runtime()
        device._init()
        self.device = device
        self.out_avals = out_avals
        self._module = rt.VmModule.copy_buffer(device._instance, vmfb)
        self._fn = self._module.lookup_function(name)
        self._contexts = [None, None]
        self._nout = len(out_avals)
        self._out_nbytes = sum(a.size * a.dtype.itemsize for a in out_avals)
        self._VmVariantList = rt.VmVariantList
        self._HalBufferView = rt.HalBufferView

    def _context(self, threaded):
        ctx = self._contexts[threaded]
        if ctx is None:
            ctx = runtime().VmContext(
                self.device._instance, [self.device._hal_modules[threaded], self._module]
            )
            self._contexts[threaded] = ctx
        return ctx

    def call(self, buffers, nbytes=0):
        """buffers: HalBufferViews -> list of result HalBufferViews."""
        args = self._VmVariantList(len(buffers))
        for b in buffers:
            args.push_ref(b)
        results = self._VmVariantList(self._nout)
        threaded = max(nbytes, self._out_nbytes) >= config.threaded_min_bytes
        ctx = self._contexts[threaded] or self._context(threaded)
        ctx.invoke(self._fn, args, results)
        get = results.get_as_object
        bv = self._HalBufferView
        return [get(i, bv) for i in range(self._nout)]
