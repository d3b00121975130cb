"""The bottom floor: what every other part of mlax is built on.

Holds abstract values (`avals`), dtypes and JAX's promotion lattice
(`dtypes`), configuration (`config`), pytrees (`tree_util`), source
locations for errors and IR (`source_info`), the MLIR context and types
(`mlir`), and tracers, traces and primitives (`trace`).

May import: the standard library, NumPy and ml_dtypes, and mlax's MLIR
bindings (`mlax._mlir`). Nothing from `lax`, `numpy`, `transforms` or
`runtime`: where core must reach them, they register a hook in
`trace.hooks`.
"""

from .avals import ShapeDtypeStruct, ShapedArray, aval_of, shape_str
from .mlir import (
    context,
    dense_attr,
    element_type,
    i32_attr,
    i64_array_attr,
    i64_attr,
    tensor_type,
)
from .source_info import source_info, user_error, user_frame, user_stacklevel
from .trace import (
    ConcretizationTypeError,
    HasAval,
    JAXIndexError,
    JAXTypeError,
    KeyReuseError,
    Primitive,
    Trace,
    Tracer,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
    abstract_only,
    capture_key,
    current_trace,
    hooks,
    trace_stack,
    tracing,
)

__all__ = [
    "ConcretizationTypeError",
    "HasAval",
    "JAXIndexError",
    "JAXTypeError",
    "KeyReuseError",
    "Primitive",
    "ShapeDtypeStruct",
    "ShapedArray",
    "Trace",
    "Tracer",
    "TracerArrayConversionError",
    "TracerBoolConversionError",
    "TracerIntegerConversionError",
    "UnexpectedTracerError",
    "abstract_only",
    "aval_of",
    "capture_key",
    "context",
    "current_trace",
    "dense_attr",
    "element_type",
    "hooks",
    "i32_attr",
    "i64_array_attr",
    "i64_attr",
    "shape_str",
    "source_info",
    "tensor_type",
    "trace_stack",
    "tracing",
    "user_error",
    "user_stacklevel",
    "user_frame",
]
