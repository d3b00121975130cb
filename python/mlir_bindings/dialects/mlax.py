"""The mlax dialect: generated op classes plus registration helpers."""

from .._mlir_libs._mlaxDialects.mlax import (  # noqa: F401
    batched_results,
    register_dialects,
    register_passes,
)
from ._mlax_ops_gen import *
