"""mlax.ops: JAX's segment reductions (jax.ops)."""

from .._src.numpy.advanced_indexing import (  # noqa: F401
    segment_max,
    segment_min,
    segment_prod,
    segment_sum,
)
