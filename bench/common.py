"""What the benchmarks share: a fresh compile cache and timing."""

import os
import statistics
import sys
import tempfile
import time


def use_fresh_cache():
    """First calls are measured cold: a new MLAX_CACHE_DIR unless
    --keep-cache is given. Call before importing mlax."""
    if "--keep-cache" not in sys.argv:
        os.environ["MLAX_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlax-bench-cache-")


def median(fn, repeat=15):
    """Median seconds of `repeat` calls of fn, after one warm-up call."""
    return medians_interleaved([fn], repeat)[0]


def medians_interleaved(fns, repeat=15):
    """Median seconds of each of `fns`, called in turn `repeat` times after
    one warm-up call each: slow drifts of a shared machine hit all alike."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def once(fn):
    """(fn(), seconds it took): for first calls."""
    t = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t


def block(tree):
    """Waits for every array in `tree` (mlax or JAX) and returns it."""
    import mlax

    for leaf in mlax.tree_util.tree_leaves(tree):
        if hasattr(leaf, "block_until_ready"):
            leaf.block_until_ready()
    return tree
