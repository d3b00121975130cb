"""mlax.nn: jax.nn's functions (so far `one_hot`; the rest is issue 15)."""

from .._src.nn.functions import one_hot  # noqa: F401
