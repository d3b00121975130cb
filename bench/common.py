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
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
