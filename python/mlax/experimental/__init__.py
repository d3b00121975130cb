"""mlax.experimental: where JAX keeps shard_map and multihost_utils."""

from . import multihost_utils, shard_map  # noqa: F401
