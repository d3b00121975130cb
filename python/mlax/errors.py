"""mlax.errors: the exceptions tracing raises (JAX's jax.errors)."""

from ._src.core import (
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
)
from ._src.numpy.advanced_indexing import NonConcreteBooleanIndexError
from ._src.runtime.callbacks import JaxRuntimeError

__all__ = [
    "ConcretizationTypeError",
    "JaxRuntimeError",
    "NonConcreteBooleanIndexError",
    "TracerArrayConversionError",
    "TracerBoolConversionError",
    "TracerIntegerConversionError",
]
