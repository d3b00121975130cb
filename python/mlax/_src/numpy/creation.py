"""Array creation: array/asarray, full/zeros/ones/empty (and _like),
arange, linspace, eye, identity."""

import builtins
import math
import operator

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, user_error
from ..transforms.jit import jit
from .ufuncs import add, multiply
from .util import _dtype_arg, _is_array, asarray, broadcast_to

# Array creation
# ---------------------------------------------------------------------------


def _shape_arg(shape):
    if isinstance(shape, (int, np.integer)):
        return (operator.index(shape),)
    try:
        shape = tuple(operator.index(d) for d in shape)
    except TypeError:
        raise user_error(
            TypeError,
            f"Shapes must be 1D sequences of concrete values of integer type, got {shape!r}.",
        ) from None
    if builtins.any(d < 0 for d in shape):
        raise user_error(
            TypeError,
            f"broadcast_in_dim shape must have every element be nonnegative, got {shape}.",
        )
    return shape


def full(shape, fill_value, dtype=None):
    shape = _shape_arg(shape)
    dtype = _dtype_arg(dtype)
    if _is_array(fill_value):
        fv = fill_value if dtype is None else lax.convert_element_type(fill_value, dtype)
        return broadcast_to(fv, shape)
    return lax.full(shape, fill_value, dtype)


def zeros(shape, dtype=None):
    return lax.full(_shape_arg(shape), 0, _dtype_arg(dtype) or dtypes.default_float())


def ones(shape, dtype=None):
    return lax.full(_shape_arg(shape), 1, _dtype_arg(dtype) or dtypes.default_float())


def empty(shape, dtype=None):
    return zeros(shape, dtype)


def full_like(a, fill_value, dtype=None, shape=None):
    a_aval = aval_of(asarray(a))
    return full(a_aval.shape if shape is None else shape, fill_value, dtype=dtype or a_aval.dtype)


def zeros_like(a, dtype=None, shape=None):
    return full_like(a, 0, dtype, shape)


def ones_like(a, dtype=None, shape=None):
    return full_like(a, 1, dtype, shape)


def empty_like(a, dtype=None, shape=None):
    return zeros_like(a, dtype, shape)


def arange(start, stop=None, step=None, dtype=None):
    for v in (start, stop, step):
        if _is_array(v) and isinstance(v, Tracer):
            raise user_error(TypeError, "arange requires concrete (non-traced) start/stop/step")
    start, stop, step = (
        None if v is None else (v.item() if _is_array(v) else v) for v in (start, stop, step)
    )
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = dtypes.result_type(*[v for v in (start, stop, step) if v is not None])
    dtype = _dtype_arg(dtype)
    size = builtins.max(0, int(math.ceil((stop - start) / step)))
    if start == 0 and step == 1:
        return lax.iota(dtype, size)
    iota = lax.iota(dtypes.default_float() if dtypes.is_float(dtype) else dtype, size)
    if dtypes.is_float(dtype):
        out = add(multiply(iota, step), start)
        return lax.convert_element_type(out, dtype)
    return lax.convert_element_type(add(multiply(iota, step), start), dtype)


def _linspace_impl(start, stop, num, endpoint, retstep, dtype, axis):
    # JAX's formula: start * (1 - t) + stop * t with t = i / div in the
    # computation dtype (both endpoints exact), the stop appended for
    # endpoint=True; integer outputs floored.
    compute = dtype if dtypes.is_float(dtype) else dtypes.default_float()
    start = lax.convert_element_type(start, compute)
    stop = lax.convert_element_type(stop, compute)
    bounds = list(np.broadcast_shapes(aval_of(start).shape, aval_of(stop).shape))
    start, stop = broadcast_to(start, bounds), broadcast_to(stop, bounds)
    axis = len(bounds) + axis + 1 if axis < 0 else axis
    shape = bounds[:axis] + [1] + bounds[axis:]
    div = (num - 1) if endpoint else num
    if num > 1:
        delta = lax.div(lax.sub(stop, start), lax.full((), div, compute))
        t = lax.div(lax.iota(compute, div), lax.full((), div, compute))
        t_shape = [1] * len(shape)
        t_shape[axis] = div
        t = lax.reshape(t, tuple(t_shape))
        lo, hi = lax.reshape(start, tuple(shape)), lax.reshape(stop, tuple(shape))
        out = add(multiply(lo, lax.sub(lax.full(tuple(t_shape), 1, compute), t)), multiply(hi, t))
        if endpoint:
            out = lax.concatenate([out, hi], axis)
    elif num == 1:
        delta = lax.full(tuple(bounds), np.nan, compute) if endpoint else lax.sub(stop, start)
        out = lax.reshape(start, tuple(shape))
    else:
        delta = lax.full((), np.nan, compute)
        out = lax.full(tuple(bounds[:axis] + [0] + bounds[axis:]), 0, compute)
    if not dtypes.is_float(dtype):
        out = lax.floor(out)
    out = lax.convert_element_type(out, dtype)
    return (out, delta) if retstep else out


_linspace_jit = jit(_linspace_impl, static_argnums=(2, 3, 4, 5, 6))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """Like jnp.linspace, with array endpoints and `axis`, computed as JAX does."""
    num = operator.index(num)
    if num < 0:
        raise user_error(ValueError, f"Number of samples, {num}, must be non-negative.")
    start, stop = asarray(start), asarray(stop)
    if dtype is None:
        dtype = dtypes.result_type(start, stop)
        if not dtypes.is_float(dtype):
            dtype = dtypes.default_float()
    else:
        dtype = _dtype_arg(dtype)
    return _linspace_jit(start, stop, num, bool(endpoint), bool(retstep), dtype, int(axis))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dtype = _dtype_arg(dtype) or dtypes.default_float()
    rows = lax.broadcasted_iota(dtypes.int32, (N, M), 0)
    cols = lax.broadcasted_iota(dtypes.int32, (N, M), 1)
    return lax.convert_element_type(lax.eq(lax.add(rows, k), cols), dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


# ---------------------------------------------------------------------------
