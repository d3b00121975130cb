"""mlax.scipy.optimize: jax.scipy.optimize's minimize (BFGS, and JAX's
experimental L-BFGS) and OptimizeResults."""

from .._src.scipy.optimize import OptimizeResults, minimize  # noqa: F401
