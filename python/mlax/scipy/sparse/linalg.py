"""mlax.scipy.sparse.linalg: jax.scipy.sparse.linalg's cg, gmres and
bicgstab."""

from ..._src.scipy.sparse_linalg import bicgstab, cg, gmres  # noqa: F401
