"""Eager elementwise kernels reused across shapes (issue 16, item 2).

An eager jnp or lax call on a shape not seen before would cost a trace and
an IREE compile (~0.3 s). For the elementwise family the shape does not
matter: the same kernel over the arguments flattened to one dimension
serves every shape. Such a kernel is compiled once with a dynamic
dimension and called with reshaped buffer views (free: arrays are dense and
row-major).

Algorithm, on a jit cache miss of a library function (never a user's jit:
a user sees one trace per shape, as in JAX):
1. Key the call by what is not shape: the tree, each argument's dtype and
   weak type and whether it is 0-d, the static arguments, the trace
   context and the device. Every argument must be 0-d or of one shape S
   (ndim >= 1, size >= 1).
2. The first time a key is seen at a rank, trace at S. The function
   qualifies when every op is elementwise (ELEMENTWISE_OPS), a 0-d
   constant or a broadcast of a 0-d value, every value has shape S or is
   0-d, and nothing is captured or concretized.
3. Trace again with the S-shaped arguments as (SENTINEL,); after writing
   S as (SENTINEL,) the two modules must be the same text (the function
   does not branch on the shape).
4. Lower to linalg and write the sentinel dimension as `?` (tensor.empty
   takes it from tensor.dim of a flat argument). The module is accepted
   only if it parses, verifies, every linalg.generic is parallel with
   identity or 0-d maps, and the sentinel appears nowhere else.
Any failed check compiles statically, as before; the verdict is kept per
key and rank.
"""

import re

import numpy as np

from ..._mlir import ir
from ..core import ShapedArray, context
from ..runtime import compiler
from ..runtime.array import Array
from ..runtime.devices import runtime

# A dimension no real program uses by chance; a module where it survives
# anywhere but a flattened shape is refused.
SENTINEL = 999983

ELEMENTWISE_OPS = frozenset(
    "mlax." + name
    for name in [
        "convert",
        "neg",
        "abs",
        "sign",
        "not",
        "exp",
        "exp2",
        "log",
        "log1p",
        "expm1",
        "sqrt",
        "rsqrt",
        "cbrt",
        "sin",
        "cos",
        "tan",
        "tanh",
        "logistic",
        "erf",
        "erf_inv",
        "floor",
        "ceil",
        "round",
        "integer_pow",
        "is_finite",
        "add",
        "sub",
        "mul",
        "div",
        "rem",
        "pow",
        "max",
        "min",
        "atan2",
        "and",
        "or",
        "xor",
        "shift_left",
        "shift_right_logical",
        "shift_right_arithmetic",
        "compare",
        "select",
        "clamp",
    ]
)

_LINALG_OPS = frozenset(
    ["func.func", "func.return", "tensor.empty", "tensor.dim", "linalg.generic", "linalg.yield"]
)
_FLAT_MAPS = frozenset(["affine_map<(d0) -> (d0)>", "affine_map<(d0) -> ()>"])


def shape_key(in_tree, avals, static, trace_context, device):
    """(key, S) when every aval is 0-d or of one shape S with ndim >= 1 and
    size >= 1, else (None, None)."""
    shape = None
    parts = []
    for a in avals:
        if a.shape:
            if shape is None:
                shape = a.shape
            elif a.shape != shape:
                return None, None
        parts.append((a.dtype, a.weak_type, not a.shape))
    if shape is None or 0 in shape:
        return None, None
    return (in_tree, tuple(parts), static, trace_context, device.id), shape


class FlatKernel:
    """One compiled kernel over flattened arguments."""

    def __init__(self, executable, out_dtypes):
        self.executable = executable
        self.out_dtypes = out_dtypes  # (dtype, weak_type) per result
        self.out_tree = None


class FlatCall:
    """A jit cache entry for one shape S served by a FlatKernel."""

    concretized = False  # as a _Compiled's: always cacheable

    __slots__ = ("device", "flat", "in_avals", "kernel", "out_avals", "out_tree", "shape")

    def __init__(self, kernel, shape, in_avals, out_tree, device):
        self.kernel = kernel
        self.shape = list(shape)
        self.flat = [int(np.prod(shape))]
        self.in_avals = in_avals
        self.out_avals = [ShapedArray(shape, dt, weak_type=w) for dt, w in kernel.out_dtypes]
        self.out_tree = out_tree
        self.device = device

    def __call__(self, leaves, leaf_buffer):
        view = runtime().HalBufferView
        buffers, nbytes = [], 0
        for leaf, aval in zip(leaves, self.in_avals):
            bv, n = leaf_buffer(leaf, aval, self.device)
            if aval.shape:
                bv = view(bv.get_buffer(), self.flat, bv.element_type)
            buffers.append(bv)
            nbytes += n
        outs = self.kernel.executable.call(buffers, nbytes)
        return [
            Array(view(bv.get_buffer(), self.shape, bv.element_type), aval, self.device)
            for bv, aval in zip(outs, self.out_avals)
        ]


class FlatKernels:
    """A library function's kernels by shape key; None marks a key (at a
    rank) that compiles statically."""

    def __init__(self):
        self._kernels = {}  # key -> FlatKernel | None
        self._checked = {}  # (key, ndim) -> bool

    def lookup(self, trace, key, shape, avals, device):
        """A FlatCall for these avals, or None. `trace(avals)` traces the
        function (a Traced)."""
        rank_key = (key, len(shape))
        verdict = self._checked.get(rank_key)
        if verdict is None:
            verdict = self._check(trace, key, shape, avals, device)
            self._checked[rank_key] = verdict
        if not verdict:
            return None
        kernel = self._kernels[key]
        return FlatCall(kernel, shape, avals, kernel.out_tree, device)

    def _check(self, trace, key, shape, avals, device):
        try:
            traced = trace(avals)
        except Exception:  # noqa: BLE001 - the static path raises it for the user
            return False
        if not _elementwise(traced, shape):
            return False
        if key in self._kernels:
            kernel = self._kernels[key]
            return kernel is not None and kernel.out_tree == traced.out_tree
        flat_avals = [
            ShapedArray((SENTINEL,), a.dtype, weak_type=a.weak_type) if a.shape else a
            for a in avals
        ]
        kernel = None
        try:
            flat = trace(flat_avals)
            if _same_program(traced, flat, shape):
                kernel = _compile(flat, avals, device)
        except Exception:  # noqa: BLE001 - any failure: compile statically instead
            kernel = None
        if kernel is not None:
            kernel.out_tree = traced.out_tree
        self._kernels[key] = kernel
        return kernel is not None


# Dimension-polymorphic kernels: reductions, transposes and matmuls
# ---------------------------------------------------------------------------

# One sentinel per distinct input dimension (dimensions of 1 stay static).
SENTINELS = (999983, 999979, 999961, 999959, 999953, 999931, 999917, 999907)

# Ops whose result dimensions are input dimensions (or 1), so a kernel with
# dynamic dimensions computes them for every shape.
DIM_PRESERVING_OPS = ELEMENTWISE_OPS | frozenset(
    "mlax." + name
    for name in [
        "constant",
        "broadcast_in_dim",
        "transpose",
        "dot_general",
        "reduce_sum",
        "reduce_prod",
        "reduce_max",
        "reduce_min",
        "reduce_and",
        "reduce_or",
        # Only reshapes between sizes the inputs have (adding or dropping
        # 1s): _write_dims refuses any other dimension.
        "reshape",
    ]
)
_DIM_LINALG_OPS = _LINALG_OPS | frozenset(
    [
        "linalg.fill",
        "linalg.reduce",
        "linalg.transpose",
        "linalg.matmul",
        "linalg.batch_matmul",
        "tensor.collapse_shape",
        "tensor.expand_shape",
    ]
)
_TENSOR_DIMS = re.compile(r"tensor<((?:(?:\d+|\?)x)+)")
# Above these many input elements a call compiles for its shape: IREE's
# dynamic-shape matmul runs 2x slower than the static one at 128^2 and 7x
# at 256^2 (reductions and transposes stay within noise up to 10^7), and a
# large operation repays its compile.
_STATIC_CONTRACTION_ELEMENTS = 1 << 13
_STATIC_ELEMENTS = 1 << 22


def dims_key(in_tree, avals, static, trace_context, device):
    """(key, sizes) for a dimension-polymorphic kernel: the key holds each
    argument's dtype, weak type and dimensions written as 1 or the index of
    their size among the distinct sizes (`sizes`); (None, None) for 0-d-only
    calls, empty arrays or too many distinct sizes."""
    sizes, parts = [], []
    for a in avals:
        dims = []
        for d in a.shape:
            if d == 0:
                return None, None
            if d == 1:
                dims.append(-1)
                continue
            if d not in sizes:
                sizes.append(d)
            dims.append(sizes.index(d))
        parts.append((a.dtype, a.weak_type, tuple(dims)))
    if not sizes or len(sizes) > len(SENTINELS):
        return None, None
    return (in_tree, tuple(parts), static, trace_context, device.id), tuple(sizes)


class DimKernel:
    """One compiled kernel with a dynamic dimension per distinct input size."""

    def __init__(self, executable, out_dims, out_dtypes):
        self.executable = executable
        self.out_dims = out_dims  # per result: size index or -1 (a 1) per dim
        self.out_dtypes = out_dtypes
        self.out_tree = None
        self.contracts = False  # has a dot_general: small sizes only


class DimCall:
    """A jit cache entry for one set of sizes served by a DimKernel."""

    concretized = False

    __slots__ = ("device", "in_avals", "kernel", "out_avals", "out_tree")

    def __init__(self, kernel, sizes, in_avals, out_tree, device):
        self.kernel = kernel
        self.in_avals = in_avals
        self.out_avals = [
            ShapedArray(tuple(1 if i < 0 else sizes[i] for i in dims), dt, weak_type=w)
            for dims, (dt, w) in zip(kernel.out_dims, kernel.out_dtypes)
        ]
        self.out_tree = out_tree
        self.device = device

    def __call__(self, leaves, leaf_buffer):
        buffers, nbytes = [], 0
        for leaf, aval in zip(leaves, self.in_avals):
            bv, n = leaf_buffer(leaf, aval, self.device)
            buffers.append(bv)
            nbytes += n
        outs = self.kernel.executable.call(buffers, nbytes)
        return [Array(bv, aval, self.device) for bv, aval in zip(outs, self.out_avals)]


class DimKernels:
    """A library function's dimension-polymorphic kernels by dims_key;
    None marks a key that compiles statically.

    Algorithm: trace at the call's shapes (S) and with every distinct size
    replaced by its sentinel (K); the function qualifies when S has only
    DIM_PRESERVING_OPS, every dimension in S is an input size or 1, and S
    with sizes written as sentinels is K's text. K is lowered, its sentinel
    dimensions written as `?` (tensor.empty takes them from tensor.dim of an
    argument), and accepted only with the ops of _DIM_LINALG_OPS and no
    static dimension but 1 left."""

    def __init__(self):
        self._kernels = {}

    def lookup(self, trace, key, sizes, avals, device):
        total = sum(a.size for a in avals)
        if total > _STATIC_ELEMENTS:
            return None
        kernel = self._kernels.get(key, False)
        if kernel is False:
            kernel = self._build(trace, sizes, avals, device, total)
            if kernel is False:
                return None  # a large contraction: decided again for smaller sizes
            self._kernels[key] = kernel
        if kernel is None or (kernel.contracts and total > _STATIC_CONTRACTION_ELEMENTS):
            return None
        return DimCall(kernel, sizes, avals, kernel.out_tree, device)

    def _build(self, trace, sizes, avals, device, total):
        try:
            traced = trace(avals)
        except Exception:  # noqa: BLE001 - the static path raises it for the user
            return None
        if traced.captured or traced.concretized or traced.mesh is not None:
            return None
        if not _only_ops(traced, DIM_PRESERVING_OPS):
            return None
        contracts = _has_op(traced, "mlax.dot_general")
        if contracts and total > _STATIC_CONTRACTION_ELEMENTS:
            return False
        sentinel_of = dict(zip(sizes, SENTINELS))
        written = _write_dims(traced.mlir_text(), sentinel_of)
        if written is None:
            return None
        k_avals = [
            ShapedArray(
                tuple(sentinel_of.get(d, d) for d in a.shape), a.dtype, weak_type=a.weak_type
            )
            for a in avals
        ]
        try:
            k_traced = trace(k_avals)
            if k_traced.mlir_text() != written:
                return None
            kernel = _compile_dims(k_traced, k_avals, list(sentinel_of.values()), device)
        except Exception:  # noqa: BLE001 - any failure: compile statically instead
            return None
        if kernel is None:
            return None
        kernel.out_tree = traced.out_tree
        kernel.contracts = contracts
        return kernel


def _only_ops(traced, allowed):
    main = traced.module.body.operations[0]
    if len(traced.module.body.operations) != 1:
        return False
    for op in main.regions[0].blocks[0].operations:
        name = op.operation.name
        if name != "func.return" and name not in allowed:
            return False
    return True


def _has_op(traced, name):
    main = traced.module.body.operations[0]
    return any(op.operation.name == name for op in main.regions[0].blocks[0].operations)


def _write_dims(text, sentinel_of):
    """`text` with each size in its tensor types written as its sentinel;
    None when a type has a dimension that is neither an input size nor 1,
    or when a written type's element count would overflow int64 (four or
    more sentinel dimensions: MLIR asserts on such a type)."""
    failed = []

    def write(match):
        dims = []
        count = 1
        for d in match.group(1).rstrip("x").split("x"):
            n = int(d)
            if n != 1 and n not in sentinel_of:
                failed.append(n)
            written = sentinel_of.get(n, n)
            count *= written
            dims.append(str(written))
        if count >= 1 << 62:
            failed.append(count)
        return "tensor<" + "x".join(dims) + "x"

    written = _TENSOR_DIMS.sub(write, text)
    return None if failed else written


def _compile_dims(k_traced, k_avals, sentinels, device):
    module = k_traced.module
    compiler.lower_to_linalg(module)
    text = module.operation.get_asm()
    # Where each sentinel can be read at run time: (argument, axis).
    source = {}
    for i, a in enumerate(k_avals):
        for axis, d in enumerate(a.shape):
            source.setdefault(d, (i, axis))
    names = {s: f"%dyn{n}" for n, s in enumerate(sentinels)}

    def empty(match):
        dims = match.group(1).rstrip("x").split("x")
        operands = [names[int(d)] for d in dims if int(d) in names]
        return f"tensor.empty({', '.join(operands)}) : tensor<{match.group(1)}"

    text = re.sub(r"tensor\.empty\(\) : tensor<((?:\d+x)+)", empty, text)
    # A reshape that adds unit dimensions (keepdims) is an expand_shape
    # whose output sizes become the dynamic values too.
    text = re.sub(
        r"output_shape \[([^\]]*)\]",
        lambda m: (
            "output_shape [" + ", ".join(names.get(int(d), d) for d in m.group(1).split(", ")) + "]"
        ),
        text,
    )
    text = _TENSOR_DIMS.sub(
        lambda m: (
            "tensor<"
            + "x".join("?" if int(d) in names else d for d in m.group(1).rstrip("x").split("x"))
            + "x"
        ),
        text,
    )
    if any(str(s) in text for s in sentinels):
        return None
    for match in _TENSOR_DIMS.finditer(text):
        if any(d not in ("?", "1") for d in match.group(1).rstrip("x").split("x")):
            return None
    signature = text[text.index("func.func @main(") :].split("\n", 1)[0]
    arg_types = {int(i): t for i, t in re.findall(r"%arg(\d+): (tensor<[^>]*>)", signature)}
    rank = max(len(a.shape) for a in k_avals)
    dims = [f"    %dyn_c{k} = arith.constant {k} : index\n" for k in range(rank)]
    lines = []
    for s in sentinels:
        if s not in source:
            return None
        i, axis = source[s]
        lines.append(f"    {names[s]} = tensor.dim %arg{i}, %dyn_c{axis} : {arg_types[i]}\n")
    text = _at_main_entry(text, "".join(dims) + "".join(lines))
    executable = _load_checked(text, _DIM_LINALG_OPS, None, k_traced.out_avals, device)
    if executable is None:
        return None
    position = {s: n for n, s in enumerate(sentinels)}
    out_dims = [tuple(position.get(d, -1) for d in a.shape) for a in k_traced.out_avals]
    return DimKernel(executable, out_dims, [(a.dtype, a.weak_type) for a in k_traced.out_avals])


class ViewCall:
    """A jit cache entry for a function that only reshapes its one
    argument: the result is a view of the argument's buffer (arrays are
    immutable and row-major), so nothing is compiled or copied."""

    concretized = False

    __slots__ = ("device", "in_aval", "out_avals", "out_tree", "shape")

    def __init__(self, traced, device):
        self.in_aval = traced.in_avals[0]
        self.out_avals = traced.out_avals
        self.shape = list(traced.out_avals[0].shape)
        self.out_tree = traced.out_tree
        self.device = device

    def __call__(self, leaves, leaf_buffer):
        bv, _ = leaf_buffer(leaves[0], self.in_aval, self.device)
        view = runtime().HalBufferView(bv.get_buffer(), self.shape, bv.element_type)
        return [Array(view, self.out_avals[0], self.device)]


def reshape_view(traced, device):
    """A ViewCall when `traced` is a chain of reshapes of its one argument."""
    if len(traced.in_avals) != 1 or len(traced.out_avals) != 1:
        return None
    if traced.captured or traced.concretized or traced.mesh is not None:
        return None
    if traced.out_avals[0].dtype != traced.in_avals[0].dtype:
        return None
    main = traced.module.body.operations[0]
    block = main.regions[0].blocks[0]
    value = block.arguments[0]
    for op in block.operations:
        if op.operation.name == "func.return":
            return ViewCall(traced, device) if op.operands[0] == value else None
        if op.operation.name != "mlax.reshape" or op.operands[0] != value:
            return None
        value = op.results[0]
    return None


def _elementwise(traced, shape):
    if traced.captured or traced.concretized or traced.mesh is not None:
        return False
    if any(a.shape != shape for a in traced.out_avals):
        return False
    main = traced.module.body.operations[0]
    if len(traced.module.body.operations) != 1:
        return False
    for op in main.regions[0].blocks[0].operations:
        name = op.operation.name
        if name == "func.return":
            continue
        if name in ("mlax.constant", "mlax.broadcast_in_dim"):
            if name == "mlax.broadcast_in_dim" and ir.RankedTensorType(op.operands[0].type).shape:
                return False
        elif name not in ELEMENTWISE_OPS:
            return False
        for result in op.results:
            dims = ir.RankedTensorType(result.type).shape
            if dims and tuple(dims) != tuple(shape):
                return False
        if name == "mlax.constant" and ir.RankedTensorType(op.results[0].type).shape:
            return False
    return True


def _same_program(traced, flat, shape):
    written = "tensor<" + "x".join(str(d) for d in shape) + "x"
    text = traced.mlir_text().replace(written, f"tensor<{SENTINEL}x")
    return text == flat.mlir_text()


def _compile(flat, avals, device):
    """Lowers the (SENTINEL,)-shaped trace, makes the dimension dynamic and
    compiles it; None when the lowered module is not plainly elementwise."""
    module = flat.module
    compiler.lower_to_linalg(module)
    text = module.operation.get_asm()
    text = text.replace(f"tensor<{SENTINEL}x", "tensor<?x")
    if str(SENTINEL) in text:
        return None
    first = next(i for i, a in enumerate(avals) if a.shape)
    element = text.split(f"%arg{first}: tensor<?x", 1)[1].split(">", 1)[0]
    if "tensor.empty() : tensor<?x" not in text:
        return None
    text = text.replace("tensor.empty() : tensor<?x", "tensor.empty(%flat_n) : tensor<?x")
    text = _at_main_entry(
        text,
        "    %flat_c0 = arith.constant 0 : index\n"
        f"    %flat_n = tensor.dim %arg{first}, %flat_c0 : tensor<?x{element}>\n",
    )
    executable = _load_checked(text, _LINALG_OPS, _FLAT_MAPS, flat.out_avals, device)
    if executable is None:
        return None
    return FlatKernel(executable, [(a.dtype, a.weak_type) for a in flat.out_avals])


def _load_checked(text, allowed, maps, out_avals, device):
    """The executable of a rewritten module, or None when it does not parse,
    verify or keep to the allowed ops (_plain_ops)."""
    with context():
        try:
            parsed = ir.Module.parse(text)
        except (ValueError, ir.MLIRError):
            return None
        if not parsed.operation.verify() or not _plain_ops(parsed, allowed, maps):
            return None
    # Result sizes are dynamic; (1,) keeps Executable's byte count small.
    flat = [ShapedArray((1,), a.dtype) for a in out_avals]
    return compiler.load_executable(text, device, "main", flat)


def _at_main_entry(text, lines):
    """`text` with `lines` put first in @main's body."""
    start = text.index("func.func @main(")
    entry = text.index("{\n", start) + 2
    return text[:entry] + lines + text[entry:]


def _plain_ops(module, allowed, maps):
    """Every op is scalar arith/math or in `allowed`; with `maps`, every
    linalg.generic is parallel with indexing maps in `maps`."""
    funcs = list(module.body.operations)
    if len(funcs) != 1:
        return False
    ok = True

    def visit(op):
        nonlocal ok
        name = op.name
        if name.startswith(("arith.", "math.")):
            for result in op.results:
                if isinstance(result.type, ir.RankedTensorType):
                    ok = ok and result.type.rank == 0
            return ir.WalkResult.ADVANCE
        if name not in allowed:
            ok = False
        elif name == "linalg.generic" and maps is not None:
            iterators = str(op.attributes["iterator_types"])
            indexing = op.attributes["indexing_maps"]
            if "reduction" in iterators or any(str(m) not in maps for m in indexing):
                ok = False
        return ir.WalkResult.ADVANCE

    funcs[0].walk(visit)
    return ok
