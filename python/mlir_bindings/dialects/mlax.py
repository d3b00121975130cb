"""The mlax dialect: generated op classes plus registration helpers."""

from ._mlax_ops_gen import *  # noqa: F401,F403
from .._mlir_libs._mlaxDialects.mlax import register_dialects, register_passes  # noqa: F401
