"""mlax.Array: an immutable array living on a device, and device_put."""

import numpy as np

from ..core import HasAval, ShapedArray, Tracer, dtypes, hooks
from .devices import devices, to_numpy


class Array(HasAval):
    """A device array. Operators and methods come from mlax.numpy."""

    __slots__ = ("__weakref__", "_bv", "_device", "_npy", "aval")
    __array_priority__ = 100

    def __init__(self, buffer_view, aval, device):
        self._bv = buffer_view
        self.aval = aval
        self._device = device
        self._npy = None

    @property
    def device(self):
        return self._device

    def _with_aval(self, aval):
        """The same buffer under another aval (a weak-type change)."""
        return Array(self._bv, aval, self._device)

    def devices(self):
        return {self._device}

    @property
    def sharding(self):
        return SingleDeviceSharding(self._device)

    def _value(self):
        if self._npy is None:
            npy = to_numpy(self._bv, self.aval)
            npy.flags.writeable = False
            self._npy = npy
        return self._npy

    def __array__(self, dtype=None, copy=None):
        value = self._value()
        if dtype is not None and np.dtype(dtype) != value.dtype:
            return value.astype(dtype)
        return value.copy() if copy else value

    def block_until_ready(self):
        return self  # IREE's synchronous invocations complete before returning

    def copy_to_host_async(self):
        self._value()

    def item(self, *args):
        return self._value().item(*args)

    def tolist(self):
        return self._value().tolist()

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def __bool__(self):
        if self.size != 1:
            raise ValueError(
                f"The truth value of an array with more than one element is ambiguous "
                f"(shape {self.shape}). Use a.any() or a.all()"
            )
        return bool(self._value())

    def __int__(self):
        return int(self._value())

    def __float__(self):
        return float(self._value())

    def __complex__(self):
        return complex(self._value())

    def __index__(self):
        if not dtypes.is_int(self.dtype) and not dtypes.is_bool(self.dtype):
            raise TypeError(f"only integer arrays can be used as an index, got {self.dtype}")
        return int(self._value())

    def __hash__(self):
        raise TypeError("unhashable type: 'mlax.Array'")

    def __repr__(self):
        body = np.array2string(self._value(), separator=", ", prefix="Array(")
        shape = f", shape={self.shape}" if self.size == 0 else ""
        extra = ", weak_type=True" if self.weak_type else ""
        return f"Array({body}{shape}, dtype={self.dtype.name}{extra})"

    def __str__(self):
        return str(self._value())

    def __format__(self, spec):
        if self.ndim == 0:
            return format(self._value().item(), spec)
        return format(str(self), spec)

    def __reduce__(self):
        return (_reconstruct, (self._value(), self.weak_type))

    def __dlpack__(self, *args, **kwargs):
        return self._value().__dlpack__(*args, **kwargs)


def _reconstruct(value, weak_type):
    return device_put(value, weak_type=weak_type)


def default_device():
    return devices()[0]


def device_put(x, device=None, weak_type=None):
    """NumPy value / Python scalar / Array -> Array on `device`."""
    if device is None:
        device = getattr(x, "_device", None) or default_device()
    if isinstance(x, Array):
        if x._device is device:
            return x
        x = x._value()
    if isinstance(x, Tracer):
        return x
    dt, weak = dtypes.dtype_and_weak(x)
    if weak_type is not None:
        weak = weak_type
    value = np.asarray(x, dtype=dt)
    return Array(device.put(value), ShapedArray(value.shape, dt, weak), device)


hooks.device_put = device_put


class SingleDeviceSharding:
    def __init__(self, device):
        self.device = device
        self.device_set = {device}

    def __repr__(self):
        return f"SingleDeviceSharding(device={self.device!r})"


def make_array(buffer_view, aval, device):
    return Array(buffer_view, aval, device)


__all__ = ["Array", "default_device", "device_put", "make_array"]
