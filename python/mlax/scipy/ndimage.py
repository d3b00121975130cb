"""mlax.scipy.ndimage: jax.scipy.ndimage's map_coordinates."""

from .._src.scipy.ndimage import map_coordinates  # noqa: F401
