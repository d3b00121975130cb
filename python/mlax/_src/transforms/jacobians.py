"""jacfwd, jacrev, jacobian and hessian: one vmapped derivative request per
input leaf (jacfwd) or output leaf (jacrev)."""

from ..core import aval_of, current_trace, tree_util
from .autodiff import _argnum_positions, _check_differentiable, _check_holomorphic, jvp, vjp
from .batching import vmap
from .callee import eager_call


def _basis(aval):
    """The standard basis of aval's space, stacked: shape (size,) + shape."""
    import numpy as np

    size = aval.size
    return np.eye(size, dtype=aval.dtype).reshape((size,) + aval.shape)


def _jacobian_inputs(name, fun, argnums, has_aux, args, holomorphic=False):
    """The differentiated leaves, their tree (the arg, or a tuple of args for
    tuple argnums) and f(*leaves) -> output pytree (and aux)."""
    int_argnums = isinstance(argnums, int)
    positions = _argnum_positions(argnums, len(args))
    diff = args[positions[0]] if int_argnums else tuple(args[p] for p in positions)
    leaves, in_tree = tree_util.tree_flatten(diff)
    for leaf in leaves:
        _check_holomorphic(name, holomorphic, leaf)
        _check_differentiable(name, leaf, holomorphic)

    def flat_fun(*xs):
        d = in_tree.unflatten(xs)
        full = list(args)
        for p, v in zip(positions, (d,) if int_argnums else d):
            full[p] = v
        return fun(*full)

    return leaves, in_tree, flat_fun


def jacfwd(fun, argnums=0, has_aux=False, holomorphic=False):
    """Like jax.jacfwd: for each input leaf, the JVP along every basis
    vector as one vmap of one forward-mode request. Pytrees of inputs and
    outputs: the result nests the input tree inside the output tree."""

    def jac(*args):
        if current_trace() is None:
            return eager_call(("jacfwd", fun, argnums, has_aux), jac, True, args, {})
        from .. import lax

        leaves, in_tree, flat_fun = _jacobian_inputs(
            "jacfwd", fun, argnums, has_aux, args, holomorphic
        )
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


def jacrev(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """Like jax.jacrev: for each output leaf, the VJP of every basis vector
    as one vmap of one reverse-mode request. Pytrees of inputs and outputs:
    the result nests the input tree inside the output tree."""

    def jac(*args):
        if current_trace() is None:
            return eager_call(("jacrev", fun, argnums, has_aux), jac, True, args, {})
        from .. import lax

        leaves, in_tree, flat_fun = _jacobian_inputs(
            "jacrev", fun, argnums, has_aux, args, holomorphic
        )
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


def hessian(fun, argnums=0, has_aux=False, holomorphic=False):
    """Like jax.hessian: jacfwd(jacrev(fun))."""
    return jacfwd(
        jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic),
        argnums,
        has_aux=has_aux,
        holomorphic=holomorphic,
    )


__all__ = ["hessian", "jacfwd", "jacobian", "jacrev"]
