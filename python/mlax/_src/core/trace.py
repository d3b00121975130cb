"""Tracing core: abstract values, tracers, the trace that builds mlax IR, and
primitives.

A `Trace` owns one `func.func` under construction. Tracers carry an MLIR
value and its abstract value (shape, dtype, weak type). `Primitive.bind`
either emits an mlax op into the active trace (every op under `jit` is
staged, as with JAX's omnistaging) or, with no trace active, runs the op
eagerly through a cached single-op executable.

Core imports nothing above it. Where it must reach an upper floor (running
a primitive eagerly needs jit; a new top-level trace starts the compile
worker), the upper floor registers a hook here (`hooks`).
"""

import threading

import numpy as np

from ..._mlir import ir
from ..._mlir.dialects import func as func_dialect
from . import dtypes
from .avals import ShapedArray, aval_of
from .mlir import context, dense_attr, i32_attr, tensor_type
from .source_info import user_error, user_frame


class hooks:
    """What upper floors register so core can reach them without importing
    them: `apply_primitive(prim, args, params)` runs a primitive eagerly
    (transforms.jit), `on_top_level_trace()` is called when a top-level
    trace starts (runtime: start the compile worker), `device_put(value,
    weak_type)` makes a concrete array of a NumPy value (runtime),
    `all_devices()` lists every device of every process (runtime),
    `evaluate(module_text, args, aval)` runs a module's @main on concrete
    arguments and returns the NumPy result (transforms.jit)."""

    apply_primitive = None
    evaluate = None
    on_top_level_trace = None
    device_put = None
    all_devices = None


# ---------------------------------------------------------------------------
# Tracers and the trace
# ---------------------------------------------------------------------------


class JAXTypeError(TypeError):
    """Base of the TypeErrors tracing raises, as jax.errors.JAXTypeError."""


class JAXIndexError(IndexError):
    """Base of the IndexErrors tracing raises, as jax.errors.JAXIndexError."""


class ConcretizationTypeError(JAXTypeError):
    pass


class TracerArrayConversionError(JAXTypeError):
    pass


class UnexpectedTracerError(JAXTypeError):
    pass


class KeyReuseError(JAXTypeError):
    pass


class TracerBoolConversionError(ConcretizationTypeError):
    pass


class TracerIntegerConversionError(ConcretizationTypeError):
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

    def _concrete(self):
        """The value, when it depends only on concrete inputs of an eager
        transformation (see Trace.concrete_value); else None."""
        return self._trace.concrete_value(self)

    def __bool__(self):
        value = self._concrete()
        if value is not None and value.size == 1:
            return bool(value)
        raise user_error(
            TracerBoolConversionError,
            f"Attempted boolean conversion of traced array with shape "
            f"{self.aval.str_long()}.\nThe truth value of a traced array is not known "
            f"while tracing: for control flow on traced values use lax.cond, lax.switch "
            f"or lax.while_loop (or mlax.numpy.where), or mark the argument static.",
        )

    def __index__(self):
        value = self._concrete()
        if value is not None and value.size == 1 and value.dtype.kind in "iub":
            return int(value)
        raise user_error(
            TracerIntegerConversionError,
            f"The __index__() method was called on traced array with shape "
            f"{self.aval.str_long()}\nIts value is not known while tracing; use "
            f"lax.dynamic_slice / lax.fori_loop, or mark the argument static.",
        )

    def __int__(self):
        value = self._concrete()
        if value is not None and value.size == 1:
            return int(value)
        # JAX: ConcretizationTypeError here, TracerIntegerConversionError
        # only for __index__.
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: traced "
            f"array with shape {self.aval.str_long()}\nThe problem arose with the `int` "
            f"function. If trying to convert the data type of a value, try using "
            f"`x.astype(int)` or `jnp.array(x, int)` instead.",
        )

    def __float__(self):
        value = self._concrete()
        if value is not None and value.size == 1:
            return float(value)
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: "
            f"{self.aval.str_long()}. float() of a traced array is not known while "
            f"tracing; mark the argument static.",
        )

    def item(self, *args):
        value = self._concrete()
        if value is not None:
            return value.item(*args)
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: "
            f"{self.aval.str_long()}. item() of a traced array is not known while "
            f"tracing; mark the argument static.",
        )

    def tolist(self):
        value = self._concrete()
        if value is not None:
            return value.tolist()
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: traced "
            f"array with shape {self.aval.str_long()}\nThe tolist() method was called on "
            f"traced array with shape {self.aval.str_long()}",
        )

    def __array__(self, dtype=None, copy=None):
        value = self._concrete()
        if value is not None:
            return value if dtype is None else value.astype(dtype)
        raise user_error(
            TracerArrayConversionError,
            f"The numpy.ndarray conversion method __array__() was called on traced array "
            f"with shape {self.aval.str_long()}",
        )

    def __hash__(self):
        raise TypeError("unhashable type: 'Tracer'")

    def _with_aval(self, aval):
        """The same value under another aval (a weak-type change)."""
        return Tracer(self._trace, self.value, aval)

    def __repr__(self):
        # JAX 0.10's form, what print(x) shows inside a jitted function:
        # JitTracer(float32[3]), with ~ before a weak type.
        return f"JitTracer({self.aval})"


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
            if hooks.on_top_level_trace is not None:
                hooks.on_top_level_trace()
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
        # The device mesh a pmap / shard_map / sharding constraint in this
        # trace runs over (recorded on the top-level trace).
        self.mesh = None
        self.captured = []  # arrays / enclosing tracers passed as trailing arguments
        # Concrete arrays become constants, not captures (export); children
        # inherit it.
        self.embed_arrays = parent.embed_arrays if parent is not None else False
        self._captured_ids = {}
        self.num_args = 0
        # Eager transformations (grad(f)(x) outside jit) see concrete inputs:
        # `concrete` says every argument's value can be known, `arg_sources`
        # gives, per block argument, what it stands for (an array, a Python
        # value, an enclosing trace's tracer, or None when unknown).
        self.concrete = False
        self.arg_sources = []
        self._arg_avals = []
        self._concrete_values = {}
        # Set on the root when a concrete value steered the tracing: the
        # traced function is then valid for these inputs only.
        self.concretized = False

    def _loc(self):
        filename, line = user_frame()
        return ir.Location.file(filename, line, 0, context=self.ctx)

    def new_arg(self, aval, source=None):
        with self.ctx:
            value = self.block.add_argument(tensor_type(aval), self._loc())
        self.num_args += 1
        self.arg_sources.append(source)
        self._arg_avals.append(aval)
        return Tracer(self, value, aval)

    def bind(self, x):
        """A new argument that stands for `x` (an array or enclosing tracer)
        wherever the traced code refers to it: an explicit argument, not a
        trailing capture."""
        with self.ctx:
            arg = self.block.add_argument(tensor_type(x.aval), self._loc())
        self.num_args += 1
        self.arg_sources.append(x)
        self._arg_avals.append(x.aval)
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
        if self.embed_arrays and not isinstance(x, Tracer) and hasattr(x, "_bv"):
            # Exporting: a concrete array the function closes over is baked in.
            return self.constant(np.asarray(x), x.aval).value
        if isinstance(x, Tracer) or hasattr(x, "_bv"):
            # A concrete mlax.Array or an enclosing trace's value: an argument.
            key = capture_key(x)
            hit = self._captured_ids.get(key)
            if hit is None:
                with self.ctx:
                    hit = self.block.add_argument(tensor_type(x.aval), self._loc())
                self._captured_ids[key] = hit
                self.captured.append(x)
                self.arg_sources.append(x)
                self._arg_avals.append(x.aval)
            return hit
        return self.constant(x).value

    def concrete_value(self, tracer):
        """NumPy value of `tracer` when it depends only on concrete inputs:
        under an eager grad/jvp/vjp/jacobian (the root trace is `concrete`),
        the arguments with a known source (the differentiated function's
        primals, closed-over arrays and enclosing concrete values; not
        vmapped or loop-carried values). Else None. The ops traced so far
        run as their own module; the root is marked `concretized`."""
        if not self.root().concrete or getattr(_state, "abstract", 0):
            return None
        key = tracer.value
        hit = self._concrete_values.get(key)
        if hit is not None:
            return hit
        needed = self._arguments_used(tracer.value)
        args = []
        for k, (source, aval) in enumerate(zip(self.arg_sources, self._arg_avals)):
            if k not in needed:  # any value of the right type
                args.append(np.zeros(aval.shape, aval.dtype))
                continue
            if source is None:
                return None
            if isinstance(source, Tracer):
                source = source._trace.concrete_value(source)
                if source is None:
                    return None
            args.append(source)
        if isinstance(tracer.value, ir.BlockArgument):
            result = np.asarray(args[tracer.value.arg_number])
        else:
            result = hooks.evaluate(self._partial_module(tracer), args, tracer.aval)
        self.root().concretized = True
        self._concrete_values[key] = result
        return result

    def _arguments_used(self, value):
        """Positions of this trace's arguments that `value` depends on."""
        used, seen, stack = set(), set(), [value]
        while stack:
            v = stack.pop()
            if isinstance(v, ir.BlockArgument):
                used.add(v.arg_number)
                continue
            op = v.owner
            if op in seen:
                continue
            seen.add(op)
            stack.extend(op.operands)
        return used

    def _partial_module(self, tracer):
        """Module text whose @main computes `tracer` from this trace's
        arguments: the ops traced so far plus every finished function."""
        with self.ctx, ir.Location.unknown():
            ret = func_dialect.ReturnOp([tracer.value], ip=ir.InsertionPoint(self.block))
            attrs = self.func.attributes
            saved = {
                n: attrs[n] for n in ("function_type", "sym_name", "sym_visibility") if n in attrs
            }
            try:
                attrs["function_type"] = ir.TypeAttr.get(
                    ir.FunctionType.get([a.type for a in self.block.arguments], [tracer.value.type])
                )
                attrs["sym_name"] = ir.StringAttr.get("main")
                if "sym_visibility" in attrs:
                    del attrs["sym_visibility"]
                parts = []
                for op in self.module.body.operations:
                    if op.operation == self.func.operation or _finished(op):
                        parts.append(str(op))
            finally:
                ret.operation.erase()
                for n, v in saved.items():
                    attrs[n] = v
        return "module {\n" + "\n".join(parts) + "\n}"

    def root(self):
        trace = self
        while trace.parent is not None:
            trace = trace.parent
        return trace

    def use_mesh(self, mesh):
        """Records that this computation runs over `mesh` (one per jit)."""
        root = self.root()
        if root.mesh is not None and root.mesh != mesh:
            raise user_error(
                ValueError,
                f"one computation can only use one device mesh, got {root.mesh!r} and {mesh!r}",
            )
        root.mesh = mesh

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
        if aval.dtype == dtypes.bool_ and np.size(x) > 1:
            values = np.asarray(x, dtype=bool)
            if values.any() and not values.all():
                # MLIR 22 bit-packs an i1 constant's hex form, which IREE
                # (newer MLIR: a byte per element) misreads past 100
                # elements; bytes compared with 0 say the same.
                shape = np.shape(x)
                as_bytes = self.constant(
                    values.astype(np.int8), ShapedArray(shape, dtypes.int8, False)
                )
                zero = self.constant(
                    np.zeros(shape, np.int8), ShapedArray(shape, dtypes.int8, False)
                )
                return self.emit(
                    "mlax.compare",
                    [as_bytes, zero],
                    [aval],
                    lambda: {"comparison_direction": i32_attr(1)},
                )[0]
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


def _finished(op):
    """A function whose body is complete (not a trace still being built)."""
    if op.operation.name != "func.func":
        return True
    blocks = op.regions[0].blocks
    if len(blocks) == 0:
        return True  # a declaration
    ops = blocks[0].operations
    return len(ops) > 0 and ops[len(ops) - 1].name == "func.return"


_state = threading.local()


class abstract_only:
    """Within it, traced values never take concrete values (jit and vmap
    inside an eager grad keep JAX's errors)."""

    def __enter__(self):
        _state.abstract = getattr(_state, "abstract", 0) + 1

    def __exit__(self, *exc):
        _state.abstract -= 1


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
            return hooks.apply_primitive(self, args, params)
        out_avals = self.abstract_eval(*[aval_of(a) for a in args], **params)
        multiple = isinstance(out_avals, (list, tuple))
        out = trace.emit(
            self.op_name,
            args,
            out_avals if multiple else [out_avals],
            lambda: self.attributes(**params),
        )
        return out if multiple else out[0]
