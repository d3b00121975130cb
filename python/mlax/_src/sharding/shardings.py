"""PartitionSpec and the shardings: which block of an array each device
holds."""

import math

from ..core import user_error
from .mesh import Mesh


class DuplicateSpecError(Exception):
    """A PartitionSpec naming a mesh axis twice (JAX's class of the same name)."""


class PartitionSpec(tuple):
    """jax.sharding.PartitionSpec (P): per dimension, None (not split), a
    mesh axis name, or a tuple of names (split over their product, major
    first). Trailing dimensions left out are not split."""

    class _Unconstrained:
        def __repr__(self):
            return "UNCONSTRAINED"

    UNCONSTRAINED = _Unconstrained()

    def __new__(cls, *partitions):
        for p in partitions:
            ok = (
                p is None
                or p is cls.UNCONSTRAINED
                or isinstance(p, str)
                or (isinstance(p, tuple) and all(isinstance(a, str) for a in p))
            )
            if not ok:
                raise user_error(
                    TypeError,
                    f"PartitionSpec entries must be None, an axis name or a tuple of axis "
                    f"names, got {p!r}",
                )
        return super().__new__(cls, partitions)

    def __repr__(self):
        return "P(" + ", ".join(repr(p) for p in self) + ("," if len(self) == 1 else "") + ")"

    def __eq__(self, other):
        if isinstance(other, PartitionSpec):
            return _normalized(self) == _normalized(other)
        return super().__eq__(other)

    def __hash__(self):
        return hash(_normalized(self))

    def __reduce__(self):
        return (PartitionSpec, tuple(self))


def _normalized(spec):
    out = [(p,) if isinstance(p, str) else (() if p is None else p) for p in spec]
    while out and out[-1] == ():
        out.pop()
    return tuple(out)


def spec_axes(spec, ndim):
    """A spec as one tuple of mesh axis names per dimension."""
    out = []
    for i in range(ndim):
        p = spec[i] if i < len(spec) else None
        if p is None or p is PartitionSpec.UNCONSTRAINED:
            out.append(())
        elif isinstance(p, str):
            out.append((p,))
        else:
            out.append(tuple(p))
    return out


class Sharding:
    """Base class of the shardings."""

    memory_kind = "device"

    @property
    def num_devices(self):
        return len(self.device_set)

    def shard_shape(self, global_shape):
        index = next(iter(self.devices_indices_map(global_shape).values()))
        return tuple(
            (s.stop if s.stop is not None else n) - (s.start or 0) if isinstance(s, slice) else n
            for s, n in zip(index, global_shape)
        )

    def addressable_devices_indices_map(self, global_shape):
        return {
            d: i
            for d, i in self.devices_indices_map(global_shape).items()
            if getattr(d, "is_local", True)
        }

    def is_equivalent_to(self, other, ndim):
        shape = (1 << 20,) * ndim  # divisible by any mesh
        try:
            return _index_map_key(self, shape) == _index_map_key(other, shape)
        except (ValueError, AttributeError):
            return False

    @property
    def is_fully_addressable(self):
        return all(getattr(d, "is_local", True) for d in self.device_set)


def _index_map_key(sharding, shape):
    return sorted(
        (d.id, tuple((s.start, s.stop) for s in idx))
        for d, idx in sharding.devices_indices_map(shape).items()
    )


class SingleDeviceSharding(Sharding):
    """The whole array on one device."""

    def __init__(self, device, *, memory_kind=None):
        self._device = device
        self.device_set = {device}

    @property
    def device(self):
        return self._device

    @property
    def is_fully_replicated(self):
        return True

    @property
    def _device_assignment(self):
        return (self._device,)

    def devices_indices_map(self, global_shape):
        return {self._device: tuple(slice(None) for _ in global_shape)}

    def __eq__(self, other):
        return isinstance(other, SingleDeviceSharding) and other._device is self._device

    def __hash__(self):
        return hash(("single", self._device.id))

    def __repr__(self):
        return f"SingleDeviceSharding(device={self._device!r}, memory_kind=device)"


class NamedSharding(Sharding):
    """Blocks laid out by `spec` over `mesh`."""

    def __init__(self, mesh, spec=None, *, memory_kind=None):
        if spec is None:
            spec = PartitionSpec()
        if not isinstance(mesh, Mesh):
            raise user_error(TypeError, f"NamedSharding needs a Mesh, got {type(mesh).__name__}")
        if not isinstance(spec, PartitionSpec):
            if isinstance(spec, (tuple, list)):
                spec = PartitionSpec(*spec)
            else:
                raise user_error(
                    TypeError, f"NamedSharding spec must be a PartitionSpec, got {spec!r}"
                )
        seen = set()
        for p in spec:
            names = (p,) if isinstance(p, str) else (p if isinstance(p, tuple) else ())
            for n in names:
                if n not in mesh.axis_names:
                    raise user_error(
                        ValueError,
                        f"Resource axis: {n} of {spec!r} is not found in mesh: {mesh.axis_names}.",
                    )
                if n in seen:
                    raise user_error(
                        DuplicateSpecError,
                        f"A single NamedSharding spec specification can map every mesh axis "
                        f"to at most one positional dimension, but {spec!r} has duplicate "
                        f"entries for `{n}`",
                    )
                seen.add(n)
        self.mesh = mesh
        self.spec = spec
        self.device_set = set(mesh.devices.flat)

    @property
    def _device_assignment(self):
        return tuple(self.mesh.devices.flat)

    @property
    def addressable_devices(self):
        return {d for d in self.device_set if getattr(d, "is_local", True)}

    @property
    def is_fully_replicated(self):
        return all(not axes for axes in spec_axes(self.spec, len(self.spec)))

    def check_shape(self, shape):
        """IndexError-free check that `shape` splits evenly (ValueError)."""
        sizes = self.mesh.shape
        if len(self.spec) > len(shape):
            raise user_error(
                ValueError,
                f"Sharding {self!r} is only valid for values of rank at least "
                f"{len(self.spec)}, but was applied to a value of rank {len(shape)}",
            )
        for d, axes in enumerate(spec_axes(self.spec, len(shape))):
            n = math.prod(sizes[a] for a in axes)
            if shape[d] % n:
                raise user_error(
                    ValueError,
                    f"Sharding spec {tuple(self.spec)} implies that array axis {d} is "
                    f"partitioned {n} times, but does not evenly divide the dimension size "
                    f"{shape[d]}. Got shape: {tuple(shape)} and sharding {self!r}",
                )

    def devices_indices_map(self, global_shape):
        self.check_shape(global_shape)
        names = self.mesh.axis_names
        sizes = self.mesh.devices.shape
        per_dim = spec_axes(self.spec, len(global_shape))
        out = {}
        import numpy as np

        for coords in np.ndindex(*sizes):
            device = self.mesh.devices[coords]
            index = []
            for d, axes in enumerate(per_dim):
                if not axes:
                    index.append(slice(None))
                    continue
                block, count = 0, 1
                for a in axes:
                    k = names.index(a)
                    block = block * sizes[k] + coords[k]
                    count *= sizes[k]
                size = global_shape[d] // count
                index.append(slice(block * size, (block + 1) * size))
            out[device] = tuple(index)
        return out

    def replica_id(self, device):
        """The device's index among the devices holding the same block."""
        used = {a for axes in spec_axes(self.spec, len(self.spec)) for a in axes}
        coords = self.mesh.coordinates(device)
        rid = 0
        for k, name in enumerate(self.mesh.axis_names):
            if name not in used:
                rid = rid * self.mesh.devices.shape[k] + coords[k]
        return rid

    def with_spec(self, spec):
        return NamedSharding(self.mesh, spec)

    def __eq__(self, other):
        return (
            isinstance(other, NamedSharding) and self.mesh == other.mesh and self.spec == other.spec
        )

    def __hash__(self):
        return hash((self.mesh, self.spec))

    def __repr__(self):
        return f"NamedSharding(mesh={self.mesh!r}, spec={self.spec!r}, memory_kind=device)"


__all__ = [
    "DuplicateSpecError",
    "NamedSharding",
    "PartitionSpec",
    "Sharding",
    "SingleDeviceSharding",
    "spec_axes",
]


def make_single_device_sharding(device, *, memory_kind=None):
    """jax.sharding.make_single_device_sharding."""
    del memory_kind
    return SingleDeviceSharding(device)
