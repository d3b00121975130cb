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

from ..core import dtypes
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
