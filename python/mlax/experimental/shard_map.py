"""jax.experimental.shard_map, kept for programs that import it there:
deprecated in JAX 0.8 (a DeprecationWarning on access, as JAX's), with its
old signature (`check_rep` for `check_vma`)."""

import warnings

from .._src.transforms.spmd import shard_map as _shard_map

_MESSAGE = "mlax.experimental.shard_map is deprecated in v0.8.0. Used mlax.shard_map instead."


def _legacy_shard_map(f, mesh, in_specs, out_specs, check_rep=True):
    """Please use `mlax.shard_map`."""
    return _shard_map(f, mesh=mesh, in_specs=in_specs, out_specs=out_specs, check_vma=check_rep)


def __getattr__(name):
    if name == "shard_map":
        warnings.warn(_MESSAGE, DeprecationWarning, stacklevel=2)
        return _legacy_shard_map
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
