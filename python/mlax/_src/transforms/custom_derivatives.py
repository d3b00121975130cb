"""custom_jvp, custom_vjp and checkpoint: functions whose derivative the
user defines or asks to recompute. Each traces the function (and its rules)
into private callees and marks the call; mlax-autodiff reads the marks.
"""

import functools
import inspect

from ..core import Tracer, aval_of, capture_key, current_trace, tree_util, user_error
from .callee import Placeholder, _Bound, _call_marked, _trace_callee, _Unused


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


def _resolve_kwargs(fun, args, kwargs):
    """Keyword arguments bound to their positions (the rules take
    positional arguments only), defaults filled in, as JAX does."""
    if not kwargs:
        return args
    bound = inspect.signature(fun).bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(
            "keyword arguments could not be resolved to positions: "
            f"{sorted(bound.kwargs)} of {getattr(fun, '__name__', fun)}"
        )
    return bound.args


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

    def defjvps(self, *jvps):
        """One rule per argument: jvps[i](tangent_i, primal_out, *primals)
        gives argument i's contribution to the output tangent (None: it
        contributes nothing); the contributions are summed."""
        if self.nondiff_argnums:
            raise TypeError("Can't use ``defjvps`` with ``nondiff_argnums``.")

        def jvp(primals, tangents):
            from .. import lax

            primal_out = self(*primals)
            terms = [
                rule(t, primal_out, *primals) for t, rule in zip(tangents, jvps) if rule is not None
            ]

            def total(out, *parts):
                if not parts:
                    aval = aval_of(out)
                    return lax.full(aval.shape, 0, aval.dtype)
                return functools.reduce(lambda a, b: a + b, parts)

            return primal_out, tree_util.tree_map(total, primal_out, *terms)

        self.defjvp(jvp)

    def __call__(self, *args, **kwargs):
        args = _resolve_kwargs(self.fun, args, kwargs)
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

    def __call__(self, *args, **kwargs):
        args = _resolve_kwargs(self.fun, args, kwargs)
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
            from .. import lax

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


__all__ = ["custom_jvp", "custom_vjp"]
