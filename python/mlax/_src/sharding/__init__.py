"""Meshes and shardings (jax.sharding): which device holds which block of
an array.

Sits just above `core`: it names devices but never runs anything, so the
runtime (sharded arrays), the transformations (pmap, shard_map, sharded
jit) and the public `mlax.sharding` all build on it.
"""

from .mesh import (
    AxisType,
    Mesh,
    get_abstract_mesh,
    get_mesh,
    make_mesh,
    set_mesh,
    thread_mesh,
    use_abstract_mesh,
)
from .shardings import (
    DuplicateSpecError,
    NamedSharding,
    PartitionSpec,
    Sharding,
    SingleDeviceSharding,
    make_single_device_sharding,
    spec_axes,
)

__all__ = [
    "AxisType",
    "DuplicateSpecError",
    "Mesh",
    "NamedSharding",
    "PartitionSpec",
    "Sharding",
    "SingleDeviceSharding",
    "get_abstract_mesh",
    "get_mesh",
    "make_mesh",
    "make_single_device_sharding",
    "set_mesh",
    "spec_axes",
    "thread_mesh",
    "use_abstract_mesh",
]
