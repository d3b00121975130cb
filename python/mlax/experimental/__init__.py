"""mlax.experimental: where JAX keeps shard_map and multihost_utils."""

from .._src.transforms.callbacks import io_callback
from . import multihost_utils, shard_map

__all__ = ["io_callback", "multihost_utils", "shard_map"]
