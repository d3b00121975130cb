"""mlax.flatten_util: jax.flatten_util's ravel_pytree."""

from ._src.numpy.flatten_util import ravel_pytree  # noqa: F401
