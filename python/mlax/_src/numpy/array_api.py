"""The array API standard's metadata, as JAX 0.10 gives it:
`__array_api_version__`, `__array_namespace_info__()` and the Array
protocol methods `__array_namespace__`, `to_device` and
`__dlpack_device__` (installed on mlax.Array here, as array_methods.py
installs the NumPy-style methods). mlax has no complex dtypes yet, so the
info lists none."""

import enum

import numpy as np

from ..core import Tracer, dtypes
from ..core.config import config
from ..runtime.array import Array, device_put
from ..runtime.devices import devices as _all_devices

__array_api_version__ = "2024.12"

_KINDS = {
    "bool": ("bool",),
    "signed integer": ("int8", "int16", "int32", "int64"),
    "unsigned integer": ("uint8", "uint16", "uint32", "uint64"),
    "real floating": ("float32", "float64"),
    "complex floating": (),
}
_KINDS["integral"] = _KINDS["signed integer"] + _KINDS["unsigned integer"]
_KINDS["numeric"] = _KINDS["integral"] + _KINDS["real floating"]
_X64_ONLY = {"int64", "uint64", "float64"}


_CAPABILITIES = (
    ("boolean indexing", False),  # within transformations, as in JAX
    ("data-dependent shapes", False),
    ("max dimensions", 64),
)


class ArrayNamespaceInfo:
    """What mlax.numpy supports, in the array API's inspection form."""

    def capabilities(self):
        return dict(_CAPABILITIES)

    def default_device(self):
        return None  # uncommitted, as in JAX

    def devices(self):
        return [None, *_all_devices()]

    def default_dtypes(self, *, device=None):
        del device
        out = {
            "real floating": dtypes.default_float(),
            "integral": dtypes.default_int(),
            "indexing": dtypes.default_int(),
        }
        return out

    def dtypes(self, *, device=None, kind=None):
        del device
        if kind is None:
            kinds = ("numeric", "bool")
        elif isinstance(kind, tuple):
            kinds = kind
        else:
            kinds = (kind,)
        out = {}
        for k in kinds:
            if k not in _KINDS:
                raise KeyError(k)
            for name in _KINDS[k]:
                if name not in _X64_ONLY or config.x64:
                    out[name] = np.dtype(name)
        return out


def __array_namespace_info__():
    return ArrayNamespaceInfo()


def __array_namespace__(self, *, api_version=None):
    if api_version is not None and api_version != __array_api_version__:
        raise ValueError(
            f"{api_version=!r} is not available; available versions are: {[__array_api_version__]}"
        )
    import mlax.numpy

    return mlax.numpy


class DLDeviceType(enum.IntEnum):
    kDLCPU = 1


def _dlpack_device(self):
    return DLDeviceType.kDLCPU, getattr(self.device, "id", 0)


def _to_device(self, device, /, *, stream=None):
    if stream is not None:
        raise NotImplementedError("to_device: mlax has no streams")
    return device_put(self, device)


Array.__array_namespace__ = __array_namespace__
Tracer.__array_namespace__ = __array_namespace__
Array.__dlpack_device__ = _dlpack_device
Array.to_device = _to_device
