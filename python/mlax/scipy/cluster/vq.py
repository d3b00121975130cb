"""mlax.scipy.cluster.vq: jax.scipy.cluster.vq's vq."""

from ..._src.scipy.cluster import vq  # noqa: F401
