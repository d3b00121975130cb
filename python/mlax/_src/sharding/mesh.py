"""Mesh: devices laid out in an n-d array with named axes."""

import collections
import enum
import math
import threading

import numpy as np

from ..core import user_error


class AxisType(enum.Enum):
    Auto = "Auto"
    Explicit = "Explicit"
    Manual = "Manual"

    def __repr__(self):
        return self.name


class Mesh:
    """jax.sharding.Mesh: `devices` (an array of devices) with one name
    per array axis. `with mesh:` makes it the mesh that bare
    PartitionSpecs refer to."""

    def __init__(self, devices, axis_names, axis_types=None):
        devices = np.asarray(devices, dtype=object)
        if isinstance(axis_names, str):
            axis_names = (axis_names,)
        axis_names = tuple(axis_names)
        if devices.ndim != len(axis_names):
            raise user_error(
                ValueError,
                f"Mesh requires the ndim of its first argument (`devices`) to equal the "
                f"length of its second argument (`axis_names`), but got devices.ndim == "
                f"{devices.ndim} and len(axis_names) == {len(axis_names)}.",
            )
        if len(set(axis_names)) != len(axis_names):
            raise user_error(ValueError, f"Mesh axis names must be unique, got {axis_names}")
        ids = [d.id for d in devices.flat]
        if len(set(ids)) != len(ids):
            raise user_error(ValueError, f"Mesh devices must be distinct, got ids {ids}")
        if axis_types is None:
            axis_types = (AxisType.Auto,) * len(axis_names)
        elif isinstance(axis_types, AxisType):
            axis_types = (axis_types,) * len(axis_names)
        self.devices = devices
        self.axis_names = axis_names
        self.axis_types = tuple(axis_types)
        self._key = (tuple(ids), devices.shape, axis_names)

    @property
    def shape(self):
        return collections.OrderedDict(zip(self.axis_names, self.devices.shape))

    @property
    def axis_sizes(self):
        return tuple(self.devices.shape)

    @property
    def shape_tuple(self):
        return tuple(zip(self.axis_names, self.devices.shape))

    @property
    def size(self):
        return int(math.prod(self.devices.shape))

    @property
    def empty(self):
        return self.devices.size == 0

    @property
    def device_ids(self):
        return np.vectorize(lambda d: d.id, otypes=[int])(self.devices)

    @property
    def local_devices(self):
        return [d for d in self.devices.flat if getattr(d, "is_local", True)]

    @property
    def is_multi_process(self):
        return len({d.process_index for d in self.devices.flat}) > 1

    @property
    def abstract_mesh(self):
        return self

    def flat_devices(self):
        return list(self.devices.flat)

    def coordinates(self, device):
        """The device's index along each mesh axis."""
        for idx in np.ndindex(*self.devices.shape):
            if self.devices[idx] is device or self.devices[idx].id == device.id:
                return idx
        raise ValueError(f"{device} is not in {self!r}")

    def __eq__(self, other):
        return isinstance(other, Mesh) and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __enter__(self):
        _mesh_stack().append(self)
        return self

    def __exit__(self, *exc):
        _mesh_stack().pop()

    def __repr__(self):
        sizes = ", ".join(f"'{n}': {s}" for n, s in zip(self.axis_names, self.devices.shape))
        types = ", ".join(t.name for t in self.axis_types)
        types += "," if len(self.axis_types) == 1 else ""
        return f"Mesh({sizes}, axis_types=({types}))"


_state = threading.local()


def _mesh_stack():
    stack = getattr(_state, "meshes", None)
    if stack is None:
        stack = _state.meshes = []
    return stack


def thread_mesh():
    """The innermost `with mesh:` of this thread, or None."""
    stack = _mesh_stack()
    return stack[-1] if stack else None


def get_abstract_mesh():
    return thread_mesh()


def make_mesh(axis_shapes, axis_names, *, devices=None, axis_types=None):
    """jax.make_mesh: the first prod(axis_shapes) devices laid out in
    `axis_shapes`. Like JAX 0.10, axes are Explicit unless told."""
    from ..core import hooks

    axis_shapes = tuple(int(s) for s in axis_shapes)
    if isinstance(axis_names, str):
        axis_names = (axis_names,)
    if len(axis_shapes) != len(axis_names):
        raise user_error(
            ValueError,
            f"Mesh axis names {tuple(axis_names)} and shape {axis_shapes} must have the same "
            f"length",
        )
    if devices is None:
        devices = hooks.all_devices()
    need = math.prod(axis_shapes)
    if need > len(devices):
        raise user_error(
            ValueError,
            f"Number of devices {len(devices)} must be >= the product of mesh_shape "
            f"{axis_shapes}; set MLAX_NUM_CPU_DEVICES={need} (or "
            f"mlax.config.update('jax_num_cpu_devices', {need})) for more CPU devices",
        )
    grid = np.empty(need, dtype=object)
    for i, d in enumerate(list(devices)[:need]):
        grid[i] = d
    if axis_types is None:
        axis_types = (AxisType.Explicit,) * len(axis_names)
    return Mesh(grid.reshape(axis_shapes), axis_names, axis_types)


__all__ = ["AxisType", "Mesh", "get_abstract_mesh", "make_mesh", "thread_mesh"]


class _MeshSetting:
    """What set_mesh returns: the mesh is already set; as a context manager
    its exit restores the previous one."""

    def __init__(self, previous):
        self._previous = previous

    def __enter__(self):
        return thread_mesh()

    def __exit__(self, *exc):
        stack = _mesh_stack()
        stack.clear()
        stack.extend(self._previous)


def set_mesh(mesh):
    """jax.set_mesh: makes `mesh` the thread's mesh (bare PartitionSpecs
    refer to it), as a global setter or a context manager; None clears it."""
    if mesh is not None and not isinstance(mesh, Mesh):
        raise user_error(TypeError, f"set_mesh expects a Mesh or None, got {type(mesh).__name__}")
    stack = _mesh_stack()
    previous = list(stack)
    stack.clear()
    if mesh is not None:
        stack.append(mesh)
    return _MeshSetting(previous)


def get_mesh():
    """The mesh set by set_mesh or `with mesh:` (None when there is none;
    JAX returns an empty mesh)."""
    return thread_mesh()


def use_abstract_mesh(mesh):
    """Like `with mesh:` (mlax's meshes are concrete; the abstract form is
    the same object)."""
    return mesh
