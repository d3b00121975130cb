"""mlax.scipy: jax.scipy's `special` and `stats` (see docs/status.md for
what they cover)."""

from . import (  # noqa: F401  # noqa: F401  # noqa: F401
    cluster,
    fft,
    integrate,
    interpolate,
    linalg,
    ndimage,
    signal,
    sparse,
    spatial,
    special,
    stats,
)
