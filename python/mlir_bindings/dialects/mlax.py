"""The mlax dialect: generated op classes plus registration helpers."""

from .._mlir_libs._mlaxDialects.mlax import register_dialects, register_passes  # noqa: F401
from ._mlax_ops_gen import *
