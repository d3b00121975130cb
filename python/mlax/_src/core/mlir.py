"""The MLIR context mlax builds in, and the types and attributes of its ops."""

import numpy as np

from ..._mlir import ir
from ..._mlir.dialects import mlax as mlax_dialect
from . import dtypes

_context = None
_type_cache = {}


def context():
    global _context
    if _context is None:
        ctx = ir.Context()
        # The lowering emits IREE's util.optimization_barrier by name.
        ctx.allow_unregistered_dialects = True
        mlax_dialect.register_dialects(ctx)
        mlax_dialect.register_passes()
        _context = ctx
    return _context


def element_type(dtype):
    dtype = np.dtype(dtype)
    t = _type_cache.get(dtype)
    if t is None:
        with context():
            if dtype == dtypes.bool_:
                t = ir.IntegerType.get_signless(1)
            elif dtype == dtypes.bfloat16:
                t = ir.BF16Type.get()
            elif dtype.kind == "f":
                t = {2: ir.F16Type, 4: ir.F32Type, 8: ir.F64Type}[dtype.itemsize].get()
            elif dtype.kind == "i":
                t = ir.IntegerType.get_signless(8 * dtype.itemsize)
            elif dtype.kind == "u":
                t = ir.IntegerType.get_unsigned(8 * dtype.itemsize)
            elif dtype.kind == "c":
                part = {8: ir.F32Type, 16: ir.F64Type}[dtype.itemsize].get()
                t = ir.ComplexType.get(part)
            else:
                raise TypeError(f"dtype {dtype} has no mlax element type")
        _type_cache[dtype] = t
    return t


# The dtype of each element type as MLIR prints it (the inverse of
# element_type), for reading IR back: make_jaxpr, SPMD collectives.
DTYPE_OF_ELEMENT = {
    "i1": "bool",
    "i8": "int8",
    "i16": "int16",
    "i32": "int32",
    "i64": "int64",
    "ui8": "uint8",
    "ui16": "uint16",
    "ui32": "uint32",
    "ui64": "uint64",
    "bf16": "bfloat16",
    "f16": "float16",
    "f32": "float32",
    "f64": "float64",
    "complex<f32>": "complex64",
    "complex<f64>": "complex128",
}

_tensor_types = {}


def tensor_type(aval):
    key = (aval.shape, aval.dtype)
    t = _tensor_types.get(key)
    if t is None:
        t = ir.RankedTensorType.get(
            aval.shape, element_type(aval.dtype), loc=ir.Location.unknown(context())
        )
        _tensor_types[key] = t
    return t


def i64_array_attr(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def i64_attr(value):
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), int(value))


def i32_attr(value):
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(32), int(value))


def dense_attr(value, aval):
    """A dense elements attribute holding NumPy `value` with `aval`'s type."""
    array = np.asarray(value, dtype=aval.dtype)
    if aval.dtype == dtypes.bool_:
        array = np.packbits(array.ravel(), bitorder="little") if array.size > 1 else array
        if array.size == 1 and array.dtype == np.bool_:
            return ir.DenseElementsAttr.get_splat(
                tensor_type(aval), ir.BoolAttr.get(bool(array.reshape(())))
            )
        return ir.DenseElementsAttr.get(array, type=tensor_type(aval), signless=True)
    if aval.dtype == dtypes.bfloat16:
        array = array.view(np.uint16)
    return ir.DenseElementsAttr.get(np.ascontiguousarray(array), type=tensor_type(aval))
