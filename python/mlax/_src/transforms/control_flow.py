"""Structured control flow: lax.cond, switch, while_loop, fori_loop, scan,
map (JAX's signatures).

Each branch, loop condition and loop body is traced into a private function
(transforms/callee.py) and the op names it (mlax.cond / mlax.while /
mlax.scan). Values the functions close over become trailing operands: each
function is traced once to find what it closes over, then again with the
union of those values bound as arguments, so every branch of a cond (or
the condition and body of a while) takes the same operands. Outside any
trace the whole construct runs through jit.
"""

import operator

import numpy as np

from ..._mlir import ir
from ..core import (
    ConcretizationTypeError,
    ShapedArray,
    Tracer,
    aval_of,
    capture_key,
    current_trace,
    dtypes,
    tree_util,
    user_error,
)
from ..lax import elementwise, shape
from ..runtime.array import Array
from .callee import Placeholder, _Bound, _eager, _trace_callee


def _i64(v):
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), int(v))


def _symbols(names):
    return ir.ArrayAttr.get([ir.FlatSymbolRefAttr.get(n) for n in names])


def _trace_all(funs, leaves, in_tree, names):
    """Traces every function on `leaves` (avals) with the union of what any
    of them closes over bound as trailing arguments; returns (children,
    out_avals per function, out_trees, consts)."""
    first = [_trace_callee(f, leaves, in_tree, n) for f, n in zip(funs, names)]
    consts, seen = [], set()
    for _, child, _, _ in first:
        for x in child.captured:
            key = capture_key(x)
            if key not in seen:
                seen.add(key)
                consts.append(x)
    if not consts:
        return first, consts
    bound = list(leaves) + [_Bound(c) for c in consts]
    again = [_trace_callee(f, bound, in_tree, n) for f, n in zip(funs, names)]
    return again, consts


def _placeholders(avals):
    return [Placeholder(a) for a in avals]


def _describe(tree, avals):
    return tree_util.tree_unflatten(tree, [a.str_long() for a in avals])


# ---------------------------------------------------------------------------
# switch / cond
# ---------------------------------------------------------------------------


def switch(index, branches, *operands):
    """Calls branches[clamp(index, 0, len(branches) - 1)](*operands)."""
    branches = list(branches)
    if not branches:
        raise user_error(ValueError, "Empty branch sequence")
    for b in branches:
        if not callable(b):
            raise user_error(
                TypeError, f"branches argument must be a sequence of callables, got {b!r}"
            )
    if current_trace() is None:
        key = ("switch", tuple(branches))
        return _eager(key, lambda i, *ops: switch(i, branches, *ops))(index, *operands)
    aval = aval_of(index)
    if aval.shape != ():
        raise user_error(
            TypeError, f"Branch index must be scalar, got {index} of shape {aval.shape}."
        )
    if not dtypes.is_int(aval.dtype) or dtypes.is_bool(aval.dtype):
        raise user_error(TypeError, f"Index type must be an integer, got {aval.dtype}.")
    index = elementwise.convert_element_type(index, np.int32)
    if len(branches) > 1:
        index = elementwise.clamp(np.int32(0), index, np.int32(len(branches) - 1))
    return _cond(index, branches, operands, "switch")


def cond(pred, true_fun, false_fun, *operands, operand=None):
    """true_fun(*operands) if pred else false_fun(*operands); both traced."""
    if operand is not None:
        operands = (operand,)
    if not callable(true_fun) or not callable(false_fun):
        raise user_error(
            TypeError, "lax.cond: true_fun and false_fun arguments should be callable."
        )
    aval = aval_of(pred)
    if aval.shape != ():
        # JAX shows a concrete predicate's value, a traced one's repr.
        shown = pred if isinstance(pred, Tracer) else np.asarray(pred)
        raise user_error(TypeError, f"Pred must be a scalar, got {shown} of shape {aval.shape}.")
    if current_trace() is None:
        key = ("cond", true_fun, false_fun)
        return _eager(key, lambda p, *ops: cond(p, true_fun, false_fun, *ops))(pred, *operands)
    if not (dtypes.is_bool(aval.dtype) or dtypes.is_int(aval.dtype) or dtypes.is_float(aval.dtype)):
        raise user_error(
            TypeError, f"Pred type must be either boolean or number, got {aval.dtype}."
        )
    if not dtypes.is_bool(aval.dtype):
        pred = elementwise.ne(pred, np.zeros((), aval.dtype))
    index = elementwise.convert_element_type(pred, np.int32)
    return _cond(index, [false_fun, true_fun], operands, "cond")


def _cond(index, branches, operands, what):
    leaves, in_tree = tree_util.tree_flatten((tuple(operands), {}))
    avals = [aval_of(x) for x in leaves]
    names = [f"{what}_branch{i}" for i in range(len(branches))]
    traced, consts = _trace_all(branches, _placeholders(avals), in_tree, names)
    out_trees = [t[3] for t in traced]
    out_avals = [t[2] for t in traced]
    for i in range(1, len(branches)):
        if out_trees[i] != out_trees[0]:
            raise user_error(
                TypeError,
                f"{what} branch outputs must have the same pytree structure, but they "
                f"differ:\n\nbranch 0 returned {out_trees[0]} and branch {i} returned "
                f"{out_trees[i]}",
            )
        if [(a.shape, a.dtype) for a in out_avals[i]] != [(a.shape, a.dtype) for a in out_avals[0]]:
            raise user_error(
                TypeError,
                f"{what} branches must have equal output types but they differ.\n\n"
                f"The output of branch 0 has type {_describe(out_trees[0], out_avals[0])} "
                f"but the output of branch {i} has type "
                f"{_describe(out_trees[i], out_avals[i])}.",
            )
    # A result is weak only when it is weak in every branch.
    result_avals = [
        ShapedArray(a.shape, a.dtype, all(o[k].weak_type for o in out_avals))
        for k, a in enumerate(out_avals[0])
    ]
    parent = traced[0][0]
    outs = parent.emit(
        "mlax.cond",
        [index] + list(leaves) + list(consts),
        result_avals,
        lambda: {"branches": _symbols([t[1].name for t in traced])},
    )
    return out_trees[0].unflatten(outs)


# ---------------------------------------------------------------------------
# while_loop / fori_loop
# ---------------------------------------------------------------------------


def _check_carry(what, in_tree, in_avals, out_tree, out_avals):
    if out_tree != in_tree:
        raise user_error(
            TypeError,
            f"{what} must have identical types: the input carry has structure {in_tree} "
            f"and the output carry {out_tree}",
        )
    for i, (a, b) in enumerate(zip(in_avals, out_avals)):
        if (a.shape, a.dtype) != (b.shape, b.dtype):
            raise user_error(
                TypeError,
                f"{what} must have identical types: the input carry component "
                f"{_describe(in_tree, in_avals)} and the output carry "
                f"{_describe(out_tree, out_avals)} differ at leaf {i}: "
                f"{a.str_long()} vs {b.str_long()}",
            )


def _promote_weak_carry(leaves, avals, out_avals):
    """JAX's _promote_weak_typed_inputs: a weakly typed initial carry whose
    dtype the body changes is converted to the promoted dtype (0 then
    c + 1.0 carries float32); None when nothing changes."""
    if len(avals) != len(out_avals):
        return None
    new, changed = list(leaves), False
    for i, (a, b) in enumerate(zip(avals, out_avals)):
        if a.weak_type and a.shape == b.shape and a.dtype != b.dtype:
            dtype = dtypes.result_type(leaves[i], b.dtype)
            if dtype != a.dtype:
                new[i] = elementwise.convert_element_type(leaves[i], dtype)
                changed = True
    return new if changed else None


def _joined(init_avals, out_avals):
    """A carry stays weakly typed only if the body keeps it weak (JAX)."""
    return [a.update(weak_type=a.weak_type and b.weak_type) for a, b in zip(init_avals, out_avals)]


def while_loop(cond_fun, body_fun, init_val):
    """Repeats init_val = body_fun(init_val) while cond_fun(init_val)."""
    if current_trace() is None:
        key = ("while_loop", cond_fun, body_fun)
        return _eager(key, lambda v: while_loop(cond_fun, body_fun, v))(init_val)
    leaves, tree = tree_util.tree_flatten(init_val)
    avals = [aval_of(x) for x in leaves]
    in_tree = tree_util.tree_structure(((init_val,), {}))
    traced, consts = _trace_all(
        [cond_fun, body_fun], _placeholders(avals), in_tree, ["while_cond", "while_body"]
    )
    (_, cond_child, cond_avals, _), (parent, body_child, body_avals, body_tree) = traced
    if len(cond_avals) != 1 or cond_avals[0].shape != () or not dtypes.is_bool(cond_avals[0].dtype):
        raise user_error(
            TypeError,
            f"cond_fun must return a boolean scalar, but got output type(s) "
            f"{list(cond_avals)}.",
        )
    if body_tree == tree:
        promoted = _promote_weak_carry(leaves, avals, body_avals)
        if promoted is not None:
            return while_loop(cond_fun, body_fun, tree.unflatten(promoted))
    _check_carry("body_fun output and input", tree, avals, body_tree, body_avals)
    outs = parent.emit(
        "mlax.while",
        list(leaves) + list(consts),
        _joined(avals, body_avals),
        lambda: {
            "cond": ir.FlatSymbolRefAttr.get(cond_child.name),
            "body": ir.FlatSymbolRefAttr.get(body_child.name),
            "num_consts": _i64(len(consts)),
        },
    )
    return tree.unflatten(outs)


def _is_concrete_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def fori_loop(lower, upper, body_fun, init_val, *, unroll=None):
    """for i in range(lower, upper): init_val = body_fun(i, init_val). A
    scan when both bounds are Python ints (as in JAX), else a while loop."""
    if _is_concrete_int(lower) and _is_concrete_int(upper):
        length = max(int(upper) - int(lower), 0)

        # The index is weakly typed, as JAX's (it starts as a Python int):
        # c + i keeps an int8 carry int8.
        def step(carry, _):
            i, x = carry
            return (i + 1, body_fun(i, x)), None

        (_, out), _ = scan(
            step,
            (int(lower), init_val),
            None,
            length=length,
            unroll=False if unroll is None else unroll,
        )
        return out
    if unroll is not None and unroll is not False and unroll != 1:
        raise user_error(
            ValueError,
            "Can only use `unroll` in `fori_loop` if the loop bounds are statically known.",
        )
    lower_aval, upper_aval = aval_of(lower), aval_of(upper)
    for name, a in (("lower", lower_aval), ("upper", upper_aval)):
        if not dtypes.is_int(a.dtype) or a.shape != ():
            raise user_error(
                TypeError, f"fori_loop {name} bound must be an integer scalar, got {a.str_short()}"
            )
    dt = dtypes.result_type(lower, upper)

    def cond_fun(carry):
        return elementwise.lt(carry[0], carry[1])

    def body(carry):
        i, hi, x = carry
        return (i + np.asarray(1, dt), hi, body_fun(i, x))

    lo = (
        elementwise.convert_element_type(lower, dt)
        if isinstance(lower, Tracer)
        else np.asarray(lower, dt)
    )
    hi = (
        elementwise.convert_element_type(upper, dt)
        if isinstance(upper, Tracer)
        else np.asarray(upper, dt)
    )
    return while_loop(cond_fun, body, (lo, hi, init_val))[2]


# ---------------------------------------------------------------------------
# scan / map
# ---------------------------------------------------------------------------


def scan(f, init, xs=None, length=None, reverse=False, unroll=1, _split_transpose=False):
    """JAX's lax.scan: (carry, ys) = loop of f(carry, x) over xs's leading axis."""
    if not callable(f):
        raise user_error(TypeError, "lax.scan: f argument should be a callable.")
    x_leaves, _x_tree = tree_util.tree_flatten(xs)
    lengths = {aval_of(x).shape[0] if aval_of(x).shape else None for x in x_leaves}
    if None in lengths:
        raise user_error(ValueError, "scan got value with no leading axis to scan over")
    if len(lengths) > 1:
        raise user_error(
            ValueError,
            f"scan got values with different leading axis sizes: "
            f"{', '.join(str(aval_of(x).shape[0]) for x in x_leaves)}.",
        )
    if length is not None:
        length = int(length)
        if lengths and lengths != {length}:
            raise user_error(
                ValueError,
                f"scan got `length` argument of {length} which disagrees with leading axis "
                f"sizes {sorted(lengths)}.",
            )
    elif lengths:
        length = lengths.pop()
    else:
        raise user_error(ValueError, "scan got no values to scan over and `length` not provided.")
    unroll = _unroll_factor(unroll, length)
    if current_trace() is None:
        key = ("scan", f, length, reverse, unroll)
        return _eager(key, lambda c, x: scan(f, c, x, length, reverse, unroll))(init, xs)
    c_leaves, c_tree = tree_util.tree_flatten(init)
    c_avals = [aval_of(x) for x in c_leaves]
    x_avals = [aval_of(x) for x in x_leaves]
    slice_avals = [ShapedArray(a.shape[1:], a.dtype, a.weak_type) for a in x_avals]
    in_tree = tree_util.tree_structure(((init, xs), {}))
    traced, consts = _trace_all(
        [_carry_out(f)], _placeholders(c_avals + slice_avals), in_tree, ["scan_body"]
    )
    parent, child, out_avals, out_tree = traced[0]
    (carry_tree, y_tree) = out_tree.children()
    n_carry = carry_tree.num_leaves
    if carry_tree == c_tree:
        promoted = _promote_weak_carry(c_leaves, c_avals, out_avals[:n_carry])
        if promoted is not None:
            return scan(f, c_tree.unflatten(promoted), xs, length, reverse, unroll)
    _check_carry(
        "scan body function carry input and carry output",
        c_tree,
        c_avals,
        carry_tree,
        out_avals[:n_carry],
    )
    y_avals = out_avals[n_carry:]
    results = _joined(c_avals, out_avals[:n_carry]) + [
        ShapedArray((length,) + a.shape, a.dtype, a.weak_type) for a in y_avals
    ]
    outs = parent.emit(
        "mlax.scan",
        list(c_leaves) + list(x_leaves) + list(consts),
        results,
        lambda: {
            "body": ir.FlatSymbolRefAttr.get(child.name),
            "num_carry": _i64(len(c_leaves)),
            "num_consts": _i64(len(consts)),
            "length": _i64(length),
            "reverse": ir.BoolAttr.get(bool(reverse)),
            **({"unroll": _i64(unroll)} if unroll > 1 else {}),
        },
    )
    return c_tree.unflatten(outs[: len(c_leaves)]), y_tree.unflatten(outs[len(c_leaves) :])


def _unroll_factor(unroll, length):
    """JAX's `unroll` as iterations per loop trip: True (and 0) the whole
    length, False 1; negative values and tracers are errors."""
    if isinstance(unroll, Tracer):
        raise user_error(
            ConcretizationTypeError,
            "The `unroll` argument to `scan` expects a concrete `int` or `bool` value.",
        )
    if isinstance(unroll, Array):
        # JAX hashes `unroll` as a static parameter, and its arrays are
        # unhashable.
        raise user_error(TypeError, f"unhashable type: '{type(unroll).__name__}'")
    if isinstance(unroll, (bool, np.bool_)):
        return max(length, 1) if unroll else 1
    unroll = operator.index(unroll)
    if unroll < 0:
        raise user_error(ValueError, "`unroll` must be a `bool` or a non-negative `int`.")
    return max(length, 1) if unroll == 0 else unroll


def _carry_out(f):
    """f(carry, x) -> (carry, y), checked to return a pair."""

    def body(carry, x):
        out = f(carry, x)
        if not isinstance(out, tuple) or len(out) != 2:
            raise user_error(
                TypeError,
                f"scan body output must be a pair, got {type(out).__name__}",
            )
        return out

    body.__name__ = getattr(f, "__name__", "scan_body")
    return body


def map(f, xs, *, batch_size=None):
    """[f(x) for x in xs] along the leading axis, as a scan."""
    if batch_size is not None:
        leaves, tree = tree_util.tree_flatten(xs)
        n = aval_of(leaves[0]).shape[0]
        size = min(int(batch_size), n)
        full, rem = divmod(n, size)
        from .batching import vmap

        head = tree.unflatten(
            [shape.reshape(x[: full * size], (full, size) + aval_of(x).shape[1:]) for x in leaves]
        )
        _, ys = scan(lambda c, x: (c, vmap(f)(x)), (), head)
        ys = tree_util.tree_map(
            lambda y: shape.reshape(y, (full * size,) + aval_of(y).shape[2:]), ys
        )
        if rem:
            tail = tree.unflatten([x[full * size :] for x in leaves])
            rest = vmap(f)(tail)
            ys = tree_util.tree_map(lambda a, b: shape.concatenate([a, b], 0), ys, rest)
        return ys
    _, ys = scan(lambda c, x: (c, f(x)), (), xs)
    return ys


__all__ = ["cond", "fori_loop", "map", "scan", "switch", "while_loop"]
