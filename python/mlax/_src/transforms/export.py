"""mlax.export: a jitted function as a self-contained, serializable module
(JAX's jax.export).

`export(jit(f))(*args)` traces `f` for the arguments' avals, bakes in the
arrays it closes over as constants, and expands every transformation
request (grad, vmap, ...), so the module holds plain mlax ops only: what
`mlax-compile` and other tools take. `Exported.serialize()` writes

    MAGIC | format version (u32 LE) | header length (u32 LE) | JSON header
          | zlib(MLIR text)

and `deserialize` checks the magic, the format version and the mlax version
that wrote it before reading anything else.
"""

import json
import struct
import zlib

import numpy as np

from ..._mlir import ir
from ..core import (
    ShapedArray,
    aval_of,
    context,
    current_trace,
    dtypes,
    tree_util,
    user_error,
)
from ..runtime import compiler
from ..runtime.array import Array, default_device
from .jit import Jitted, Traced, _Compiled, _leaf_buffer

MAGIC = b"MLAXEXPORT\0"
FORMAT_VERSION = 1
CALLING_CONVENTION_VERSION = 1


def _mlax_version():
    from ... import __version__

    return __version__


# ---------------------------------------------------------------------------
# Pytree structures to and from JSON
# ---------------------------------------------------------------------------

_node_serializers = {}  # node type -> (name, serialize_aux, deserialize_aux)
_node_by_name = {}  # name -> (node type, deserialize_aux)


def register_pytree_node_serialization(
    nodetype, *, serialized_name, serialize_auxdata, deserialize_auxdata
):
    """Lets in/out trees holding `nodetype` (a registered pytree node) be
    serialized; aux data goes through the two functions as bytes."""
    if serialized_name in _node_by_name:
        raise ValueError(f"a node type is already registered with name {serialized_name!r}")
    _node_serializers[nodetype] = (serialized_name, serialize_auxdata, deserialize_auxdata)
    _node_by_name[serialized_name] = (nodetype, deserialize_auxdata)
    return nodetype


def register_namedtuple_serialization(nodetype, *, serialized_name):
    """Lets in/out trees holding the namedtuple class `nodetype` be serialized."""
    if serialized_name in _node_by_name:
        raise ValueError(f"a node type is already registered with name {serialized_name!r}")
    _node_serializers[nodetype] = (serialized_name, None, None)
    _node_by_name[serialized_name] = (nodetype, None)
    return nodetype


def _tree_to_json(treedef):
    node_data = treedef.node_data()
    t = None if node_data is None else node_data[0]
    kids = [_tree_to_json(c) for c in treedef.children()]
    if t is None:
        return "*"
    if t is type(None):
        return None
    if t is tuple:
        return {"tuple": kids}
    if t is list:
        return {"list": kids}
    if t is dict:
        keys = []
        for k in treedef.node_data()[1]:
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise TypeError(f"Cannot serialize a dict key {k!r}: only str and int keys")
            keys.append(["s" if isinstance(k, str) else "i", k])
        return {"dict": keys, "children": kids}
    cls = t
    entry = _node_serializers.get(cls)
    if entry is None:
        raise ValueError(
            f"Cannot serialize PyTreeDef containing an unregistered type `{cls}`. Use "
            f"`export.register_pytree_node_serialization` or "
            f"`export.register_namedtuple_serialization`."
        )
    name, ser, _ = entry
    aux = None if ser is None else ser(treedef.node_data()[1]).hex()
    return {"node": name, "aux": aux, "children": kids}


def _tree_from_json(obj):
    leaf = tree_util.tree_structure(0)
    if obj == "*":
        return leaf
    if obj is None:
        return tree_util.tree_structure(None)
    if "tuple" in obj:
        return tree_util.PyTreeDef(tuple, None, tuple(_tree_from_json(c) for c in obj["tuple"]))
    if "list" in obj:
        return tree_util.PyTreeDef(list, None, tuple(_tree_from_json(c) for c in obj["list"]))
    kids = tuple(_tree_from_json(c) for c in obj["children"])
    if "dict" in obj:
        keys = tuple(k if kind == "s" else int(k) for kind, k in obj["dict"])
        return tree_util.PyTreeDef(dict, keys, kids)
    entry = _node_by_name.get(obj["node"])
    if entry is None:
        raise ValueError(
            f"Cannot deserialize a PyTreeDef with node {obj['node']!r}: register it with "
            f"`export.register_pytree_node_serialization` first"
        )
    cls, de = entry
    if de is None:
        return tree_util.PyTreeDef(cls, None, kids)
    return tree_util.PyTreeDef(cls, de(bytes.fromhex(obj["aux"])), kids)


def _aval_to_json(a):
    return [list(a.shape), a.dtype.name, a.weak_type]


def _aval_from_json(j):
    shape, name, weak = j
    dt = dtypes.bfloat16 if name == "bfloat16" else np.dtype(name)
    return ShapedArray(tuple(shape), dt, weak)


# ---------------------------------------------------------------------------
# Exported
# ---------------------------------------------------------------------------


class Exported:
    """A function exported for given argument avals (JAX's jax.export.Exported)."""

    def __init__(
        self,
        fun_name,
        in_tree,
        in_avals,
        out_tree,
        out_avals,
        module_text,
        platforms=("cpu",),
        nr_devices=1,
    ):
        self.fun_name = fun_name
        self.in_tree = in_tree
        self.in_avals = tuple(in_avals)
        self.out_tree = out_tree
        self.out_avals = tuple(out_avals)
        self.platforms = tuple(platforms)
        self.nr_devices = nr_devices
        self.calling_convention_version = CALLING_CONVENTION_VERSION
        self.in_shardings_hlo = (None,) * len(self.in_avals)
        self.out_shardings_hlo = (None,) * len(self.out_avals)
        self.disabled_safety_checks = ()
        self.ordered_effects = ()
        self.unordered_effects = ()
        self._text = module_text
        self._compiled = None

    def mlir_module(self):
        """The module's mlax IR (every transformation expanded) as text."""
        return self._text

    @property
    def mlir_module_serialized(self):
        return self._text.encode()

    def has_vjp(self):
        return False

    def __str__(self):
        return f"Exported(fun_name={self.fun_name}, in_avals={self.in_avals}, out_avals={self.out_avals})"

    __repr__ = __str__

    def serialize(self, vjp_order=0):
        """Bytes that `mlax.export.deserialize` reads back (same format and
        mlax version only)."""
        if vjp_order:
            raise NotImplementedError(
                "mlax exports carry no VJP functions (vjp_order > 0); export jit(grad(f)) instead"
            )
        header = {
            "mlax_version": _mlax_version(),
            "fun_name": self.fun_name,
            "in_tree": _tree_to_json(self.in_tree),
            "out_tree": _tree_to_json(self.out_tree),
            "in_avals": [_aval_to_json(a) for a in self.in_avals],
            "out_avals": [_aval_to_json(a) for a in self.out_avals],
            "platforms": list(self.platforms),
            "nr_devices": self.nr_devices,
            "calling_convention_version": self.calling_convention_version,
        }
        head = json.dumps(header, sort_keys=True).encode()
        body = zlib.compress(self._text.encode(), 6)
        return bytearray(MAGIC + struct.pack("<II", FORMAT_VERSION, len(head)) + head + body)

    # -- calling ----------------------------------------------------------

    def _check_args(self, args, kwargs):
        leaves, tree = tree_util.tree_flatten((tuple(args), dict(kwargs)))
        if tree != self.in_tree:
            raise user_error(
                ValueError,
                f"The invocation args and kwargs must have the same pytree structure as when "
                f"the function '{self.fun_name}' was exported, but they have structure {tree} "
                f"and the exported function expects {self.in_tree}.",
            )
        for i, (leaf, want) in enumerate(zip(leaves, self.in_avals)):
            got = aval_of(leaf)
            if got.shape != want.shape:
                raise user_error(
                    ValueError,
                    f"Shape mismatch for args[{i}]: expected {want.shape} and called with "
                    f"{got.shape} (exported aval {want}, given {got})",
                )
            if got.dtype != want.dtype:
                raise user_error(
                    ValueError,
                    f"Dtype mismatch for args[{i}]: expected {want.dtype} and called with "
                    f"{got.dtype} (exported aval {want}, given {got})",
                )
        return leaves

    def call(self, *args, **kwargs):
        """Runs the exported module: eagerly, or inlined into an enclosing
        jit/grad/vmap trace."""
        leaves = self._check_args(args, kwargs)
        if current_trace() is not None:
            return self.out_tree.unflatten(self._inline(leaves))
        if self._compiled is None:
            self._compiled = _compile_exported(self)
        compiled = self._compiled
        device = compiled.device
        buffers, nbytes = [], 0
        for leaf, aval in zip(leaves, self.in_avals):
            bv, n = _leaf_buffer(leaf, aval, device)
            buffers.append(bv)
            nbytes += n
        out_bvs = compiled.executable.call(buffers, nbytes)
        outs = [Array(bv, aval, device) for bv, aval in zip(out_bvs, self.out_avals)]
        return self.out_tree.unflatten(outs)

    def _inline(self, leaves):
        """Copies the module's functions into the trace's module under fresh
        names and emits a call of its main."""
        trace = current_trace()
        root = trace.root()
        count = getattr(root, "_exported_count", 0)
        root._exported_count = count + 1
        prefix = f"exported{count}_"
        module = ir.Module.parse(self._text, context())
        with context():
            names = [
                ir.StringAttr(op.attributes["sym_name"]).value
                for op in module.body.operations
                if "sym_name" in op.attributes
            ]
            for name in names:
                ir.SymbolTable.replace_all_symbol_uses(name, prefix + name, module.operation)
            for op in list(module.body.operations):
                if "sym_name" in op.attributes:
                    name = ir.StringAttr(op.attributes["sym_name"]).value
                    op.attributes["sym_name"] = ir.StringAttr.get(prefix + name)
                    op.attributes["sym_visibility"] = ir.StringAttr.get("private")
                for key in ("mlax.mesh_axes", "mlax.mesh_shape"):
                    if key in op.attributes:
                        del op.attributes[key]
                trace.module.body.append(op)
        return trace.emit(
            "func.call",
            list(leaves),
            list(self.out_avals),
            lambda: {"callee": ir.FlatSymbolRefAttr.get(prefix + "main")},
        )


def _compile_exported(exp):
    """The module compiled for the default device (_Compiled lowers it)."""
    module = ir.Module.parse(exp._text, context())
    traced = Traced(module, exp.out_tree, list(exp.out_avals), [], list(exp.in_avals))
    return _Compiled(traced, default_device())


def deserialize(blob):
    """Bytes from `Exported.serialize()` -> Exported."""
    blob = bytes(blob)
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 8:
        raise ValueError("not a serialized mlax export (the magic bytes do not match)")
    version, head_len = struct.unpack_from("<II", blob, len(MAGIC))
    if version != FORMAT_VERSION:
        raise ValueError(
            f"serialized mlax export has format version {version}; this mlax "
            f"({_mlax_version()}) reads format version {FORMAT_VERSION} only"
        )
    start = len(MAGIC) + 8
    try:
        header = json.loads(blob[start : start + head_len])
    except ValueError as e:
        raise ValueError(f"serialized mlax export has a damaged header: {e}") from None
    if header.get("mlax_version") != _mlax_version():
        raise ValueError(
            f"serialized mlax export was written by mlax {header.get('mlax_version')}; "
            f"this is mlax {_mlax_version()}: export it again with this version"
        )
    try:
        text = zlib.decompress(blob[start + head_len :]).decode()
    except zlib.error as e:
        raise ValueError(f"serialized mlax export has a damaged module: {e}") from None
    return Exported(
        header["fun_name"],
        _tree_from_json(header["in_tree"]),
        [_aval_from_json(a) for a in header["in_avals"]],
        _tree_from_json(header["out_tree"]),
        [_aval_from_json(a) for a in header["out_avals"]],
        text,
        header["platforms"],
        header["nr_devices"],
    )


def default_export_platform():
    return "cpu"


def export(fun_jit, *, platforms=None, disabled_checks=()):
    """export(jit(f))(*args, **kwargs) -> Exported, for the avals of the
    arguments (arrays, scalars or ShapeDtypeStructs)."""
    if not isinstance(fun_jit, Jitted):
        raise user_error(
            ValueError, f"Function to be exported must be the result of `jit` but is: {fun_jit}"
        )
    if platforms is not None:
        bad = [p for p in platforms if p not in ("cpu",)]
        if bad:
            raise user_error(
                ValueError, f"mlax exports for platform 'cpu' only; got platforms {list(platforms)}"
            )

    def do_export(*args, **kwargs):
        dyn_args, dyn_kwargs, static = fun_jit._split(args, kwargs)
        leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
        avals = []
        for i, leaf in enumerate(leaves):
            try:
                avals.append(aval_of(leaf))
            except TypeError:
                raise user_error(
                    TypeError,
                    f"Error interpreting argument {i} to {fun_jit._name} as an abstract array. "
                    f"The problematic value is of type {type(leaf)}. Pass arrays, scalars or "
                    f"ShapeDtypeStructs, and mark other arguments static (static_argnums).",
                ) from None
        traced = fun_jit._trace(in_tree, tuple(avals), static, embed_arrays=True)
        if traced.mesh is not None:
            raise user_error(
                NotImplementedError, "exporting functions with pmap/shard_map is not supported yet"
            )
        compiler.expand_requests(traced.module)
        from ..._mlir import passmanager

        pm = passmanager.PassManager.parse(
            "builtin.module(inline,symbol-dce,canonicalize)", context()
        )
        pm.run(traced.module.operation)
        text = traced.module.operation.get_asm()
        return Exported(
            fun_jit._name,
            in_tree,
            avals,
            traced.out_tree,
            traced.out_avals,
            text,
            tuple(platforms or ("cpu",)),
        )

    return do_export


__all__ = [
    "CALLING_CONVENTION_VERSION",
    "Exported",
    "default_export_platform",
    "deserialize",
    "export",
    "register_namedtuple_serialization",
    "register_pytree_node_serialization",
]
