"""Devices: each (simulated) host CPU holds two IREE HAL devices over the
same host memory: `local-sync` for small calls (~5 us overhead) and
`local-task` (threaded) for calls whose inputs are large, so both
tiny-call latency and big-array bandwidth are served.

Devices are plural: `devices()` lists `config.num_cpu_devices` simulated
host CPUs (like XLA's xla_force_host_platform_device_count).
"""

import os
import sys
import threading

import numpy as np

from ..core import dtypes, hooks
from ..core.config import config

_lock = threading.Lock()
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
        import atexit

        import iree.runtime as rt

        _rt = rt
        atexit.register(_quiet_leak_check)
    return _rt


def _quiet_leak_check():
    """Arrays a program (or a test report's saved frames) still holds at exit
    keep IREE objects alive until the interpreter is gone; nanobind would
    list each as a leak. IREE provides the switch for exactly this."""
    try:
        from iree._runtime_libs import _runtime

        _runtime.disable_leak_checker()
    except (ImportError, AttributeError):
        pass


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
            dtypes.complex64: E.COMPLEX_64,
            dtypes.complex128: E.COMPLEX_128,
        }
    return _ELEMENT_TYPES[np.dtype(dtype)]


# NumPy views used to move data whose dtype IREE's buffer protocol lacks.
_STORAGE_VIEW = {dtypes.bool_: np.uint8, dtypes.bfloat16: np.uint16}


class Device:
    """One (simulated) host CPU device. Under mlax.distributed, devices of
    other processes are listed too (`is_local` False) but never run here."""

    platform = "cpu"
    device_kind = "cpu"

    def __init__(self, id, process_index=0, is_local=True):
        self.id = id
        self.process_index = process_index
        self.is_local = is_local
        self._hal = None
        self._instance = None
        self._worker = None

    def _init(self):
        if not self.is_local:
            raise RuntimeError(f"{self} belongs to process {self.process_index}, not this one")
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

    def copy(self, bv):
        """A new HalBufferView with `bv`'s contents (for a module that may
        write its argument in place)."""
        rt = runtime()
        sync, _ = self._init()
        raw = bv.map().asarray([bv.byte_length], np.dtype(np.uint8))
        new = sync.allocator.allocate_buffer_copy(
            memory_type=rt.MemoryType.DEVICE_LOCAL,
            allowed_usage=rt.BufferUsage.DEFAULT,
            device=sync,
            buffer=raw,
            element_type=rt.HalElementType.UINT_8,
        )
        return rt.HalBufferView(new.get_buffer(), list(bv.shape), bv.element_type)

    def __repr__(self):
        return f"CpuDevice(id={self.id})"

    def __str__(self):
        return f"cpu:{self.id}"

    def __reduce__(self):
        return (_device_by_id, (self.id,))


def _device_by_id(id):
    for d in devices():
        if d.id == id:
            return d
    raise ValueError(f"no device with id {id}")


# Set by mlax.distributed.initialize: (this process's index, process count).
process_layout = [0, 1]
_devices = None
_devices_key = None
_pool = {}  # (id, process, local) -> Device: changing the count keeps old devices


def devices():
    """Every device of every process, ordered by (process, local index)."""
    global _devices, _devices_key
    local = max(1, int(config.num_cpu_devices))
    key = (local, tuple(process_layout))
    if _devices is None or _devices_key != key:
        me, count = process_layout
        _devices = []
        for p in range(count):
            for i in range(local):
                k = (p * local + i, p, p == me)
                if k not in _pool:
                    _pool[k] = Device(k[0], process_index=p, is_local=k[2])
                _devices.append(_pool[k])
        _devices_key = key
    return _devices


def local_devices():
    return [d for d in devices() if d.is_local]


def to_numpy(buffer_view, aval):
    """Copies a HalBufferView to a new NumPy array of `aval`'s dtype."""
    view = _STORAGE_VIEW.get(aval.dtype)
    raw = buffer_view.map().asarray(aval.shape, np.dtype(view if view else aval.dtype))
    out = np.array(raw, copy=True)
    if view is not None:
        out = out.view(aval.dtype) if aval.dtype != dtypes.bool_ else out.astype(np.bool_)
    return out


hooks.all_devices = devices


def release_devices():
    """Drops every device's IREE state (at exit: whatever still refers to
    it must not outlive the runtime's Python module)."""
    for d in _pool.values():
        d._hal = None
        d._hal_modules = None
        d._instance = None
