"""mlax.scipy.spatial.transform: jax.scipy.spatial.transform's Rotation
and Slerp."""

from ..._src.scipy.spatial_transform import Rotation, Slerp  # noqa: F401
