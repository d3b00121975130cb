"""jax.experimental.shard_map, kept for programs that import it there."""

from .._src.transforms.spmd import shard_map

__all__ = ["shard_map"]
