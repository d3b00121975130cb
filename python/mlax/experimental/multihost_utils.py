"""Helpers for programs running as several processes (mlax.distributed)."""

import numpy as np

from .._src.core import tree_util
from .._src.runtime import distributed


def process_allgather(x, tiled=False):
    """Every process's value of `x`, gathered to every process: an array
    sharded over several processes comes back whole; a process-local value
    is stacked along a new leading axis (concatenated when `tiled`)."""
    from .._src.runtime.array import ShardedArray

    def one(leaf):
        comm = distributed.comm()
        if isinstance(leaf, ShardedArray) and not leaf.is_fully_addressable:
            out = np.empty(leaf.shape, leaf.dtype)
            local = [(s.index, np.asarray(s.data)) for s in leaf.addressable_shards]
            for parts in comm.allgather(local) if comm is not None else [local]:
                for index, block in parts:
                    out[index] = block
            return out
        value = np.asarray(leaf)
        if comm is None:
            return value if tiled else value[None]
        parts = comm.allgather(value)
        return np.concatenate(parts) if tiled else np.stack(parts)

    return tree_util.tree_map(one, x)


def sync_global_devices(name):
    """A barrier across every process."""
    comm = distributed.comm()
    if comm is not None:
        comm.Barrier()


__all__ = ["process_allgather", "sync_global_devices"]
