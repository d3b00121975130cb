"""mlax.debug: looking at arrays as the devices hold them, and printing
or calling back into Python from compiled code."""

import builtins

from ._src.runtime.array import ShardedArray
from ._src.transforms.callbacks import debug_callback as callback
from ._src.transforms.callbacks import debug_print as print


def visualize_sharding(
    shape, sharding, *, use_color=False, scale=1.0, min_width=9, max_width=80, color_map=None
):
    """Prints which devices hold which block of a rank-1 or rank-2 array
    of `shape` (a text table; JAX draws the same with rich)."""
    shape = tuple(shape)
    if len(shape) > 2:
        raise ValueError(
            f"visualize_sharding only works for shapes with 1 or 2 dimensions, got {shape}"
        )
    full = shape if len(shape) == 2 else (1,) + shape
    index_map = sharding.devices_indices_map(shape)
    blocks = {}
    for device, index in index_map.items():
        index = index if len(shape) == 2 else (slice(None),) + tuple(index)
        key = tuple(s.indices(n)[:2] for s, n in zip(index, full))
        blocks.setdefault(key, []).append(device.id)
    rows = sorted({k[0] for k in blocks})
    cols = sorted({k[1] for k in blocks})
    labels = {k: "CPU " + ",".join(str(i) for i in sorted(v)) for k, v in blocks.items()}
    width = max(min_width, max(len(v) for v in labels.values()) + 2)
    width = min(width, max(min_width, max_width // max(1, len(cols))))
    sep = "+" + "+".join("-" * width for _ in cols) + "+"
    lines = [sep]
    for r in rows:
        cells = [labels.get((r, c), "").center(width) for c in cols]
        lines.append("|" + "|".join(cells) + "|")
        lines.append(sep)
    builtins.print("\n".join(lines))


def visualize_array_sharding(arr, **kwargs):
    """Prints the blocks of `arr` and the devices holding each."""
    if isinstance(arr, ShardedArray):
        return visualize_sharding(arr.shape, arr.sharding, **kwargs)
    return visualize_sharding(arr.shape, arr.sharding, **kwargs)


def inspect_array_sharding(value, *, callback):
    """Calls `callback` with the sharding of each array in `value` (a
    pytree). mlax decides shardings when the array exists, so this works on
    arrays; inside a jit trace a value has no sharding yet (JAX reports the
    partitioner's choice at compile time) and the call raises."""
    from ._src.core import Tracer
    from ._src.core.tree_util import tree_leaves

    for leaf in tree_leaves(value):
        if isinstance(leaf, Tracer):
            raise NotImplementedError(
                "mlax.debug.inspect_array_sharding inside jit: shardings are chosen by "
                "mlax-sharding-propagation after tracing; call it on the jitted function's "
                "outputs instead"
            )
        callback(leaf.sharding)


def breakpoint(*, backend=None, filter_frames=True, num_frames=None, ordered=False, **kwargs):
    """Stops in Python's debugger (pdb) where the program reaches this line,
    eagerly or when the compiled program runs (as a debug callback)."""
    del backend, filter_frames, num_frames, kwargs
    import pdb  # noqa: T100  (the debugger is the point)

    callback(lambda: pdb.set_trace(), ordered=ordered)  # noqa: T100


__all__ = [
    "breakpoint",
    "callback",
    "inspect_array_sharding",
    "print",
    "visualize_array_sharding",
    "visualize_sharding",
]
