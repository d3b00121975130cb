"""Tracing core: abstract values, tracers, the trace that builds mlax IR, and
primitives.

A `Trace` owns one `func.func` under construction. Tracers carry an MLIR
value and its abstract value (shape, dtype, weak type). `Primitive.bind`
either emits an mlax op into the active trace (every op under `jit` is
staged, as with JAX's omnistaging) or, with no trace active, runs the op
eagerly through a cached single-op executable.
"""

import math
import os
import sys
import threading

import numpy as np

from .._mlir import ir
from .._mlir.dialects import func as func_dialect
from .._mlir.dialects import mlax as mlax_dialect
from . import dtypes

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SKIP_DIRS = (_PACKAGE_DIR, os.path.dirname(os.path.abspath(__import__("functools").__file__)))


# ---------------------------------------------------------------------------
# Abstract values
# ---------------------------------------------------------------------------


class ShapedArray:
    """Shape, dtype and weak-type flag of an array (JAX's aval)."""

    __slots__ = ("_hash", "dtype", "shape", "weak_type")

    def __init__(self, shape, dtype, weak_type=False):
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)
        self._hash = hash((self.shape, self.dtype, self.weak_type))

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    def __eq__(self, other):
        return (
            isinstance(other, ShapedArray)
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.weak_type == other.weak_type
        )

    def __hash__(self):
        return self._hash

    def update(self, shape=None, dtype=None, weak_type=None):
        return ShapedArray(
            self.shape if shape is None else shape,
            self.dtype if dtype is None else dtype,
            self.weak_type if weak_type is None else weak_type,
        )

    def str_short(self):
        name = _SHORT_NAMES.get(self.dtype, str(self.dtype))
        return f"{name}[{','.join(map(str, self.shape))}]"

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_short()}{weak})"


_SHORT_NAMES = {
    dtypes.bool_: "bool",
    dtypes.int8: "i8",
    dtypes.int16: "i16",
    dtypes.int32: "i32",
    dtypes.int64: "i64",
    dtypes.uint8: "u8",
    dtypes.uint16: "u16",
    dtypes.uint32: "u32",
    dtypes.uint64: "u64",
    dtypes.float16: "f16",
    dtypes.bfloat16: "bf16",
    dtypes.float32: "f32",
    dtypes.float64: "f64",
}


def shape_str(*avals_or_shapes):
    return ", ".join(str(tuple(getattr(a, "shape", a))) for a in avals_or_shapes)


# ---------------------------------------------------------------------------
# Source locations: errors and IR point at the user's line, not mlax's.
# ---------------------------------------------------------------------------


def user_frame():
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_SKIP_DIRS) and not filename.startswith("<frozen"):
            return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def source_info():
    filename, line = user_frame()
    return f"{filename}:{line}"


def user_error(exc_type, message):
    """An exception whose message ends with the user's source line."""
    return exc_type(f"{message}\n  (at {source_info()})")


# ---------------------------------------------------------------------------
# The MLIR context and types
# ---------------------------------------------------------------------------

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
            else:
                raise TypeError(f"dtype {dtype} has no mlax element type")
        _type_cache[dtype] = t
    return t


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


# ---------------------------------------------------------------------------
# Tracers and the trace
# ---------------------------------------------------------------------------


class ConcretizationTypeError(TypeError):
    pass


class TracerArrayConversionError(TypeError):
    pass


class HasAval:
    """Shape/dtype accessors shared by mlax.Array and Tracer (via `.aval`)."""

    __slots__ = ()

    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: self.aval.ndim)
    size = property(lambda self: self.aval.size)
    weak_type = property(lambda self: self.aval.weak_type)
    nbytes = property(lambda self: self.aval.size * self.aval.dtype.itemsize)

    def __len__(self):
        if not self.aval.shape:
            raise TypeError("len() of unsized object")
        return self.aval.shape[0]


class Tracer(HasAval):
    """A traced value: an MLIR SSA value plus its abstract value."""

    __slots__ = ("_trace", "aval", "value")
    __array_priority__ = 1000

    def __init__(self, trace, value, aval):
        self._trace = trace
        self.value = value
        self.aval = aval

    def __bool__(self):
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: "
            f"{self.aval.str_short()}. The truth value of a traced array is not known "
            f"while tracing; use mlax.numpy.where or mark the argument static.",
        )

    __int__ = __float__ = __index__ = __bool__

    def __array__(self, *args, **kwargs):
        raise user_error(
            TracerArrayConversionError,
            f"The numpy.ndarray conversion method __array__() was called on traced array "
            f"with shape {self.aval.str_short()}",
        )

    def __hash__(self):
        raise TypeError("unhashable type: 'Tracer'")

    def __repr__(self):
        return f"Traced<{self.aval.str_short()}>"


def capture_key(x):
    """What identifies a captured value: the MLIR value of a tracer (re-wrapped
    tracers, e.g. with another weak type, share it) or the array object."""
    if isinstance(x, Tracer):
        return ("tracer", id(x._trace), x.value)
    return ("array", id(x))


class Trace:
    """Builds one func.func from the ops bound while it is active.

    A child trace (for a function whose derivative is requested) builds a
    private func.func in its parent's module; values it closes over (arrays,
    or tracers of an enclosing trace) become trailing arguments, listed in
    `captured`, that the caller passes.
    """

    def __init__(self, name="main", parent=None):
        self.ctx = context()
        self.parent = parent
        if parent is None:
            # A new top-level trace will likely need a compile: start the
            # compile worker now so its start-up overlaps the tracing.
            from . import backend

            backend.start_compile_worker()
        with self.ctx, ir.Location.unknown():
            if parent is None:
                self.module = ir.Module.create()
            else:
                self.module = parent.module
                name = f"{name}_{len(self.module.body.operations)}"
            with ir.InsertionPoint.at_block_begin(self.module.body):
                self.func = func_dialect.FuncOp(name, ir.FunctionType.get([], []))
            if parent is not None:
                self.func.attributes["sym_visibility"] = ir.StringAttr.get("private")
            self.block = self.func.body.blocks.append()
        self.name = name
        self.captured = []  # arrays / enclosing tracers passed as trailing arguments
        self._captured_ids = {}
        self.num_args = 0

    def _loc(self):
        filename, line = user_frame()
        return ir.Location.file(filename, line, 0, context=self.ctx)

    def new_arg(self, aval):
        with self.ctx:
            value = self.block.add_argument(tensor_type(aval), self._loc())
        self.num_args += 1
        return Tracer(self, value, aval)

    def bind(self, x):
        """A new argument that stands for `x` (an array or enclosing tracer)
        wherever the traced code refers to it: an explicit argument, not a
        trailing capture."""
        with self.ctx:
            arg = self.block.add_argument(tensor_type(x.aval), self._loc())
        self.num_args += 1
        self._captured_ids[capture_key(x)] = arg
        return arg

    def to_value(self, x):
        """MLIR value for a tracer, captured array, or Python/NumPy constant."""
        if isinstance(x, Tracer):
            if x._trace is self:
                return x.value
            if not self._encloses(x._trace):
                raise user_error(
                    TypeError, "a tracer from another (finished) trace leaked into this one"
                )
        if isinstance(x, Tracer) or hasattr(x, "_bv"):
            # A concrete mlax.Array or an enclosing trace's value: an argument.
            key = capture_key(x)
            hit = self._captured_ids.get(key)
            if hit is None:
                with self.ctx:
                    hit = self.block.add_argument(tensor_type(x.aval), self._loc())
                self._captured_ids[key] = hit
                self.captured.append(x)
            return hit
        return self.constant(x).value

    def _encloses(self, trace):
        parent = self.parent
        while parent is not None:
            if parent is trace:
                return True
            parent = parent.parent
        return False

    def constant(self, x, aval=None):
        if aval is None:
            dt, weak = dtypes.dtype_and_weak(x)
            aval = ShapedArray(np.shape(x), dt, weak)
        with self.ctx, self._loc():
            op = ir.Operation.create(
                "mlax.constant",
                results=[tensor_type(aval)],
                attributes={"value": dense_attr(x, aval)},
            )
            self.block.append(op)
        return Tracer(self, op.result, aval)

    def emit(self, name, operands, out_avals, attributes):
        with self.ctx, self._loc():
            op = ir.Operation.create(
                name,
                results=[tensor_type(a) for a in out_avals],
                operands=[self.to_value(x) for x in operands],
                attributes=attributes(),
            )
            self.block.append(op)
        return [Tracer(self, r, a) for r, a in zip(op.results, out_avals)]

    def finish(self, outputs):
        """Returns the module; `outputs` are tracers/arrays/constants."""
        values = [self.to_value(x) for x in outputs]
        with self.ctx, ir.Location.unknown():
            with ir.InsertionPoint(self.block):
                func_dialect.ReturnOp(values)
            arg_types = [a.type for a in self.block.arguments]
            self.func.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(arg_types, [v.type for v in values])
            )
        return self.module


_state = threading.local()


def trace_stack():
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    return stack


def current_trace():
    stack = getattr(_state, "stack", None)
    return stack[-1] if stack else None


class tracing:
    def __init__(self, trace):
        self.trace = trace

    def __enter__(self):
        trace_stack().append(self.trace)
        return self.trace

    def __exit__(self, *exc):
        trace_stack().pop()


# ---------------------------------------------------------------------------
# Primitives
# ---------------------------------------------------------------------------


class Primitive:
    """An mlax op: abstract evaluation + attributes; bound eagerly or traced.

    abstract_eval(*avals, **params) returns the output aval(s) and raises
    the TypeError/ValueError JAX would. attributes(**params) returns the MLIR
    attributes (called inside the MLIR context).
    """

    def __init__(self, name, abstract_eval, attributes=None, multiple_results=False):
        self.name = name
        self.op_name = "mlax." + name
        self.abstract_eval = abstract_eval
        self.attributes = attributes or (lambda **params: {})
        self.multiple_results = multiple_results

    def __repr__(self):
        return self.name

    def bind(self, *args, **params):
        trace = current_trace()
        if trace is None:
            from . import dispatch

            return dispatch.apply_primitive(self, args, params)
        out_avals = self.abstract_eval(*[aval_of(a) for a in args], **params)
        multiple = isinstance(out_avals, (list, tuple))
        out = trace.emit(
            self.op_name,
            args,
            out_avals if multiple else [out_avals],
            lambda: self.attributes(**params),
        )
        return out if multiple else out[0]


_SCALAR_AVALS = {}


def aval_of(x):
    aval = getattr(x, "aval", None)
    if aval is not None:
        return aval
    t = type(x)
    if t is float or t is int or t is bool:
        key = (t, dtypes.config.x64)
        aval = _SCALAR_AVALS.get(key)
        if aval is None:
            dt, weak = dtypes.dtype_and_weak(x)
            aval = _SCALAR_AVALS[key] = ShapedArray((), dt, weak)
        return aval
    if isinstance(x, (bool, int, float, np.ndarray, np.generic)):
        dt, weak = dtypes.dtype_and_weak(x)
        key = (type(x), np.shape(x), dt, weak)
        aval = _SCALAR_AVALS.get(key)
        if aval is None:
            aval = _SCALAR_AVALS[key] = ShapedArray(np.shape(x), dt, weak)
        return aval
    if isinstance(x, (list, tuple)):
        raise user_error(
            TypeError,
            f"mlax functions do not accept {type(x).__name__}s as array arguments; "
            f"use mlax.numpy.asarray first (got {x!r})",
        )
    raise user_error(TypeError, f"Value {x!r} of type {type(x)} is not a valid mlax type")
