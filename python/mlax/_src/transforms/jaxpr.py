"""make_jaxpr: the traced program, after mlax's transformation passes, shown
as JAX shows a jaxpr.

mlax has no jaxpr IR: a function traces into the mlax dialect, and grad/vmap
requests are expanded by C++ passes (mlax-autodiff, mlax-batch). make_jaxpr
traces, expands the requests, and reads @main back as JAX's data structures:
a ClosedJaxpr whose equations name mlax's ops by their lax primitive names
(`sin`, `mul`, `reduce_sum`, ...), with 0-d constants as literals
(`2.0:f32[]`) and larger ones as constvars, as JAX prints them. The
equations are mlax's, not JAX's: a jnp function that JAX wraps in a pjit, or
lowers with other primitives, reads differently.
"""

import re

import numpy as np

from ..._mlir import ir
from ..core import ShapedArray, ShapeDtypeStruct, context, dtypes, tree_util, user_error
from ..core.mlir import DTYPE_OF_ELEMENT
from ..runtime import compiler
from .jit import Jitted


def _aval(mlir_type):
    t = ir.RankedTensorType(mlir_type)
    return ShapedArray(
        tuple(t.shape), np.dtype(dtypes.canonicalize_dtype(DTYPE_OF_ELEMENT[str(t.element_type)]))
    )


class Var:
    def __init__(self, aval):
        self.aval = aval

    def __repr__(self):
        return f"Var({self.aval.str_short()})"


class Literal:
    def __init__(self, val, aval):
        self.val = val
        self.aval = aval

    def __repr__(self):
        value = self.val.item()
        if isinstance(value, float) and value.is_integer():
            text = f"{value:.1f}"
        else:
            text = repr(value)
        return f"{text}:{self.aval.str_short()}"


class Primitive:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class JaxprEqn:
    def __init__(self, primitive, invars, outvars, params):
        self.primitive = primitive
        self.invars = invars
        self.outvars = outvars
        self.params = params


class Jaxpr:
    def __init__(self, constvars, invars, outvars, eqns):
        self.constvars = constvars
        self.invars = invars
        self.outvars = outvars
        self.eqns = eqns

    @property
    def in_avals(self):
        return [v.aval for v in self.invars]

    @property
    def out_avals(self):
        return [v.aval for v in self.outvars]

    def pretty_print(self, indent=0):
        names = _Names()
        pad = " " * indent
        head = " ".join(f"{names(v)}:{v.aval.str_short()}" for v in self.constvars)
        args = " ".join(f"{names(v)}:{v.aval.str_short()}" for v in self.invars)
        lines = [f"{{ lambda {head}; {args}. let"]
        nested = False
        for eqn in self.eqns:
            nested = nested or any(isinstance(v, Jaxpr) for v in eqn.params.values())
            outs = " ".join(f"{names(v)}:{v.aval.str_short()}" for v in eqn.outvars)
            params = ""
            if eqn.params:
                shown = [f"{k}={_param_text(v, indent + 6)}" for k, v in eqn.params.items()]
                params = "[" + " ".join(shown) + "]"
            ins = " ".join(names(v) for v in eqn.invars)
            lines.append(f"{pad}    {outs} = {eqn.primitive.name}{params} {ins}".rstrip())
        outs = ", ".join(names(v) for v in self.outvars)
        tail = f"({outs},)" if len(self.outvars) == 1 else f"({outs})"
        if not nested:
            # JAX's printer puts what fits in 80 columns on one line.
            body = "; ".join(line.strip() for line in lines[1:])
            one_line = f"{lines[0]} {body} in {tail} }}" if body else f"{lines[0]} in {tail} }}"
            if indent + len(one_line) <= 80:
                return one_line
        lines.append(f"{pad}  in {tail} }}")
        return "\n".join(lines)

    def __str__(self):
        return self.pretty_print()

    __repr__ = __str__


class ClosedJaxpr:
    def __init__(self, jaxpr, consts):
        self.jaxpr = jaxpr
        self.consts = consts

    @property
    def in_avals(self):
        return self.jaxpr.in_avals

    @property
    def out_avals(self):
        return self.jaxpr.out_avals

    @property
    def eqns(self):
        return self.jaxpr.eqns

    @property
    def literals(self):
        return self.consts

    def pretty_print(self):
        return self.jaxpr.pretty_print()

    def __str__(self):
        return self.jaxpr.pretty_print()

    __repr__ = __str__


class _Names:
    """JAX's variable names: a, b, ..., z, ba, bb, ..."""

    def __init__(self):
        self._seen = {}

    def __call__(self, v):
        if isinstance(v, Literal):
            return repr(v)
        n = self._seen.get(id(v))
        if n is None:
            n = self._seen[id(v)] = len(self._seen)
        text = ""
        while True:
            text = chr(ord("a") + n % 26) + text
            n //= 26
            if n == 0:
                return text


def _param_text(value, indent):
    if isinstance(value, Jaxpr):
        return value.pretty_print(indent)
    if isinstance(value, tuple):
        return "(" + ", ".join(map(str, value)) + ("," if len(value) == 1 else "") + ")"
    return str(value)


def _attribute(attr):
    """An MLIR attribute as a Python value for eqn.params."""
    for cls, convert in (
        (ir.DenseI64ArrayAttr, lambda a: tuple(a)),
        (ir.DenseBoolArrayAttr, lambda a: tuple(bool(x) for x in a)),
        (ir.BoolAttr, lambda a: a.value),
        (ir.IntegerAttr, lambda a: a.value),
        (ir.FloatAttr, lambda a: a.value),
        (ir.StringAttr, lambda a: a.value),
        (ir.FlatSymbolRefAttr, lambda a: a.value),
        (ir.ArrayAttr, lambda a: tuple(_attribute(x) for x in a)),
    ):
        if isinstance(attr, cls):
            return convert(attr)
    return str(attr)


def _complex_constant(op, aval):
    """A complex constant's values, read from the op's text (the Python
    bindings cannot even return a complex dense attribute)."""
    text = str(op)
    hex_match = re.search(r'"0x([0-9A-Fa-f]+)"', text)
    if hex_match:
        data = bytes.fromhex(hex_match.group(1))
        return np.frombuffer(data, aval.dtype)[-aval.size :].reshape(aval.shape).copy()
    number = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|inf|nan|0x[0-9A-Fa-f]+)"
    pairs = re.findall(rf"\(({number}),\s*({number})\)", text)
    values = np.array([complex(float(a), float(b)) for a, b in pairs], aval.dtype)
    if len(values) == 1:
        return np.full(aval.shape, values[0], aval.dtype)
    return values.reshape(aval.shape)


def _constant_value(op):
    aval = _aval(op.results[0].type)
    if np.dtype(aval.dtype).kind == "c":
        return _complex_constant(op, aval), aval
    attr = op.attributes["value"]
    if attr.is_splat:
        value = np.full(aval.shape, np.asarray(attr.get_splat_value().value), aval.dtype)
    else:
        value = np.asarray(attr).astype(aval.dtype)
    return value, aval


_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")  # mlax's ComparisonDirection order


def _read_function(func, functions, invars=None, state=None):
    """A func.func of the expanded module as a Jaxpr (+ its consts). Calls
    (func.call, as the autodiff pass outlines) are read inline, as JAX's
    jaxprs show a differentiated function's equations in place."""
    top = state is None
    if top:
        state = ([], [], [])  # constvars, consts, eqns
    constvars, consts, eqns = state
    env = {}
    block = func.regions[0].blocks[0]
    if invars is None:
        invars = [Var(_aval(arg.type)) for arg in block.arguments]
    for arg, v in zip(block.arguments, invars):
        env[arg] = v
    outvars = []
    for op in block.operations:
        name = op.operation.name
        if name == "func.return":
            outvars = [env[v] for v in op.operands]
            continue
        if name == "func.call":
            callee = functions[op.attributes["callee"].value]
            args = [env[x] for x in op.operands]
            outs = _read_function(callee, functions, args, state)
            for r, v in zip(op.results, outs):
                env[r] = v
            continue
        if name == "mlax.constant":
            value, aval = _constant_value(op)
            if aval.shape == ():
                env[op.results[0]] = Literal(value, aval)
            else:
                v = Var(aval)
                constvars.append(v)
                consts.append(value)
                env[op.results[0]] = v
            continue
        params = {}
        for key in op.attributes:
            value = _attribute(op.attributes[key])
            if isinstance(value, str) and value in functions:
                value = _read_function(functions[value], functions)[0]
            params[key] = value
        eqn_name = name.split(".", 1)[1] if name.startswith("mlax.") else name
        if eqn_name == "compare":
            eqn_name = _COMPARISONS[params.pop("comparison_direction")]
        ins = [env[x] for x in op.operands]
        if eqn_name == "select":  # JAX's select_n takes (pred, on_false, on_true)
            eqn_name, ins = "select_n", [ins[0], ins[2], ins[1]]
        outs = [Var(_aval(r.type)) for r in op.results]
        for r, v in zip(op.results, outs):
            env[r] = v
        eqns.append(JaxprEqn(Primitive(eqn_name), ins, outs, params))
    if not top:
        return outvars
    return Jaxpr(constvars, invars, outvars, eqns), consts


def _to_closed_jaxpr(traced):
    with context():
        module = ir.Module.parse(traced.mlir_text())
    compiler.expand_requests(module)
    functions = {}
    for op in module.body.operations:
        if op.operation.name == "func.func":
            functions[ir.StringAttr(op.attributes["sym_name"]).value] = op
    jaxpr, consts = _read_function(functions["main"], functions)
    return ClosedJaxpr(jaxpr, consts)


def make_jaxpr(fun, static_argnums=(), axis_env=None, return_shape=False, abstracted_axes=None):
    """jax.make_jaxpr: `make_jaxpr(f)(*args)` is a ClosedJaxpr of f's traced
    program (see the module docstring); with return_shape, also the output
    shapes as a pytree of ShapeDtypeStruct."""
    if axis_env is not None or abstracted_axes is not None:
        raise user_error(
            NotImplementedError, "make_jaxpr's axis_env and abstracted_axes are not supported"
        )
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    jitted = Jitted(fun, tuple(static_argnums), ())

    def make(*args, **kwargs):
        lowered = jitted.lower(*args, **kwargs)
        closed = _to_closed_jaxpr(lowered._traced)
        # The IR's types carry no weak flag: take it from the trace.
        for variables, avals in (
            (closed.jaxpr.invars, lowered._traced.in_avals),
            (closed.jaxpr.outvars, lowered.out_avals),
        ):
            if len(variables) == len(avals):
                for var, aval in zip(variables, avals):
                    if isinstance(var, Var) and aval.weak_type:
                        var.aval = var.aval.update(weak_type=True)
        if not return_shape:
            return closed
        shapes = [
            ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in lowered.out_avals
        ]
        return closed, tree_util.tree_unflatten(lowered._traced.out_tree, shapes)

    make.__name__ = f"make_jaxpr({getattr(fun, '__name__', 'fun')})"
    return make
