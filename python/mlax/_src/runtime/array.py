"""mlax.Array: an immutable array living on one device or split over
several (ShardedArray, one block per device), and device_put."""

import numpy as np

from ..core import HasAval, ShapedArray, Tracer, dtypes, hooks, user_error
from ..core.config import config
from ..sharding import NamedSharding, SingleDeviceSharding
from .devices import local_devices, to_numpy


class Array(HasAval):
    """A device array. Operators and methods come from mlax.numpy."""

    __slots__ = ("__weakref__", "_bv", "_committed", "_device", "_npy", "aval")
    __array_priority__ = 100

    def __init__(self, buffer_view, aval, device):
        self._bv = buffer_view
        self.aval = aval
        self._device = device
        self._npy = None
        self._committed = False

    @property
    def device(self):
        return self._device

    @property
    def committed(self):
        """JAX's: placed explicitly (device_put with a device), or computed
        from a committed array."""
        return self._committed

    def _with_aval(self, aval):
        """The same buffer under another aval (a weak-type change)."""
        out = Array(self._bv, aval, self._device)
        out._committed = self._committed
        return out

    def devices(self):
        return {self._device}

    @property
    def sharding(self):
        return SingleDeviceSharding(self._device)

    @property
    def is_fully_replicated(self):
        return True

    @property
    def is_fully_addressable(self):
        return True

    @property
    def addressable_shards(self):
        return [Shard(self._device, tuple(slice(None) for _ in self.shape), 0, self)]

    @property
    def global_shards(self):
        return self.addressable_shards

    def addressable_data(self, index):
        return self.addressable_shards[index].data

    def delete(self):
        """Drops the buffer (jax.Array.delete); using the array afterwards
        raises RuntimeError."""
        self._bv = None
        self._npy = None

    def is_deleted(self):
        return self._bv is None

    def _deleted_error(self):
        return user_error(
            RuntimeError, f"Array has been deleted with shape={self.aval.str_long()}."
        )

    def _value(self):
        if self._npy is None:
            if self._bv is None:
                raise self._deleted_error()
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
            raise TypeError("iteration over a 0-d array")  # at iter(), as JAX
        return (self[i] for i in range(self.shape[0]))

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
        # As jax.Array's: a dtype that does not fit the last line goes after
        # len("Array(") spaces on it.
        prefix = "Array("
        dtype_str = f"dtype={self.dtype.name}" + (", weak_type=True" if self.weak_type else "")
        line_width = np.get_printoptions()["linewidth"]
        if self.size == 0:
            body = f"[], shape={self.shape}"
        else:
            body = np.array2string(
                self._value(), prefix=prefix, suffix=",", separator=", ", max_line_width=line_width
            )
        last_line_len = len(body) - body.rfind("\n") + 1
        sep = " " * len(prefix) if last_line_len + len(dtype_str) + 2 > line_width else " "
        return f"{prefix}{body},{sep}{dtype_str})"

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


class Shard:
    """One device's block of an array (jax.Shard)."""

    __slots__ = ("data", "device", "index", "replica_id")

    def __init__(self, device, index, replica_id, data):
        self.device = device
        self.index = index
        self.replica_id = replica_id
        self.data = data

    def __repr__(self):
        return (
            f"Shard(device={self.device!r}, index={self.index}, replica_id={self.replica_id}, "
            f"data={self.data})"
        )


def _block_shape(index, shape):
    return tuple(
        len(range(*s.indices(n))) if isinstance(s, slice) else n for s, n in zip(index, shape)
    )


class ShardedArray(Array):
    """An array split over the devices of a NamedSharding: one buffer per
    (local) device, holding that device's block."""

    __slots__ = ("_gathered", "_sharding", "_shards")

    def __init__(self, shards, aval, sharding):
        # shards: {device: HalBufferView of its block}, local devices only.
        self._shards = shards
        self.aval = aval
        self._sharding = sharding
        self._device = next(iter(shards)) if shards else None
        self._npy = None
        self._committed = True  # placed by its sharding
        self._gathered = None

    @property
    def _bv(self):
        """The whole array on one device (gathered once, on first use by a
        single-device computation)."""
        if self._shards is None:
            return None
        if self._gathered is None:
            self._gathered = default_device().put(self._value())
        return self._gathered

    @property
    def sharding(self):
        return self._sharding

    @property
    def device(self):
        return self._sharding

    def devices(self):
        return set(self._sharding.device_set)

    def _with_aval(self, aval):
        return ShardedArray(self._shards, aval, self._sharding)

    @property
    def is_fully_replicated(self):
        return self._sharding.is_fully_replicated

    @property
    def is_fully_addressable(self):
        return all(getattr(d, "is_local", True) for d in self._sharding.device_set)

    def _block_aval(self, index):
        return self.aval.update(shape=_block_shape(index, self.shape))

    @property
    def addressable_shards(self):
        out = []
        for device, index in self._sharding.devices_indices_map(self.shape).items():
            bv = self._shards.get(device)
            if bv is None:
                continue
            data = Array(bv, self._block_aval(index), device)
            out.append(Shard(device, index, self._sharding.replica_id(device), data))
        return out

    def delete(self):
        self._shards = None
        self._gathered = self._npy = None

    def is_deleted(self):
        return self._shards is None

    def _value(self):
        if self._npy is None:
            if self._shards is None:
                raise self._deleted_error()
            if not self.is_fully_addressable:
                raise user_error(
                    RuntimeError,
                    "Fetching value for `mlax.Array` that spans non-addressable (non process "
                    "local) devices is not possible. You can use "
                    "`mlax.experimental.multihost_utils.process_allgather` to gather it.",
                )
            out = np.empty(self.shape, self.dtype)
            done = set()
            for device, index in self._sharding.devices_indices_map(self.shape).items():
                key = tuple((s.start, s.stop) for s in index)
                if key in done:
                    continue  # a replica: the first device holding a block gives it
                done.add(key)
                out[index] = to_numpy(self._shards[device], self._block_aval(index))
            out.flags.writeable = False
            self._npy = out
        return self._npy

    def __reduce__(self):
        return (_reconstruct_sharded, (self._value(), self.weak_type, self._sharding))


def _reconstruct_sharded(value, weak_type, sharding):
    return device_put(device_put(value, weak_type=weak_type), sharding)


def default_device():
    return config.default_device or local_devices()[0]


def put_sharded(value, sharding, weak_type=False):
    """A NumPy value split over `sharding`'s (local) devices."""
    value = np.asarray(value)
    sharding.check_shape(value.shape)
    shards = {}
    for device, index in sharding.devices_indices_map(value.shape).items():
        if getattr(device, "is_local", True):
            shards[device] = device.put(np.asarray(value[index]))
    return ShardedArray(shards, ShapedArray(value.shape, value.dtype, weak_type), sharding)


def device_put(x, device=None, weak_type=None):
    """NumPy value / Python scalar / Array -> Array on `device` (a Device,
    a SingleDeviceSharding or a NamedSharding)."""
    if isinstance(device, SingleDeviceSharding):
        device = device.device
    if isinstance(device, NamedSharding):
        if isinstance(x, Tracer):
            return x
        if isinstance(x, ShardedArray) and x.sharding == device:
            return x
        dt, weak = dtypes.dtype_and_weak(x)
        if weak_type is not None:
            weak = weak_type
        value = np.asarray(x._value() if isinstance(x, Array) else x, dtype=dt)
        return put_sharded(value, device, weak)
    explicit = device is not None
    if device is None:
        device = getattr(x, "_device", None) or default_device()
        if isinstance(x, ShardedArray):
            return x
    elif not hasattr(device, "put"):
        raise ValueError(
            "`mlax.device_put` only accepts `None`, `mlax.sharding.Sharding`, `mlax.Device`, "
            "`Format`, `mlax.memory.Space` or a pytree of these values. Received invalid value: "
            f"{device}"
        )
    if isinstance(x, Array):
        if x._device is device and not isinstance(x, ShardedArray):
            if explicit and not x._committed:
                x = Array(x._bv, x.aval, device)  # the same buffer, now committed
                x._committed = True
            return x
        x = x._value()
    if isinstance(x, Tracer):
        return x
    dt, weak = dtypes.dtype_and_weak(x)
    if weak_type is not None:
        weak = weak_type
    value = np.asarray(x, dtype=dt)
    out = Array(device.put(value), ShapedArray(value.shape, dt, weak), device)
    out._committed = explicit
    return out


hooks.device_put = device_put


def device_put_tree(x, device=None, *, src=None, donate=False, may_alias=None):
    """jax.device_put: every leaf of the pytree `x` onto `device` (a Device,
    a Sharding, or a pytree prefix of them); donate/may_alias are accepted
    and ignored (arrays are immutable and never aliased)."""
    from ..core import tree_util

    del src, donate, may_alias
    leaves, tree = tree_util.tree_flatten(x)
    if (
        device is None
        or isinstance(device, (NamedSharding, SingleDeviceSharding))
        or hasattr(device, "put")
    ):
        targets = [device] * len(leaves)
    else:
        targets = tree_util.flatten_prefix(device, x, "device_put device")
    return tree.unflatten([device_put(leaf, d) for leaf, d in zip(leaves, targets)])


# type(x).__name__ of a concrete array reads "ArrayImpl", as JAX's
# (jaxlib's ArrayImpl class); the module keeps the name for pickle.
Array.__name__ = Array.__qualname__ = "ArrayImpl"
ShardedArray.__name__ = ShardedArray.__qualname__ = "ArrayImpl"
ArrayImpl = Array


class _PublicArrayMeta(type):
    def __instancecheck__(cls, x):
        return isinstance(x, HasAval) or getattr(type(x), "_mlax_public_array", False)

    def __subclasscheck__(cls, sub):
        return (
            sub is cls
            or issubclass(sub, HasAval)
            or getattr(sub, "_mlax_public_array", False) is True
        )


class PublicArray(metaclass=_PublicArrayMeta):
    """mlax.Array (jax.Array) as users see it: an abstract type that
    concrete arrays, tracers and typed key arrays are instances of, as in
    JAX (`isinstance(x, jax.Array)` holds inside jit too). mlax's own code
    checks for concrete arrays with the runtime Array class instead."""

    __slots__ = ()


PublicArray.__name__ = PublicArray.__qualname__ = "Array"
PublicArray.__module__ = "mlax"


def make_array(buffer_view, aval, device):
    return Array(buffer_view, aval, device)


__all__ = [
    "Array",
    "PublicArray",
    "Shard",
    "ShardedArray",
    "default_device",
    "device_put",
    "make_array",
    "put_sharded",
]
