"""jax.experimental.mesh_utils."""

from .._src.sharding.mesh_utils import create_device_mesh, create_hybrid_device_mesh

__all__ = ["create_device_mesh", "create_hybrid_device_mesh"]
