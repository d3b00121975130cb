"""mlax.scipy.cluster: jax.scipy.cluster's vq."""

from . import vq  # noqa: F401
