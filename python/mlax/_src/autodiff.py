"""grad, value_and_grad and vjp: requests for the mlax-autodiff pass.

Python never differentiates. Calling `grad(f)` traces `f` into a private
func.func of the module being built and emits `mlax.vjp @f(...)` in the
caller; the C++ pass `mlax-autodiff` expands it (passes/autodiff/). Outside
any trace, the call runs through `jit`, so eager `grad(f)(x)` works too.
"""

import functools

from .._mlir import ir
from . import dtypes, tree_util
from .core import (
    Trace,
    Tracer,
    aval_of,
    capture_key,
    current_trace,
    tracing,
    user_error,
)


def _bool_array_attr(values):
    return ir.DenseBoolArrayAttr.get([bool(v) for v in values])


class _Bound:
    """An argument of a traced callee that stands for a value the function
    closes over (not passed to the function)."""

    def __init__(self, value):
        self.value = value


class Placeholder:
    """An argument leaf known only by its aval (tracing a rule function, or
    one example of a batched argument)."""

    def __init__(self, aval):
        self.aval = aval


class _Unused:
    """An argument of a traced callee that the function does not see."""

    def __init__(self, aval):
        self.aval = aval


def _trace_callee(fun, leaves, in_tree, name):
    """Traces `fun` into a private func.func of the current module. Each
    leaf becomes an argument; `_Bound` and `_Unused` leaves become arguments
    that `fun` does not receive."""
    parent = current_trace()
    child = Trace(getattr(fun, "__name__", "fun").strip("<>") or "fun", parent=parent)
    with tracing(child):
        tracers = []
        for x in leaves:
            if isinstance(x, _Bound):
                child.bind(x.value)
            elif isinstance(x, _Unused):
                child.new_arg(x.aval)
            else:
                tracers.append(child.new_arg(aval_of(x)))
        args, kwargs = tree_util.tree_unflatten(in_tree, tracers)
        out = fun(*args, **kwargs)
        out_leaves, out_tree = tree_util.tree_flatten(out)
        for leaf in out_leaves:
            if not isinstance(leaf, (Tracer, int, float, bool)) and not hasattr(leaf, "_bv"):
                raise user_error(
                    TypeError,
                    f"{name}: function returned a value of type {type(leaf).__name__}, which "
                    f"is not an array",
                )
        out_avals = [aval_of(x) for x in out_leaves]
        child.finish(out_leaves)
    return parent, child, out_avals, out_tree


def _mark_attribute(value):
    if value is None:
        return ir.UnitAttr.get()
    if isinstance(value, int):
        return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)
    return ir.FlatSymbolRefAttr.get(value)


def _call_marked(parent, child, leaves, out_avals, out_tree, **marks):
    """Marks child's function (`mlax.<name>` attributes, see MlaxAutodiff.cpp)
    and emits a func.call of it at `parent` with `leaves` then its captures;
    returns the outputs."""
    with child.ctx:
        for name, value in marks.items():
            child.func.attributes[f"mlax.{name}"] = _mark_attribute(value)
    outs = parent.emit(
        "func.call",
        list(leaves) + list(child.captured),
        out_avals,
        lambda: {"callee": ir.FlatSymbolRefAttr.get(child.name)},
    )
    return out_tree.unflatten(outs)


def _request_attributes(child, flags):
    return lambda: {
        "callee": ir.FlatSymbolRefAttr.get(child.name),
        "active": _bool_array_attr(flags),
    }


def _vjp_request(fun, leaves, in_tree, active, cotangents_for, name):
    """Emits `mlax.vjp` for `fun` at the current trace.

    `active` flags each leaf; `cotangents_for(out_avals)` gives one
    cotangent per output leaf. Returns (output leaves, out_tree, cotangents
    of the active leaves).
    """
    parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, name)
    captured = list(child.captured)
    cotangents = cotangents_for(out_avals, out_tree)
    flags = list(active) + [False] * len(captured)
    active_avals = [aval_of(x) for x, a in zip(leaves, active) if a]
    results = parent.emit(
        "mlax.vjp",
        list(leaves) + captured + list(cotangents),
        out_avals + active_avals,
        _request_attributes(child, flags),
    )
    return results[: len(out_avals)], out_tree, results[len(out_avals) :]


def _jvp_request(fun, leaves, in_tree, active, tangents, name):
    """Emits `mlax.jvp`; returns (output leaves, out_tree, output tangents)."""
    parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, name)
    captured = list(child.captured)
    flags = list(active) + [False] * len(captured)
    results = parent.emit(
        "mlax.jvp",
        list(leaves) + captured + list(tangents),
        out_avals + out_avals,
        _request_attributes(child, flags),
    )
    return results[: len(out_avals)], out_tree, results[len(out_avals) :]


def jvp(fun, primals, tangents, has_aux=False):
    """Like jax.jvp: (fun(*primals), the directional derivative along tangents)."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise user_error(
            TypeError,
            f"primal and tangent arguments to jvp must be tuples or lists; found "
            f"{type(primals).__name__} and {type(tangents).__name__}.",
        )
    if current_trace() is None:
        return _eager(("jvp", fun, has_aux), lambda p, t: jvp(fun, p, t, has_aux))(
            tuple(primals), tuple(tangents)
        )
    leaves, in_tree = tree_util.tree_flatten((tuple(primals), {}))
    t_leaves, t_tree = tree_util.tree_flatten((tuple(tangents), {}))
    if t_tree != in_tree:
        raise user_error(
            TypeError,
            f"primal and tangent arguments to jvp must have the same tree structure; got "
            f"{in_tree} and {t_tree}.",
        )
    active = []
    for p, t in zip(leaves, t_leaves):
        pa, ta = aval_of(p), aval_of(t)
        if pa.shape != ta.shape or (dtypes.is_float(pa.dtype) and pa.dtype != ta.dtype):
            raise user_error(
                TypeError,
                f"primal and tangent arguments to jvp must have equal types and shapes; got "
                f"primal {pa.str_short()} and tangent {ta.str_short()}.",
            )
        active.append(dtypes.is_float(pa.dtype))

    def main_fun(*xs):
        out = fun(*xs)
        return out[0] if has_aux else out

    outs, out_tree, tans = _jvp_request(
        main_fun, leaves, in_tree, active, [t for t, a in zip(t_leaves, active) if a], "jvp"
    )
    result = (out_tree.unflatten(outs), out_tree.unflatten(tans))
    if has_aux:
        return result + (fun(*primals)[1],)
    return result


def checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=()):
    """Like jax.checkpoint / jax.remat: under differentiation, `fun`'s
    intermediates are recomputed in the backward pass instead of saved.

    Traced as a call to a private function marked `mlax.remat`; the
    mlax-autodiff rule for such a call requests the callee's own derivative,
    so the generated IR recomputes it. (After inlining, CSE may still merge
    the recomputation with the forward pass: there is no optimization
    barrier yet.)
    """
    if policy is not None or static_argnums:
        raise NotImplementedError("checkpoint policies and static_argnums are not supported yet")

    @functools.wraps(fun)
    def remat_fun(*args, **kwargs):
        if current_trace() is None:
            return fun(*args, **kwargs)
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, "checkpoint")
        return _call_marked(parent, child, leaves, out_avals, out_tree, remat=None)

    return remat_fun


remat = checkpoint


def _flat_tree(n):
    return tree_util.tree_structure((tuple(range(n)), {}))


def _grow_closure(closure, *captured_lists):
    """Adds the newly captured values (by capture_key) to `closure`; returns
    whether any was new. Capturing is by value, so this converges; the cap
    guards against a rule that captures something new on every trace."""
    known = {capture_key(c) for c in closure}
    grew = False
    for captured in captured_lists:
        for c in captured:
            if capture_key(c) not in known:
                known.add(capture_key(c))
                closure.append(c)
                grew = True
    if grew and len(closure) > 64:
        raise user_error(
            TypeError,
            "custom_jvp/custom_vjp: the function or its rules close over more than 64 "
            "arrays, or over new values on every trace; pass them as arguments",
        )
    return grew


class _CustomRules:
    """What custom_jvp and custom_vjp share: tracing the user's rules, during
    which a call of the function itself is just its primal (no recursion),
    and binding nondiff_argnums."""

    _in_rule = False
    _owner = None  # the user's object, when this one binds its nondiff args

    def __init__(self, fun, nondiff_argnums):
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        functools.update_wrapper(self, fun)

    def _trace_rule(self, fun, leaves, in_tree, name):
        guarded = [self] + ([self._owner] if self._owner is not None else [])
        for obj in guarded:
            obj._in_rule = True
        try:
            return _trace_callee(fun, leaves, in_tree, name)
        finally:
            for obj in guarded:
                obj._in_rule = False

    def _trace_closed(self, leaves, in_tree, name, trace_rules):
        """Traces the primal on `leaves` plus the values it or its rules close
        over, bound to trailing arguments; `trace_rules(bound, out_tree)`
        traces the rules on the same bound values and returns their traces.
        Repeats until neither closes over anything new. Returns (parent,
        primal trace, out avals, out tree, rule traces, closed-over values)."""
        closure = []
        while True:
            bound = [_Bound(c) for c in closure]
            parent, child, out_avals, out_tree = _trace_callee(
                self.fun, leaves + bound, in_tree, name
            )
            rules = trace_rules(bound, out_tree)
            if not _grow_closure(closure, child.captured, *(r.captured for r in rules)):
                return parent, child, out_avals, out_tree, rules, closure

    def _call_with_nondiff_bound(self, args, define_rules):
        """Calls a copy of this function with args[nondiff_argnums] bound;
        `define_rules(copy, nondiff values, merge)` gives it its rules."""
        nondiff, diff, merge = self._split_nondiff(args)
        bound = type(self)(functools.wraps(self.fun)(lambda *d: self.fun(*merge(d))))
        bound._owner = self
        define_rules(bound, nondiff, merge)
        return bound(*diff)

    def _split_nondiff(self, args):
        """(nondiff values, differentiable args, merge(diff) -> all args)."""
        kind = type(self).__name__
        for i in self.nondiff_argnums:
            if not -len(args) <= i < len(args):
                raise user_error(
                    ValueError,
                    f"{kind} nondiff_argnums {self.nondiff_argnums} out of range for "
                    f"{len(args)} arguments",
                )
        fixed = {i % len(args) for i in self.nondiff_argnums}
        for i in sorted(fixed):
            if any(
                isinstance(x, Tracer) or hasattr(x, "_bv") for x in tree_util.tree_leaves(args[i])
            ):
                raise user_error(
                    TypeError,
                    f"{kind} argument {i} is in nondiff_argnums but holds an array; mlax "
                    f"supports only non-array values (functions, Python numbers, config) there: "
                    f"pass arrays as ordinary arguments",
                )
        nondiff = [args[i] for i in sorted(fixed)]
        diff_positions = [i for i in range(len(args)) if i not in fixed]

        def merge(diff):
            full = list(args)
            for i, v in zip(diff_positions, diff):
                full[i] = v
            return full

        return nondiff, [args[i] for i in diff_positions], merge


class custom_jvp(_CustomRules):
    """Like jax.custom_jvp: a function with a user-defined JVP rule.

    The primal is traced into a private function marked
    `mlax.custom_jvp = @rule`; mlax-autodiff calls the rule in forward mode
    and transposes it (it must be linear in the tangents) in reverse mode.
    """

    def __init__(self, fun, nondiff_argnums=()):
        super().__init__(fun, nondiff_argnums)
        self.jvp = None

    def defjvp(self, jvp):
        self.jvp = jvp
        return jvp

    def __call__(self, *args):
        name = getattr(self.fun, "__name__", "custom_jvp")
        if self.jvp is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {name} using defjvp.")
        if current_trace() is None or self._in_rule:
            # Eager, or the rule calling its own function: just the primal.
            return self.fun(*args)
        if self.nondiff_argnums:
            # jvp(*nondiff, primals, tangents), primals without the nondiff args.
            return self._call_with_nondiff_bound(
                args,
                lambda bound, nondiff, merge: bound.defjvp(
                    lambda primals, tangents: self.jvp(*nondiff, primals, tangents)
                ),
            )
        leaves, in_tree = tree_util.tree_flatten((args, {}))
        n = len(leaves)
        out_tree_box = {}

        def rule(*xs):
            out_tree = out_tree_box["tree"]
            primals = tree_util.tree_unflatten(in_tree, xs[:n])[0]
            tangents = tree_util.tree_unflatten(in_tree, xs[n:])[0]
            out, tan = self.jvp(primals, tangents)
            out_leaves, t_out = tree_util.tree_flatten(out)
            tan_leaves, t_tan = tree_util.tree_flatten(tan)
            if t_out != out_tree or t_tan != out_tree:
                raise user_error(
                    TypeError,
                    f"Custom JVP rule must produce primal and tangent outputs with the "
                    f"container (pytree) structure of the primal function's output "
                    f"{out_tree}; got {t_out} and {t_tan}.",
                )
            return tuple(out_leaves) + tuple(tan_leaves)

        def trace_rule(bound, out_tree):
            # (primals, closed-over values, tangents of both)
            out_tree_box["tree"] = out_tree
            tangents = [_Unused(aval_of(b.value)) for b in bound]
            leaves_in = leaves + bound + leaves + tangents
            return [self._trace_rule(rule, leaves_in, _flat_tree(2 * n), name)[1]]

        parent, child, out_avals, out_tree, (rule_child,), closure = self._trace_closed(
            leaves, in_tree, name, trace_rule
        )
        return _call_marked(
            parent,
            child,
            leaves + closure,
            out_avals,
            out_tree,
            custom_jvp=rule_child.name,
            **({"custom_closure_args": len(closure)} if closure else {}),
        )


class custom_vjp(_CustomRules):
    """Like jax.custom_vjp: a function with user-defined fwd/bwd rules.

    The primal is traced into a private function marked with its `fwd`
    (primal outputs + residuals) and `bwd` (residuals + cotangents ->
    argument cotangents) functions, which mlax-autodiff calls in reverse
    mode. Forward mode is not available, as in JAX.
    """

    def __init__(self, fun, nondiff_argnums=()):
        super().__init__(fun, nondiff_argnums)
        self.fwd = self.bwd = None

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args):
        name = getattr(self.fun, "__name__", "custom_vjp")
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {name} using defvjp.")
        if current_trace() is None or self._in_rule:
            # Eager, or fwd/bwd calling the function itself: just the primal.
            return self.fun(*args)
        if self.nondiff_argnums:
            # fwd(*args) sees every argument; bwd(*nondiff, res, g) returns
            # cotangents for the others only.
            return self._call_with_nondiff_bound(
                args,
                lambda bound, nondiff, merge: bound.defvjp(
                    lambda *d: self.fwd(*merge(d)), lambda res, g: self.bwd(*nondiff, res, g)
                ),
            )
        leaves, in_tree = tree_util.tree_flatten((args, {}))
        n = len(leaves)
        residual, out_tree_box = {}, {}

        def fwd(*xs):
            out_tree = out_tree_box["tree"]
            out, res = self.fwd(*tree_util.tree_unflatten(in_tree, xs)[0])
            out_leaves, t_out = tree_util.tree_flatten(out)
            if t_out != out_tree:
                raise user_error(
                    TypeError,
                    f"Custom VJP fwd rule must produce an output with the same container "
                    f"(pytree) structure as the primal function's output {out_tree}; got "
                    f"{t_out}.",
                )
            res_leaves, residual["tree"] = tree_util.tree_flatten(res)
            residual["avals"] = [aval_of(r) for r in res_leaves]
            return tuple(out_leaves) + tuple(res_leaves)

        def trace_fwd(bound, tree):
            out_tree_box["tree"] = tree
            return [self._trace_rule(fwd, leaves + bound, _flat_tree(n), name + "_fwd")[1]]

        parent, child, out_avals, out_tree, (fwd_child,), closure = self._trace_closed(
            leaves, in_tree, name, trace_fwd
        )
        n_res = len(residual["avals"])

        def bwd(*xs):
            res = tree_util.tree_unflatten(residual["tree"], xs[:n_res])
            ct = out_tree.unflatten(xs[n_res:])
            cts = self.bwd(res, ct)
            if not isinstance(cts, tuple) or len(cts) != len(args):
                raise user_error(
                    TypeError,
                    f"Custom VJP bwd rule must produce a tuple of length equal to the "
                    f"number of arguments to the primal function ({len(args)}); got "
                    f"{type(cts).__name__} of length {len(cts) if hasattr(cts, '__len__') else 1}.",
                )
            flat = []
            from . import lax

            for arg, c in zip(args, cts):
                arg_leaves, arg_tree = tree_util.tree_flatten(arg)
                if c is None:
                    flat += [lax.full(aval_of(a).shape, 0, aval_of(a).dtype) for a in arg_leaves]
                    continue
                c_leaves, c_tree = tree_util.tree_flatten(c)
                if c_tree != arg_tree or any(
                    aval_of(x).shape != aval_of(a).shape for x, a in zip(c_leaves, arg_leaves)
                ):
                    raise user_error(
                        ValueError,
                        f"Custom VJP bwd rule must produce an output with the same shapes and "
                        f"container structure as the primal arguments; got {c_tree} for "
                        f"{arg_tree}.",
                    )
                flat += c_leaves
            # Closed-over values get no cotangent (mlax-autodiff refuses to
            # differentiate with respect to them).
            flat += [lax.full(aval_of(c).shape, 0, aval_of(c).dtype) for c in closure]
            return tuple(flat)

        bwd_inputs = [Placeholder(a) for a in residual["avals"]] + [
            Placeholder(a) for a in out_avals
        ]
        _, bwd_child, _, _ = self._trace_rule(
            bwd, bwd_inputs, _flat_tree(len(bwd_inputs)), name + "_bwd"
        )
        if bwd_child.captured:
            raise user_error(
                TypeError,
                "custom_vjp bwd functions cannot close over arrays or traced values; "
                "return them from fwd as residuals",
            )
        return _call_marked(
            parent,
            child,
            leaves + closure,
            out_avals,
            out_tree,
            custom_vjp_fwd=fwd_child.name,
            custom_vjp_bwd=bwd_child.name,
            **({"custom_closure_args": len(closure)} if closure else {}),
        )


def linearize(fun, *primals):
    """Like jax.linearize: (fun(*primals), f_jvp) with f_jvp(*tangents) the
    JVP at primals. f_jvp re-runs the forward-mode function (the primal is
    recomputed, not stored)."""
    out = fun(*primals)

    def f_jvp(*tangents):
        return jvp(fun, primals, tangents)[1]

    return out, f_jvp


def _basis(aval):
    """The standard basis of aval's space, stacked: shape (size,) + shape."""
    import numpy as np

    size = aval.size
    return np.eye(size, dtype=aval.dtype).reshape((size,) + aval.shape)


def _argnum_positions(argnums, nargs):
    """argnums (an int or a tuple) as positions, with JAX's TypeError when
    too few positional arguments were passed."""
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if i >= nargs or i < -nargs:
            raise user_error(
                TypeError,
                f"differentiating with respect to argnums={argnums} requires at least "
                f"{max(nums) + 1} positional arguments to be passed by the caller, "
                f"but got only {nargs} positional arguments.",
            )
    return [i % nargs for i in nums]


def _jacobian_inputs(name, fun, argnums, has_aux, args):
    """The differentiated leaves, their tree (the arg, or a tuple of args for
    tuple argnums) and f(*leaves) -> output pytree (and aux)."""
    int_argnums = isinstance(argnums, int)
    positions = _argnum_positions(argnums, len(args))
    diff = args[positions[0]] if int_argnums else tuple(args[p] for p in positions)
    leaves, in_tree = tree_util.tree_flatten(diff)
    for leaf in leaves:
        _check_differentiable(name, aval_of(leaf))

    def flat_fun(*xs):
        d = in_tree.unflatten(xs)
        full = list(args)
        for p, v in zip(positions, (d,) if int_argnums else d):
            full[p] = v
        return fun(*full)

    return leaves, in_tree, flat_fun


def jacfwd(fun, argnums=0, has_aux=False):
    """Like jax.jacfwd: for each input leaf, the JVP along every basis
    vector as one vmap of one forward-mode request. Pytrees of inputs and
    outputs: the result nests the input tree inside the output tree."""

    def jac(*args):
        if current_trace() is None:
            return _eager(("jacfwd", fun, argnums, has_aux), jac)(*args)
        from . import lax
        from .batching import vmap

        leaves, in_tree, flat_fun = _jacobian_inputs("jacfwd", fun, argnums, has_aux, args)
        main = (lambda *xs: flat_fun(*xs)[0]) if has_aux else flat_fun
        columns = []  # per input leaf: the output tree, each (out shape, size)
        for i, leaf in enumerate(leaves):
            aval = aval_of(leaf)

            def along(e, i=i):
                tangents = [
                    e if k == i else lax.full(aval_of(x).shape, 0, aval_of(x).dtype)
                    for k, x in enumerate(leaves)
                ]
                return jvp(main, tuple(leaves), tuple(tangents))[1]

            columns.append(vmap(along, out_axes=-1)(_basis(aval)))
        out_leaves, out_tree = tree_util.tree_flatten(columns[0])
        per_output = []
        for j, out_leaf in enumerate(out_leaves):
            out_shape = aval_of(out_leaf).shape[:-1]
            per_input = [
                tree_util.tree_leaves(col)[j].reshape(out_shape + aval_of(x).shape)
                for col, x in zip(columns, leaves)
            ]
            per_output.append(in_tree.unflatten(per_input))
        result = out_tree.unflatten(per_output)
        return (result, flat_fun(*leaves)[1]) if has_aux else result

    return jac


def jacrev(fun, argnums=0, has_aux=False):
    """Like jax.jacrev: for each output leaf, the VJP of every basis vector
    as one vmap of one reverse-mode request. Pytrees of inputs and outputs:
    the result nests the input tree inside the output tree."""

    def jac(*args):
        if current_trace() is None:
            return _eager(("jacrev", fun, argnums, has_aux), jac)(*args)
        from . import lax
        from .batching import vmap

        leaves, in_tree, flat_fun = _jacobian_inputs("jacrev", fun, argnums, has_aux, args)
        result = vjp(flat_fun, *leaves, has_aux=has_aux)
        out, vjp_fun = result[0], result[1]
        out_leaves, out_tree = tree_util.tree_flatten(out)
        per_output = []
        for j, out_leaf in enumerate(out_leaves):
            out_aval = aval_of(out_leaf)

            def row(e, j=j):
                cts = [
                    e if k == j else lax.full(aval_of(y).shape, 0, aval_of(y).dtype)
                    for k, y in enumerate(out_leaves)
                ]
                return vjp_fun(out_tree.unflatten(cts))

            rows = vmap(row)(_basis(out_aval))
            per_output.append(
                in_tree.unflatten(
                    [r.reshape(out_aval.shape + aval_of(x).shape) for r, x in zip(rows, leaves)]
                )
            )
        jacobian = out_tree.unflatten(per_output)
        return (jacobian, result[2]) if has_aux else jacobian

    return jac


jacobian = jacrev


def hessian(fun, argnums=0, has_aux=False):
    """Like jax.hessian: jacfwd(jacrev(fun))."""
    return jacfwd(jacrev(fun, argnums, has_aux=has_aux), argnums, has_aux=has_aux)


def _check_differentiable(name, aval):
    if not dtypes.is_float(aval.dtype):
        raise user_error(
            TypeError,
            f"{name} requires real-valued inputs (input dtype that is a sub-dtype of "
            f"np.floating), but got {aval.dtype.name}. If you want to use Boolean- or "
            f"integer-valued inputs, use vjp.",
        )


def _ones_like_scalar(aval):
    from . import lax

    return lax.full((), 1.0, aval.dtype)


def value_and_grad(fun, argnums=0, has_aux=False):
    """Like jax.value_and_grad: returns (value, gradient) [with aux]."""
    int_argnums = isinstance(argnums, int)

    def value_and_grad_f(*args, **kwargs):
        if current_trace() is None:
            return _eager(value_and_grad_f)(*args, **kwargs)
        positions = _argnum_positions(argnums, len(args))
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        active = []
        for i, arg in enumerate(args):
            n = len(tree_util.tree_leaves(arg))
            active += [i in positions] * n
        active += [False] * (len(leaves) - len(active))
        for leaf, flag in zip(leaves, active):
            if flag:
                _check_differentiable("grad", aval_of(leaf))

        def cotangents_for(out_avals, out_tree):
            value_aval = out_avals[0]
            if has_aux:
                if out_tree.node_type is not tuple or len(out_tree.children) != 2:
                    raise user_error(
                        TypeError,
                        "has_aux=True requires the function to return a pair (output, aux)",
                    )
            elif len(out_avals) != 1:
                raise user_error(
                    TypeError,
                    f"Gradient only defined for scalar-output functions. Output was {out_tree}.",
                )
            if value_aval.shape != ():
                raise user_error(
                    TypeError,
                    f"Gradient only defined for scalar-output functions. Output had shape: "
                    f"{value_aval.shape}.",
                )
            if not dtypes.is_float(value_aval.dtype):
                raise user_error(
                    TypeError,
                    f"grad requires real-valued outputs (output dtype that is a sub-dtype of "
                    f"np.floating), but got {value_aval.dtype.name}.",
                )
            from . import lax

            return [_ones_like_scalar(value_aval)] + [
                lax.full(a.shape, 0, a.dtype) for a in out_avals[1:]
            ]

        outs, out_tree, cts = _vjp_request(fun, leaves, in_tree, active, cotangents_for, "grad")
        # Regroup the active leaves' cotangents by argument.
        it = iter(cts)
        grads = []
        for i in positions:
            arg_leaves, arg_tree = tree_util.tree_flatten(args[i])
            grads.append(arg_tree.unflatten([next(it) for _ in arg_leaves]))
        g = grads[0] if int_argnums else tuple(grads)
        out = out_tree.unflatten(outs)
        if has_aux:
            return (out[0], out[1]), g
        return out, g

    functools.update_wrapper(value_and_grad_f, fun, updated=())
    return value_and_grad_f


def grad(fun, argnums=0, has_aux=False):
    """Like jax.grad: the gradient of a scalar function w.r.t. argnums."""
    vg = value_and_grad(fun, argnums, has_aux)

    def grad_f(*args, **kwargs):
        if current_trace() is None:
            return _eager(grad_f)(*args, **kwargs)
        value, g = vg(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    functools.update_wrapper(grad_f, fun, updated=())
    return grad_f


def vjp(fun, *primals, has_aux=False):
    """Like jax.vjp: returns (fun(*primals), vjp_fun) [and aux]."""
    leaves = tree_util.tree_leaves((primals, {}))
    active = [dtypes.is_float(aval_of(x).dtype) for x in leaves]
    out = fun(*primals)

    def run(primals_, cts_):
        prim_leaves, tree = tree_util.tree_flatten((primals_, {}))

        def main_fun(*xs):
            o = fun(*xs)
            return o[0] if has_aux else o

        def cotangents_for(out_avals, tree_out):
            ct_leaves, ct_tree = tree_util.tree_flatten(cts_)
            if ct_tree != tree_out or any(
                aval_of(c).shape != a.shape for c, a in zip(ct_leaves, out_avals)
            ):
                raise user_error(
                    ValueError,
                    f"unexpected tree structure or shapes of the cotangent: expected "
                    f"{[a.str_short() for a in out_avals]} in {tree_out}, got "
                    f"{[aval_of(c).str_short() for c in ct_leaves]} in {ct_tree}",
                )
            return ct_leaves

        _, _, cts = _vjp_request(main_fun, prim_leaves, tree, active, cotangents_for, "vjp")
        it = iter(cts)
        full = [next(it) if a else None for a in active]
        return tuple(tree_util.tree_unflatten(tree, full)[0])

    run_jit = None

    def vjp_fun(ct):
        nonlocal run_jit
        if current_trace() is not None:
            return run(primals, ct)
        if run_jit is None:
            from .dispatch import jit

            run_jit = jit(run)
        return run_jit(primals, ct)

    if has_aux:
        return out[0], vjp_fun, out[1]
    return out, vjp_fun


_eager_cache = {}


def _eager(key, f=None):
    """The jitted version of a transformed function, made once per key."""
    f = key if f is None else f
    jitted = _eager_cache.get(key)
    if jitted is None:
        from .dispatch import jit

        jitted = _eager_cache[key] = jit(f)
    return jitted


__all__ = [
    "checkpoint",
    "custom_jvp",
    "custom_vjp",
    "grad",
    "hessian",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "linearize",
    "remat",
    "value_and_grad",
    "vjp",
]
