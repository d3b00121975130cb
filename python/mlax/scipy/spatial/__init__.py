"""mlax.scipy.spatial: jax.scipy.spatial's `transform` (Rotation, Slerp)."""

from . import transform  # noqa: F401
