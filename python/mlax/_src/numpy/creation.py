"""Array creation: array/asarray, full/zeros/ones/empty (and _like),
arange, linspace, eye, identity."""

import builtins
import math
import operator

import numpy as np

from .. import lax
from ..core import ConcretizationTypeError, Tracer, aval_of, dtypes, hooks, user_error
from ..lax.elementwise import host_constant
from ..transforms.jit import jit
from .ufuncs import multiply
from .util import _dtype_arg, _is_array, asarray, broadcast_to, check_nonnegative_shape

# Array creation
# ---------------------------------------------------------------------------


def _shape_arg(shape):
    if not isinstance(shape, (tuple, list)) and np.ndim(shape) == 0:
        shape = (shape,)  # JAX names a scalar shape as a 1-tuple
    try:
        shape = tuple(operator.index(d) for d in shape)
    except TypeError:
        raise user_error(
            TypeError,
            f"Shapes must be 1D sequences of concrete values of integer type, got {shape!r}.",
        ) from None
    check_nonnegative_shape(shape)
    return shape


def full(shape, fill_value, dtype=None):
    shape = _shape_arg(shape)
    dtype = _dtype_arg(dtype, "full")
    if _is_array(fill_value):
        fv = fill_value if dtype is None else lax.convert_element_type(fill_value, dtype)
        return broadcast_to(fv, shape)
    return lax.full(shape, fill_value, dtype)


def zeros(shape, dtype=None):
    return lax.full(_shape_arg(shape), 0, _dtype_arg(dtype, "zeros") or dtypes.default_float())


def ones(shape, dtype=None):
    return lax.full(_shape_arg(shape), 1, _dtype_arg(dtype, "ones") or dtypes.default_float())


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


def _check_concrete(v, context):
    if isinstance(v, Tracer):
        raise user_error(
            ConcretizationTypeError,
            f"Abstract tracer value encountered where concrete value is expected: traced "
            f"array with shape {aval_of(v).str_long()}\nThe problem arose with the {context}.",
        )


def arange(start, stop=None, step=None, dtype=None):
    names = ("start", "stop", "step") if stop is not None else ("stop", "start", "step")
    for name, v in zip(names, (start, stop, step)):
        if _is_array(v) and isinstance(v, Tracer):
            raise user_error(
                ConcretizationTypeError,
                f"Abstract tracer value encountered where concrete value is expected: traced "
                f"array with shape {aval_of(v).str_long()}\nIt arose in the jnp.arange "
                f"argument '{name}'",
            )
    start, stop, step = (
        None if v is None else (v.item() if _is_array(v) else v) for v in (start, stop, step)
    )
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = dtypes.result_type(*[v for v in (start, stop, step) if v is not None])
    else:
        dtype = _dtype_arg(dtype, "arange")
    dtype = _dtype_arg(dtype)
    # JAX's three cases: start + step * iota in a working dtype (float32 for
    # narrower floats), iota, start + iota.
    if step is not None:
        size = builtins.max(0, math.ceil((stop - start) / step))
        narrow = dtypes.is_float(dtype) and np.dtype(dtype).itemsize < 4
        work = np.dtype(np.float32) if narrow else dtype
        if host_constant((size,)):
            first, delta = np.asarray(start).astype(work), np.asarray(step).astype(work)
            return _host_array((first + delta * np.arange(size).astype(work)).astype(dtype))
        iota = lax.iota(work, size)
        out = lax.add(_work_scalar(start, work), lax.mul(_work_scalar(step, work), iota))
        return lax.convert_element_type(out, dtype)
    if start == 0:
        return lax.iota(dtype, builtins.max(0, math.ceil(stop)))
    size = builtins.max(0, math.ceil(stop - start))
    if host_constant((size,)):
        return _host_array(np.asarray(start).astype(dtype) + np.arange(size).astype(dtype))
    return lax.add(lax.full((), start, dtype), lax.iota(dtype, size))


def _work_scalar(value, dtype):
    return lax.full((), np.asarray(value).astype(dtype), dtype)


def _host_array(value):
    """An eager constant made on the host (see lax.elementwise.HOST_CONSTANT_MAX)."""
    return hooks.device_put(np.ascontiguousarray(value))


def _fused_multiply_add(a, b, c):
    """a * b + c rounded once (XLA's CPU fma), for float32/float64: the
    product's rounding error by Dekker's split, the sum's by Knuth's
    two-sum; other dtypes round twice."""
    shape = np.broadcast_shapes(*(aval_of(v).shape for v in (a, b, c)))
    a, b, c = (broadcast_to(v, shape) for v in (a, b, c))
    dtype = aval_of(a).dtype
    if dtype not in (np.float32, np.float64):
        return lax.add(lax.mul(a, b), c)
    splitter = lax.full(aval_of(a).shape, 2.0 ** ((np.finfo(dtype).nmant + 2) // 2) + 1, dtype)

    def split(x):
        scaled = lax.mul(splitter, x)
        high = lax.sub(scaled, lax.sub(scaled, x))
        return high, lax.sub(x, high)

    product = lax.mul(a, b)
    (a_hi, a_lo), (b_hi, b_lo) = split(a), split(b)
    product_error = lax.add(
        lax.add(
            lax.add(lax.sub(lax.mul(a_hi, b_hi), product), lax.mul(a_hi, b_lo)), lax.mul(a_lo, b_hi)
        ),
        lax.mul(a_lo, b_lo),
    )
    total = lax.add(product, c)
    c_part = lax.sub(total, product)
    sum_error = lax.add(lax.sub(product, lax.sub(total, c_part)), lax.sub(c, c_part))
    return lax.add(total, lax.add(sum_error, product_error))


def _linspace_impl(start, stop, num, endpoint, retstep, dtype, axis):
    # JAX's formula: start * (1 - t) + stop * t with t = i / div in the
    # computation dtype (both endpoints exact), the stop appended for
    # endpoint=True; integer outputs floored. As XLA compiles it, so the
    # printed values are JAX's (linspace(-3, 3, 7) has 1. and 2., not
    # 1.0000001): the division by div is a multiply by its reciprocal,
    # a scalar stop's stop * t is i * (stop / div), and that product and
    # the sum are one fused multiply-add.
    compute = dtype if dtypes.is_inexact(dtype) else dtypes.default_float()
    start = lax.convert_element_type(start, compute)
    stop = lax.convert_element_type(stop, compute)
    bounds = list(np.broadcast_shapes(aval_of(start).shape, aval_of(stop).shape))
    start, stop = broadcast_to(start, bounds), broadcast_to(stop, bounds)
    axis = len(bounds) + axis + 1 if axis < 0 else axis
    shape = bounds[:axis] + [1] + bounds[axis:]
    div = (num - 1) if endpoint else num
    if num > 1:
        reciprocal = np.asarray(1, compute) / np.asarray(div, compute)
        delta = lax.mul(lax.sub(stop, start), lax.full((), reciprocal, compute))
        t_shape = [1] * len(shape)
        t_shape[axis] = div
        # t and 1 - t as host constants: IREE would contract 1 - i * r into
        # one fma, which rounds differently from XLA's two steps.
        i_host = np.arange(div, dtype=compute).reshape(t_shape)
        t_host = i_host * reciprocal
        lo, hi = lax.reshape(start, tuple(shape)), lax.reshape(stop, tuple(shape))
        low_part = multiply(lo, asarray(np.asarray(1, compute) - t_host))
        if bounds:
            out = _fused_multiply_add(hi, asarray(t_host), low_part)
        else:
            out = _fused_multiply_add(
                asarray(i_host), lax.mul(hi, lax.full(tuple(shape), reciprocal, compute)), low_part
            )
        if endpoint:
            out = lax.concatenate([out, hi], axis)
    elif num == 1:
        delta = lax.full(tuple(bounds), np.nan, compute) if endpoint else lax.sub(stop, start)
        out = lax.reshape(start, tuple(shape))
    else:
        delta = lax.full((), np.nan, compute)
        out = lax.full(tuple(bounds[:axis] + [0] + bounds[axis:]), 0, compute)
    if not dtypes.is_inexact(dtype):
        out = lax.floor(out)
    out = lax.convert_element_type(out, dtype)
    return (out, delta) if retstep else out


_linspace_jit = jit(_linspace_impl, static_argnums=(2, 3, 4, 5, 6))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """Like jnp.linspace, with array endpoints and `axis`, computed as JAX does."""
    _check_concrete(num, "'num' argument of jnp.linspace")
    num = operator.index(num)
    if num < 0:
        raise user_error(ValueError, f"Number of samples, {num}, must be non-negative.")
    start, stop = asarray(start), asarray(stop)
    if dtype is None:
        dtype = dtypes.result_type(start, stop)
        if not dtypes.is_inexact(dtype):
            dtype = dtypes.default_float()
    else:
        dtype = _dtype_arg(dtype, "linspace")
    return _linspace_jit(start, stop, num, bool(endpoint), bool(retstep), dtype, int(axis))


def eye(N, M=None, k=0, dtype=None):
    given_m = M
    M = N if M is None else M
    dtype = _dtype_arg(dtype, "eye") or dtypes.default_float()
    N, M, k = operator.index(N), operator.index(M), operator.index(k)
    if N < 0 or M < 0:
        raise user_error(ValueError, f"negative dimensions are not allowed, got {N} and {given_m}")
    if host_constant((N, M)):
        return _host_array(np.eye(N, M, k, dtype))
    rows = lax.broadcasted_iota(dtypes.int32, (N, M), 0)
    cols = lax.broadcasted_iota(dtypes.int32, (N, M), 1)
    return lax.convert_element_type(lax.eq(lax.add(rows, k), cols), dtype)


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


# ---------------------------------------------------------------------------
