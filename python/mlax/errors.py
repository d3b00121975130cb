"""mlax.errors: the exceptions tracing raises (JAX's jax.errors)."""

from ._src.core import (
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
)
from ._src.numpy.advanced_indexing import NonConcreteBooleanIndexError

__all__ = [
    "ConcretizationTypeError",
    "NonConcreteBooleanIndexError",
    "TracerArrayConversionError",
    "TracerBoolConversionError",
    "TracerIntegerConversionError",
]
