"""mlax.scipy.interpolate: jax.scipy.interpolate's RegularGridInterpolator."""

from .._src.scipy.interpolate import RegularGridInterpolator  # noqa: F401
