"""Autodiff markers: stop_gradient and optimization_barrier."""

from ..core import (
    Primitive,
    aval_of,
    dtypes,
)
from .common import _as_operand

# ---------------------------------------------------------------------------
# Autodiff markers
# ---------------------------------------------------------------------------

stop_gradient_p = Primitive("stop_gradient", lambda x: x)
optimization_barrier_p = Primitive("optimization_barrier", lambda *avals: list(avals))


def optimization_barrier(operand):
    """lax.optimization_barrier: the identity on a pytree of arrays, which
    the compiler may not optimize across (no CSE or code motion through it)."""
    from ..core import tree_util

    leaves, tree = tree_util.tree_flatten(operand)
    if not leaves:
        return operand
    return tree.unflatten(optimization_barrier_p.bind(*[_as_operand(x) for x in leaves]))


def stop_gradient(x):
    """lax.stop_gradient: the identity, with a zero derivative (on pytrees)."""
    from ..core import tree_util

    def one(leaf):
        leaf = _as_operand(leaf)
        if not dtypes.is_float(aval_of(leaf).dtype):
            return leaf
        return stop_gradient_p.bind(leaf)

    return tree_util.tree_map(one, x)
