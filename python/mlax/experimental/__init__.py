"""mlax.experimental: where JAX keeps shard_map, mesh_utils, multihost_utils
and the compile-cache settings."""

from .._src.transforms.callbacks import io_callback
from . import compilation_cache, mesh_utils, multihost_utils, ode, shard_map

__all__ = [
    "compilation_cache",
    "io_callback",
    "mesh_utils",
    "multihost_utils",
    "ode",
    "shard_map",
]
