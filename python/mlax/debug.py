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


__all__ = ["callback", "print", "visualize_array_sharding", "visualize_sharding"]
