"""mlax.tree: short names for the pytree utilities, as in jax.tree."""

from ._src.core.tree import (  # noqa: F401
    all,
    broadcast,
    flatten,
    flatten_with_path,
    leaves,
    leaves_with_path,
    map,
    map_with_path,
    reduce,
    reduce_associative,
    static,
    structure,
    transpose,
    unflatten,
)
