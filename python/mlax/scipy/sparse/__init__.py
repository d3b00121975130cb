"""mlax.scipy.sparse: jax.scipy.sparse's linalg (Krylov solvers)."""

from . import linalg  # noqa: F401
