"""grad, value_and_grad and vjp: requests for the mlax-autodiff pass.

Python never differentiates. Calling `grad(f)` traces `f` into a private
func.func of the module being built and emits `mlax.vjp @f(...)` in the
caller; the C++ pass `mlax-autodiff` expands it (passes/autodiff/). Outside
any trace, the call runs through `jit`, so eager `grad(f)(x)` works too.
"""

import functools

import numpy as np

from ..._mlir import ir
from ..core import Tracer, aval_of, current_trace, dtypes, tree_util, user_error
from ..core.dtypes_api import float0
from .callee import (
    _bool_array_attr,
    _call_marked,
    _eager,
    _trace_callee,
    close_over_static,
    eager_call,
    is_array_like,
)

_EAGER_AUX = {}  # eager jvp's _StaticAux per cache key


class _StaticAux:
    """The aux leaves of a has_aux function that are not traced values
    (Python numbers, NumPy arrays, strings): JAX returns them as they are,
    so they bypass the traced callee and, for an eager transformation, the
    jit that runs it. `record` keeps the last trace's, for the eager caller
    to put back."""

    def __init__(self):
        self.record = None

    @classmethod
    def for_key(cls, key):
        """The record of an eager transformation cached under `key`."""
        try:
            return _EAGER_AUX.setdefault(key, cls())
        except TypeError:  # an unhashable callable: not cached either
            return cls()

    def strip(self, fun):
        """fun returning (out, aux) -> fun returning (out, traced aux leaves)."""

        def stripped(*args, **kwargs):
            result = fun(*args, **kwargs)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise user_error(
                    TypeError, "has_aux=True requires the function to return a pair (output, aux)"
                )
            out, aux = result
            leaves, tree = tree_util.tree_flatten(aux)
            static = {i: x for i, x in enumerate(leaves) if not _is_traced(x)}
            self.record = (tree, static)
            return out, [x for i, x in enumerate(leaves) if i not in static]

        stripped.__name__ = getattr(fun, "__name__", "fun")
        return stripped

    def merge(self, traced_leaves):
        """The aux of the last trace, from its traced leaves' values."""
        tree, static = self.record
        it = iter(traced_leaves)
        return tree.unflatten(
            [static[i] if i in static else next(it) for i in range(tree.num_leaves)]
        )


def _is_traced(x):
    return isinstance(x, Tracer) or hasattr(x, "_bv")


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
    parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, name, True)
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
    parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, name, True)
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
        if not has_aux:
            return _eager(("jvp", fun), lambda p, t: jvp(fun, p, t), True)(
                tuple(primals), tuple(tangents)
            )
        key = ("jvp-aux", fun)
        aux_parts = _StaticAux.for_key(key)
        out, tan, aux = _eager(key, lambda p, t: jvp(aux_parts.strip(fun), p, t, True), True)(
            tuple(primals), tuple(tangents)
        )
        return out, tan, aux_parts.merge(aux)
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
        if pa.shape != ta.shape or (dtypes.is_inexact(pa.dtype) and pa.dtype != ta.dtype):
            raise user_error(
                TypeError,
                f"primal and tangent arguments to jvp must have equal types and shapes; got "
                f"primal {pa.str_short()} and tangent {ta.str_short()}.",
            )
        active.append(dtypes.is_inexact(pa.dtype))

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
    barrier yet.) `policy` (mlax.checkpoint_policies) is accepted and
    ignored: everything is recomputed, which any policy allows.
    """
    if static_argnums:
        raise NotImplementedError("checkpoint static_argnums are not supported yet")

    @functools.wraps(fun)
    def remat_fun(*args, **kwargs):
        if current_trace() is None:
            return fun(*args, **kwargs)
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        parent, child, out_avals, out_tree = _trace_callee(fun, leaves, in_tree, "checkpoint")
        return _call_marked(parent, child, leaves, out_avals, out_tree, remat=None)

    return remat_fun


remat = checkpoint


def linearize(fun, *primals):
    """Like jax.linearize: (fun(*primals), f_jvp) with f_jvp(*tangents) the
    JVP at primals. f_jvp re-runs the forward-mode function (the primal is
    recomputed, not stored)."""
    out = fun(*primals)

    def f_jvp(*tangents):
        return jvp(fun, primals, tangents)[1]

    return out, f_jvp


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


def _check_differentiable(name, leaf, holomorphic=False):
    """JAX's TypeErrors for differentiating a non-array or a non-float
    (jacfwd takes complex inputs only with holomorphic=True)."""
    if not is_array_like(leaf):
        raise user_error(
            TypeError, f"Argument '{leaf}' of type {type(leaf)} is not a valid JAX type."
        )
    dtype = aval_of(leaf).dtype
    if dtypes.is_float(dtype) or (dtypes.is_complex(dtype) and (holomorphic or name != "jacfwd")):
        return
    if name == "jacfwd":
        raise user_error(
            TypeError,
            f"jacfwd requires real-valued inputs (input dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            f"holomorphic=True. For differentiation of non-holomorphic functions involving "
            f"complex inputs or integer inputs, use jax.jvp directly.",
        )
    raise user_error(
        TypeError,
        f"{name} requires real- or complex-valued inputs (input dtype that is a sub-dtype of "
        f"np.inexact), but got {dtype.name}. If you want to use Boolean- or integer-valued "
        f"inputs, use vjp or set allow_int to True.",
    )


def _ones_like_scalar(aval):
    from .. import lax

    return lax.full((), 1.0, aval.dtype)


def _check_holomorphic(name, holomorphic, leaf):
    """JAX's TypeError for holomorphic=True on a real input."""
    if not holomorphic:
        return
    dtype = aval_of(leaf).dtype
    if np.dtype(dtype).kind != "c":
        raise user_error(
            TypeError,
            f"{name} with holomorphic=True requires inputs with complex dtype, "
            f"but got {dtype.name}.",
        )


def _check_output_dtype(name, holomorphic, dtype):
    """JAX's TypeErrors for the output of grad/jacrev."""
    if holomorphic:
        if not dtypes.is_complex(dtype):
            raise user_error(
                TypeError,
                f"{name} with holomorphic=True requires outputs with complex dtype, "
                f"but got {np.dtype(dtype).name}.",
            )
        return
    if dtypes.is_complex(dtype):
        raise user_error(
            TypeError,
            f"{name} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {np.dtype(dtype).name}. For holomorphic differentiation, "
            f"pass holomorphic=True. For differentiation of non-holomorphic functions involving "
            f"complex outputs, use jax.vjp directly.",
        )


def _float0_to_placeholder(g):
    if isinstance(g, np.ndarray) and g.dtype == float0:
        from .. import lax

        return lax.full(g.shape, False, np.bool_)
    return g


def _placeholder_to_float0(g):
    # A float input's gradient is never boolean: a boolean leaf is a placeholder.
    return np.zeros(g.shape, float0) if g.dtype == np.bool_ else g


def value_and_grad(
    fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False, reduce_axes=()
):
    """Like jax.value_and_grad: returns (value, gradient) [with aux]. With
    allow_int, an integer or boolean input's gradient is float0 zeros."""
    int_argnums = isinstance(argnums, int)
    aux_parts = _StaticAux()
    traced_fun_with_aux = aux_parts.strip(fun) if has_aux else fun

    def with_placeholders(*args, **kwargs):
        value, g = traced_leaves(*args, **kwargs)
        return value, tree_util.tree_map(_float0_to_placeholder, g)

    def with_aux(value):
        return (value[0], aux_parts.merge(value[1])) if has_aux else value

    def value_and_grad_f(*args, **kwargs):
        if current_trace() is not None:
            value, g = traced_leaves(*args, **kwargs)
        elif not allow_int:
            value, g = eager_call(traced_leaves, traced_leaves, True, args, kwargs)
        else:
            # float0 gradients are host arrays, not jit results: the jit
            # returns a boolean placeholder of the input's shape instead.
            value, g = eager_call(with_placeholders, with_placeholders, True, args, kwargs)
            g = tree_util.tree_map(_placeholder_to_float0, g)
        return with_aux(value), g

    def traced_leaves(*args, **kwargs):
        """(value, grads), with only the traced leaves of aux."""
        positions = _argnum_positions(argnums, len(args))
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        active = []
        for i, arg in enumerate(args):
            n = len(tree_util.tree_leaves(arg))
            active += [i in positions] * n
        active += [False] * (len(leaves) - len(active))
        float0_leaves = set()
        for k, (leaf, flag) in enumerate(zip(leaves, active)):
            if not flag:
                continue
            if allow_int and is_array_like(leaf) and not dtypes.is_inexact(aval_of(leaf).dtype):
                active[k] = False
                float0_leaves.add(k)
                continue
            _check_holomorphic("grad", holomorphic, leaf)
            _check_differentiable("grad", leaf, holomorphic)
        float0_avals = {k: aval_of(leaves[k]) for k in float0_leaves}
        traced_fun, leaves, in_tree, mask = close_over_static(traced_fun_with_aux, leaves, in_tree)
        active = [a for a, m in zip(active, mask) if m]

        def cotangents_for(out_avals, out_tree):
            main_tree = out_tree.children()[0] if has_aux else out_tree
            if not tree_util.treedef_is_leaf(main_tree) or main_tree.num_leaves != 1:
                # A list or tuple holding one scalar is not a scalar (JAX).
                raise user_error(
                    TypeError,
                    f"Gradient only defined for scalar-output functions. Output was {main_tree}.",
                )
            value_aval = out_avals[0]
            if value_aval.shape != ():
                raise user_error(
                    TypeError,
                    f"Gradient only defined for scalar-output functions. Output had shape: "
                    f"{value_aval.shape}.",
                )
            _check_output_dtype("grad", holomorphic, value_aval.dtype)
            if not dtypes.is_inexact(value_aval.dtype):
                raise user_error(
                    TypeError,
                    f"grad requires real-valued outputs (output dtype that is a sub-dtype of "
                    f"np.floating), but got {value_aval.dtype.name}.",
                )
            from .. import lax

            return [_ones_like_scalar(value_aval)] + [
                lax.full(a.shape, 0, a.dtype) for a in out_avals[1:]
            ]

        outs, out_tree, cts = _vjp_request(
            traced_fun, leaves, in_tree, active, cotangents_for, "grad"
        )
        # Regroup the active leaves' cotangents by argument.
        it = iter(cts)
        grads = []
        starts = np.cumsum([0] + [len(tree_util.tree_leaves(a)) for a in args])
        for i in positions:
            arg_leaves, arg_tree = tree_util.tree_flatten(args[i])
            grads.append(
                arg_tree.unflatten(
                    [
                        np.zeros(float0_avals[k].shape, float0) if k in float0_avals else next(it)
                        for k in range(starts[i], starts[i] + len(arg_leaves))
                    ]
                )
            )
        g = grads[0] if int_argnums else tuple(grads)
        out = out_tree.unflatten(outs)
        if has_aux:
            return (out[0], out[1]), g
        return out, g

    functools.update_wrapper(value_and_grad_f, fun, updated=())
    value_and_grad_f._traced_leaves = traced_leaves
    value_and_grad_f._merge_aux = aux_parts.merge
    return value_and_grad_f


def grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False, reduce_axes=()):
    """Like jax.grad: the gradient of a scalar function w.r.t. argnums."""
    vg = value_and_grad(fun, argnums, has_aux, holomorphic, allow_int, reduce_axes)

    def grad_f(*args, **kwargs):
        if current_trace() is None and not allow_int:
            aux, g = eager_call(grad_leaves, grad_leaves, True, args, kwargs)
            return (g, vg._merge_aux(aux)) if has_aux else g
        value, g = vg(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    def grad_leaves(*args, **kwargs):
        """(traced aux leaves or None, grads): the value is not returned."""
        value, g = vg._traced_leaves(*args, **kwargs)
        return (value[1] if has_aux else None), g

    functools.update_wrapper(grad_f, fun, updated=())
    return grad_f


def vjp(fun, *primals, has_aux=False):
    """Like jax.vjp: returns (fun(*primals), vjp_fun) [and aux]."""
    leaves = tree_util.tree_leaves((primals, {}))
    active = [dtypes.is_inexact(aval_of(x).dtype) for x in leaves]
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
            from .jit import Jitted

            run_jit = Jitted(run)  # traces even under disable_jit
            run_jit._concrete = True
        return run_jit(primals, ct)

    if has_aux:
        # Through a flatten and unflatten, as in JAX (dicts come back sorted).
        return out[0], vjp_fun, tree_util.tree_map(lambda x: x, out[1])
    return out, vjp_fun


__all__ = [
    "checkpoint",
    "grad",
    "jvp",
    "linearize",
    "remat",
    "value_and_grad",
    "vjp",
]
