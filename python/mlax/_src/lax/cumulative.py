"""Prefix scans: lax.associative_scan (a parallel prefix built from slices,
interior padding and concatenation, no loop op) and the cumulative
reductions (cumsum, cumprod, cummax, cummin, cumlogsumexp), which bind
their own mlax ops (with rules in the C++ tables) for numbers and fall back
to associative_scan for booleans (and integers, for cumlogsumexp).
"""

import numpy as np

from ..._mlir import ir
from ..core import Primitive, dtypes, i64_attr, tree_util, user_error
from . import elementwise, shape, slicing


def _every_other(x, start, axis, stop=None):
    """x[start:stop:2] along `axis`."""
    return slicing.slice_in_dim(x, start, x.shape[axis] if stop is None else stop, 2, axis)


def _interleave(evens, odds, axis):
    """e0 o0 e1 o1 ... along `axis` (evens has as many rows as odds, or one
    more): each spread out with interior padding, then added (or-ed)."""
    ne, no = evens.shape[axis], odds.shape[axis]
    pad_e = [(0, 0, 0)] * evens.ndim
    pad_o = [(0, 0, 0)] * odds.ndim
    pad_e[axis] = (0, 1 if ne == no else 0, 1)
    pad_o[axis] = (1, 0 if ne == no else 1, 1)
    zero = np.zeros((), evens.dtype)
    a = shape.pad(evens, zero, pad_e)
    b = shape.pad(odds, zero, pad_o)
    return elementwise.bitwise_or(a, b) if evens.dtype == np.bool_ else elementwise.add(a, b)


def associative_scan(fn, elems, reverse=False, axis=0):
    """Like jax.lax.associative_scan: all prefix combinations of `elems`
    (a pytree of arrays sharing the scanned axis) under the associative
    `fn`, in O(log n) rounds: combine neighbouring pairs, scan the half,
    then fill in the even positions."""
    leaves, tree = tree_util.tree_flatten(elems)
    if not leaves:
        return elems
    leaves = [elementwise._as_operand(x) for x in leaves]
    ndim = leaves[0].ndim
    if not -ndim <= axis < max(ndim, 1):
        raise user_error(ValueError, f"axis {axis} is out of bounds for {ndim}-d elements")
    axis = axis % ndim
    n = leaves[0].shape[axis]
    if any(x.shape[axis] != n for x in leaves[1:]):
        raise user_error(
            ValueError,
            f"Array inputs to associative_scan must have the same first dimension. (saw: "
            f"{[x.shape for x in leaves]})",
        )
    if reverse:
        leaves = [shape.rev(x, (axis,)) for x in leaves]

    def combine(a, b):
        out = fn(tree.unflatten(a), tree.unflatten(b))
        out_leaves, out_tree = tree_util.tree_flatten(out)
        if out_tree != tree:
            raise user_error(
                TypeError,
                f"associative_scan: fn returned {out_tree}, expected the structure of elems {tree}",
            )
        return out_leaves

    def prefix(xs):
        m = xs[0].shape[axis]
        if m < 2:
            return xs
        # Pairs (x0 x1) (x2 x3) ... combined; their prefixes are the odd
        # positions of the result.
        pairs = combine(
            [_every_other(x, 0, axis, m - 1 if m % 2 else m) for x in xs],
            [_every_other(x, 1, axis) for x in xs],
        )
        odds = prefix(pairs)
        # Even position 2k (k >= 1) is odd prefix 2k-1 combined with x[2k].
        tail = combine(
            [
                slicing.slice_in_dim(o, 0, o.shape[axis] - (0 if m % 2 else 1), axis=axis)
                for o in odds
            ],
            [_every_other(x, 2, axis) for x in xs],
        )
        evens = [
            shape.concatenate([slicing.slice_in_dim(x, 0, 1, axis=axis), t], axis)
            for x, t in zip(xs, tail)
        ]
        return [_interleave(e, o, axis) for e, o in zip(evens, odds)]

    out = prefix(leaves)
    if reverse:
        out = [shape.rev(x, (axis,)) for x in out]
    return tree.unflatten(out)


def _cumulative(name, combine):
    def cumulative(operand, axis=0, reverse=False):
        operand = elementwise._as_operand(operand)
        ndim = operand.ndim
        if not -ndim <= axis < max(ndim, 1):
            raise user_error(
                ValueError, f"{name}: axis {axis} is out of bounds for {ndim}-d operand"
            )
        if ndim == 0:
            return operand
        return associative_scan(combine, operand, reverse=reverse, axis=axis % ndim)

    cumulative.__name__ = name
    cumulative.__doc__ = f"lax.{name}: the running {name[3:]} along `axis`."
    return cumulative


def _logaddexp(a, b):
    hi, lo = elementwise.max(a, b), elementwise.min(a, b)
    out = elementwise.add(hi, elementwise.log1p(elementwise.exp(elementwise.sub(lo, hi))))
    # -inf with -inf (and inf with inf) stays put instead of inf - inf.
    return elementwise.select(elementwise.is_finite(hi), out, hi)


def _bool_or_add(a, b):
    if a.dtype == np.bool_:
        return elementwise.bitwise_or(a, b)
    return elementwise.add(a, b)


def _bool_and_mul(a, b):
    if a.dtype == np.bool_:
        return elementwise.bitwise_and(a, b)
    return elementwise.mul(a, b)


def _op(name, combine, floats_only=False):
    """lax.<name> binding mlax.<name> (a bandwidth-bound scan with rules of
    its own, docs/indexing.md); booleans (and, for cumlogsumexp, integers)
    stay on the prefix scan of `combine`, as before the op existed."""
    scan = _cumulative(name, combine)
    primitive = Primitive(
        name,
        lambda x, *, axis, reverse: x.update(),
        lambda axis, reverse: {"axis": i64_attr(axis), "reverse": ir.BoolAttr.get(bool(reverse))},
    )

    def cumulative(operand, axis=0, reverse=False):
        operand = elementwise._as_operand(operand)
        ndim = operand.ndim
        if not -ndim <= axis < max(ndim, 1):
            raise user_error(
                ValueError, f"{name}: axis {axis} is out of bounds for {ndim}-d operand"
            )
        dtype = np.dtype(operand.dtype)
        if dtypes.is_complex(dtype) and name == "cumsum" and ndim:
            # Complex sums are the sums of the parts.
            parts = (elementwise.real(operand), elementwise.imag(operand))
            return elementwise.complex(*(cumulative(p, axis, reverse) for p in parts))
        # The op takes real values; complex products and extrema scan.
        on_scan = (
            dtype == np.bool_
            or dtypes.is_complex(dtype)
            or (floats_only and not dtypes.is_float(dtype))
        )
        if ndim == 0 or on_scan:
            return scan(operand, axis, reverse)
        bind = lambda x: primitive.bind(x, axis=axis % ndim, reverse=bool(reverse))
        if name == "cumsum":  # cumprod and cumlogsumexp stay narrow, as in JAX
            return elementwise.accumulate_wide(bind, operand)
        return bind(operand)

    cumulative.__name__ = name
    cumulative.__doc__ = (
        f"lax.{name}: the running {name[3:]} along `axis` (from the end if `reverse`)."
    )
    return primitive, cumulative


cumsum_p, cumsum = _op("cumsum", _bool_or_add)
cumprod_p, cumprod = _op("cumprod", _bool_and_mul)
cummax_p, cummax = _op("cummax", elementwise.max)
cummin_p, cummin = _op("cummin", elementwise.min)
cumlogsumexp_p, cumlogsumexp = _op("cumlogsumexp", _logaddexp, floats_only=True)
