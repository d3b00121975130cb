"""jax.lax functions that need a transformation: the generic `reduce`
(known monoids map to the fused reductions, any other computation runs as
a scan), `custom_root` and `custom_linear_solve` (implicit-function
derivatives), `rng_uniform`.

Derivatives of custom_root/custom_linear_solve: mlax's custom rules cannot
differentiate with respect to values a function closes over (f's
parameters usually are), so the implicit derivative is built as a
correction whose value is exactly zero and whose derivative is the
implicit one: x = x* + (d - stop_gradient(d)) with d = -tangent_solve(J, f(x*))
(custom_root) or d = solve(matvec, b - matvec(x*)) (custom_linear_solve),
x* the solver's stopped result. Since f(x*) = 0 (b - A x* = 0), the first
derivative of d is the implicit one: -J^-1 df (A^-1 (db - dA x*)).
Higher derivatives are not the implicit ones.
"""

import math
import operator

import numpy as np

from ..core import Tracer, aval_of, dtypes, tree_util, user_error
from ..lax import extras
from ..lax.common import _as_operand, _canon_axes
from ..lax.elementwise import (
    _scalar,
    add,
    bitcast_convert_type,
    bitwise_or,
    convert_element_type,
    full_like,
    mul,
    rem,
    shift_right_logical,
    sub,
)
from ..lax.markers import stop_gradient
from ..lax.random import iota_2x32_shape, threefry2x32
from ..lax.shape import broadcast_in_dim, reshape, transpose
from .autodiff import jvp
from .control_flow import scan


def _is_identity(init, kind, d):
    if isinstance(init, Tracer):  # not known to be the identity
        return False
    value = np.asarray(init)
    if value.shape != ():
        return False
    ident = extras._identity(kind, d)
    if isinstance(ident, np.floating) and ident == 0:
        return bool(value == 0) and not np.signbit(value) if kind == "add" else bool(value == 0)
    return bool(value == ident)


def reduce(operands, init_values, computation, dimensions, out_sharding=None):
    """jax.lax.reduce: `computation` folded over `dimensions` from
    `init_values` (pytrees of matching structure)."""
    flat_ops, tree = tree_util.tree_flatten(operands)
    flat_inits, init_tree = tree_util.tree_flatten(init_values)
    if tree != init_tree:
        raise user_error(
            ValueError,
            f"reduce: operands {tree} and init_values {init_tree} have different structures",
        )
    flat_ops = [_as_operand(o) for o in flat_ops]
    shapes = {aval_of(o).shape for o in flat_ops}
    if len(shapes) != 1:
        raise user_error(ValueError, f"reduce: operands must have one shape, got {sorted(shapes)}")
    (shape,) = shapes
    dims = _canon_axes("reduce", tuple(operator.index(d) for d in dimensions), len(shape))
    if len(flat_ops) == 1:
        op, init = flat_ops[0], flat_inits[0]
        d = aval_of(op).dtype
        monoid = extras.monoid_of(computation, d)
        if monoid is not None:
            kind, fused = monoid
            out = fused(op, dims)
            if not _is_identity(init, kind, d):  # a monoid: init folds in once
                out = computation(
                    out, broadcast_in_dim(_init_scalar(init, d), aval_of(out).shape, ())
                )
            return tree_util.tree_unflatten(tree, [out])
    return tree_util.tree_unflatten(
        tree, _reduce_by_scan(flat_ops, flat_inits, computation, dims, tree)
    )


def _init_scalar(init, d):
    return _scalar(init, d) if not hasattr(init, "shape") else convert_element_type(init, d)


def _reduce_by_scan(ops, inits, computation, dims, tree):
    shape = aval_of(ops[0]).shape
    kept = [i for i in range(len(shape)) if i not in dims]
    kept_shape = tuple(shape[i] for i in kept)
    n = math.prod(shape[i] for i in dims)
    rows = [reshape(transpose(o, list(dims) + kept), (n,) + kept_shape) for o in ops]
    carry0 = [
        broadcast_in_dim(_init_scalar(i, aval_of(o).dtype), kept_shape, ())
        for i, o in zip(inits, ops)
    ]

    def body(carry, row):
        out = computation(
            tree_util.tree_unflatten(tree, carry), tree_util.tree_unflatten(tree, row)
        )
        return tree_util.tree_leaves(out), None

    result, _ = scan(body, carry0, rows, length=n)
    return result


def _tree_sub(a, b):
    return tree_util.tree_map(sub, a, b)


def _tree_correction(x_star, delta, sign):
    """x_star + sign * (delta - stop_gradient(delta)): x_star's value with
    delta's derivative."""

    def one(x, d):
        zero_valued = sub(d, stop_gradient(d))
        return add(x, zero_valued) if sign > 0 else sub(x, zero_valued)

    return tree_util.tree_map(one, x_star, delta)


def custom_root(f, initial_guess, solve, tangent_solve, has_aux=False):
    """jax.lax.custom_root: solve(f, initial_guess) with the implicit-function
    derivative (tangent_solve(g, y) solves the linear g(x) = y)."""
    guess = tree_util.tree_map(stop_gradient, initial_guess)
    solution = solve(f, guess)
    aux = None
    if has_aux:
        solution, aux = solution
    x_star = tree_util.tree_map(stop_gradient, solution)

    def linearized(t):
        return jvp(f, (x_star,), (t,))[1]

    delta = tangent_solve(linearized, f(x_star))
    out = _tree_correction(x_star, delta, -1)
    return (out, aux) if has_aux else out


def custom_linear_solve(matvec, b, solve, transpose_solve=None, symmetric=False, has_aux=False):
    """jax.lax.custom_linear_solve: solve(matvec, b) with the derivative of
    A^-1 b (reverse mode differentiates `solve` on the residual; mlax does not
    use transpose_solve)."""
    solution = solve(matvec, b)
    aux = None
    if has_aux:
        solution, aux = solution
    x_star = tree_util.tree_map(stop_gradient, solution)
    residual = _tree_sub(b, matvec(x_star))
    delta = solve(matvec, residual)
    if has_aux:
        delta = delta[0]
    out = _tree_correction(x_star, delta, 1)
    return (out, aux) if has_aux else out


def rng_uniform(a, b, shape):
    """Uniform floats in [a, b) of `shape` (threefry bits of a fixed key:
    XLA's RngUniform stream is not reproduced, its range and dtype are)."""
    a, b = _as_operand(a), _as_operand(b)
    d = aval_of(a).dtype
    if aval_of(b).dtype != d or aval_of(a).shape != () or aval_of(b).shape != ():
        raise user_error(
            TypeError,
            f"rng_uniform requires scalar a and b of one dtype, got {d}{list(aval_of(a).shape)} "
            f"and {aval_of(b).dtype}{list(aval_of(b).shape)}",
        )
    shape = tuple(operator.index(s) for s in shape)
    hi, lo = iota_2x32_shape(shape)
    zero = full_like(hi, 0)
    bits, _ = threefry2x32(zero, zero, hi, lo)
    if dtypes.is_float(d):
        # 23 random mantissa bits under exponent 0: a float32 in [1, 2).
        mant = bitwise_or(
            shift_right_logical(bits, full_like(bits, 9)), full_like(bits, 0x3F800000)
        )
        unit = sub(bitcast_convert_type(mant, np.float32), full_like(mant, 1.0, np.float32))
        unit = convert_element_type(unit, d)
        span = sub(b, a)
        return add(broadcast_in_dim(a, shape, ()), mul(unit, broadcast_in_dim(span, shape, ())))
    if dtypes.is_int(d) and d != dtypes.bool_:
        span = convert_element_type(sub(b, a), np.uint32)
        offset = rem(bits, broadcast_in_dim(span, shape, ()))
        return add(broadcast_in_dim(a, shape, ()), convert_element_type(offset, d))
    raise user_error(TypeError, f"rng_uniform does not accept dtype {d}")
