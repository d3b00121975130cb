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


class FlatCall:
    """A jit cache entry for one shape S served by a FlatKernel."""

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
        self._out_trees = {}

    def lookup(self, trace, key, shape, in_tree, avals, device):
        """A FlatCall for these avals, or None. `trace(avals)` traces the
        function (a Traced)."""
        rank_key = (key, len(shape))
        verdict = self._checked.get(rank_key)
        if verdict is None:
            verdict = self._check(trace, key, shape, avals, device)
            self._checked[rank_key] = verdict
        if not verdict:
            return None
        return FlatCall(self._kernels[key], shape, avals, self._out_trees[key], device)

    def _check(self, trace, key, shape, avals, device):
        try:
            traced = trace(avals)
        except Exception:  # noqa: BLE001 - the static path raises it for the user
            return False
        if not _elementwise(traced, shape):
            return False
        if key in self._kernels:
            return self._kernels[key] is not None and self._out_trees[key] == traced.out_tree
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
        self._kernels[key] = kernel
        self._out_trees[key] = traced.out_tree
        return kernel is not None


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
    head, sep, body = text.partition("{\n")  # the module's opening line
    head2, sep2, body = body.partition("{\n")  # @main's
    if not sep or not sep2 or "tensor.empty() : tensor<?x" not in body:
        return None
    dim = (
        "    %flat_c0 = arith.constant 0 : index\n"
        f"    %flat_n = tensor.dim %arg{first}, %flat_c0 : tensor<?x{element}>\n"
    )
    body = body.replace("tensor.empty() : tensor<?x", "tensor.empty(%flat_n) : tensor<?x")
    text = head + sep + head2 + sep2 + dim + body
    with context():
        try:
            parsed = ir.Module.parse(text)
        except (ValueError, ir.MLIRError):
            return None
        if not parsed.operation.verify() or not _plain_elementwise(parsed):
            return None
    out_avals = [ShapedArray((1,), a.dtype) for a in flat.out_avals]
    executable = compiler.load_executable(text, device, "main", out_avals)
    return FlatKernel(executable, [(a.dtype, a.weak_type) for a in flat.out_avals])


def _plain_elementwise(module):
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
        if name not in _LINALG_OPS:
            ok = False
        elif name == "linalg.generic":
            iterators = str(op.attributes["iterator_types"])
            maps = op.attributes["indexing_maps"]
            if "reduction" in iterators or any(str(m) not in _FLAT_MAPS for m in maps):
                ok = False
        return ir.WalkResult.ADVANCE

    funcs[0].walk(visit)
    return ok
