"""mlax.scipy: jax.scipy's submodules (see docs/status.md for what they
cover), all reachable as attributes after `import mlax`, as in JAX."""

from . import (  # noqa: F401
    cluster,
    fft,
    integrate,
    interpolate,
    linalg,
    ndimage,
    optimize,
    signal,
    sparse,
    spatial,
    special,
    stats,
)
