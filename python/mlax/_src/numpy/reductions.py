"""Reductions: sum, prod, max, min, all, any, mean, var, std, argmax,
argmin."""

import builtins

import numpy as np

from .. import lax
from ..core import aval_of, current_trace, dtypes, user_error
from ..runtime.array import Array
from ..transforms.jit import jit
from .ufuncs import _to_bool, subtract
from .util import _broadcast_to_shape, _check_arraylike, _dtype_arg, asarray

# Reductions
# ---------------------------------------------------------------------------


def _reduction_axes(name, a, axis):
    ndim = aval_of(a).ndim
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return lax._canon_axes(name, tuple(axis), ndim)


def _keep(out, a, axes, keepdims):
    if not keepdims:
        return out
    shape = tuple(1 if i in axes else d for i, d in enumerate(aval_of(a).shape))
    return lax.reshape(out, shape)


_COMBINE = {"sum": "add", "prod": "mul", "max": "max", "min": "min", "all": "and", "any": "or"}


def _reduction_identity(name, dtype):
    if name == "sum" or name == "any":
        return 0
    if name == "prod" or name == "all":
        return 1
    if dtypes.is_float(dtype):
        return -np.inf if name == "max" else np.inf
    info = np.iinfo(dtype) if dtype != dtypes.bool_ else None
    if info is None:
        return 0 if name == "max" else 1
    return int(info.min) if name == "max" else int(info.max)


def _where_mask(a, where):
    """A reduction's `where=` as a boolean mask of `a`'s shape."""
    return _broadcast_to_shape(_to_bool(asarray(where)), aval_of(a).shape)


def _upcast_f16(dtype):
    """JAX's _upcast_f16: float16 and bfloat16 sums, products, means and
    variances compute in float32 and round once at the end."""
    return dtypes.float32 if dtype in (dtypes.float16, dtypes.bfloat16) else dtype


def _make_reduction(
    name, lax_reduce, upcast_bool=True, bool_result=False, identity_ok=True, upcast_f16=False
):
    def impl(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        if out is not None:
            raise user_error(NotImplementedError, f"The 'out' argument to {name} is not supported.")
        _check_arraylike(name, a)  # a list is a TypeError, as in JAX
        a = asarray(a)
        axes = _reduction_axes(name, a, axis)
        d = aval_of(a).dtype
        result_dtype = None
        if upcast_f16 and dtype is None and _upcast_f16(d) != d:
            result_dtype = d
            a = lax.convert_element_type(a, _upcast_f16(d))
        if bool_result:
            a = _to_bool(a)
        elif dtype is not None:
            a = lax.convert_element_type(a, _dtype_arg(dtype))
        elif upcast_bool and (d == dtypes.bool_ or (dtypes.is_int(d) and d.itemsize < 4)):
            a = lax.convert_element_type(
                a, dtypes.uint32 if dtypes.is_unsigned(d) else dtypes.default_int()
            )
        if where is not None:
            if not identity_ok and initial is None:
                raise user_error(
                    ValueError,
                    f"reduction operation {name} does not have an identity, so to use a where "
                    f"mask one has to specify 'initial'",
                )
            mask = _where_mask(a, where)
            fill = lax._scalar_like(a, _reduction_identity(name, aval_of(a).dtype))
            a = lax.select(mask, a, fill)
        if not identity_ok and initial is None:
            for ax in axes:
                if aval_of(a).shape[ax] == 0:
                    raise user_error(
                        ValueError,
                        f"zero-size array to reduction operation {name} which has no identity",
                    )
        result = lax_reduce(a, axes)
        if aval_of(result).weak_type:
            result = lax.convert_element_type(result, aval_of(result).dtype, False)
        if initial is not None:
            combine = getattr(
                lax, {"and": "bitwise_and", "or": "bitwise_or"}.get(_COMBINE[name], _COMBINE[name])
            )
            init = lax.convert_element_type(asarray(initial), aval_of(result).dtype)
            result = combine(result, _broadcast_to_shape(init, aval_of(result).shape))
        if result_dtype is not None:
            result = lax.convert_element_type(result, result_dtype)
        return _keep(result, a, axes, keepdims)

    impl.__name__ = name
    return jit(impl, static_argnames=("axis", "dtype", "keepdims", "out"))


sum = _make_reduction("sum", lax.reduce_sum, upcast_f16=True)
prod = _make_reduction("prod", lax.reduce_prod, upcast_f16=True)


def _complex_extreme(reduce):
    """lax.reduce_max/min, and for complex values JAX's lexicographic order:
    the extreme real part, then the extreme imaginary part among the
    elements holding it."""

    def extreme(a, axes):
        if not dtypes.is_complex(aval_of(a).dtype):
            return reduce(a, axes)
        re, im = lax.real(a), lax.imag(a)
        best_re = reduce(re, axes)
        kept = tuple(d for d in range(aval_of(a).ndim) if d not in axes)
        tied = lax.eq(re, lax.broadcast_in_dim(best_re, aval_of(re).shape, kept))
        worst = -np.inf if reduce is lax.reduce_max else np.inf
        best_im = reduce(lax.select(tied, im, lax.full_like(im, worst)), axes)
        return lax.complex(best_re, best_im)

    return extreme


max = amax = _make_reduction(
    "max", _complex_extreme(lax.reduce_max), upcast_bool=False, identity_ok=False
)
min = amin = _make_reduction(
    "min", _complex_extreme(lax.reduce_min), upcast_bool=False, identity_ok=False
)
all = _make_reduction("all", lax.reduce_and, bool_result=True)
any = _make_reduction("any", lax.reduce_or, bool_result=True)


def _count(a, axes, where):
    """The number of elements each reduction over `axes` sees: a static
    count, or the sum of the broadcast `where` mask."""
    if where is None:
        count = int(np.prod([aval_of(a).shape[i] for i in axes], dtype=np.int64))
        return lax._scalar(count, dtypes.default_int(), False), count
    mask = _where_mask(a, where)
    return lax.reduce_sum(lax.convert_element_type(mask, dtypes.default_int()), axes), None


def _masked(a, where):
    if where is None:
        return a
    mask = _where_mask(a, where)
    return lax.select(mask, a, lax.full(aval_of(a).shape, 0, aval_of(a).dtype))


def _reciprocal(count, dtype):
    """1 / count rounded to `dtype` (NaN if count is not positive)."""
    if count <= 0:
        return float("nan")
    return float(np.asarray(1, dtype) / np.asarray(count, dtype))


def _divide_by_count(total, count, static):
    """total / count, NaN where the count is not positive. `static` is the
    count as a Python number, or (eagerly) a traced argument holding the
    reciprocal of the count. A static count multiplies by its reciprocal:
    XLA rewrites JAX's division by a constant count so (14 / 3 is
    4.666667, not 4.6666665)."""
    if static is not None and not isinstance(static, (int, float)):
        return lax.mul(total, lax.convert_element_type(static, aval_of(total).dtype))
    if static is not None:
        dtype = dtypes.real_dtype(aval_of(total).dtype)
        return lax.mul(total, lax._scalar_like(total, _reciprocal(static, dtype)))
    count = lax.convert_element_type(count, aval_of(total).dtype)
    count = lax.select(
        lax.gt(count, lax._scalar_like(count, 0)),
        count,
        lax.full(aval_of(count).shape, np.nan, aval_of(count).dtype),
    )
    return lax.div(total, count)


def _mean_impl(a, axis=None, dtype=None, out=None, keepdims=False, where=None, divisor=None):
    a = asarray(a)
    axes = _reduction_axes("mean", a, axis)
    d = _dtype_arg(dtype) or (
        aval_of(a).dtype if dtypes.is_inexact(aval_of(a).dtype) else dtypes.default_float()
    )
    c = _upcast_f16(d) if dtype is None else d
    a = lax.convert_element_type(a, c)
    # An eager divisor argument leaves no shape-derived constant behind.
    count, static = (None, divisor) if divisor is not None else _count(a, axes, where)
    total = lax.reduce_sum(_masked(a, where), axes)
    result = lax.convert_element_type(_divide_by_count(total, count, static), d)
    return _keep(result, a, axes, keepdims)


_mean_jit = jit(_mean_impl, static_argnames=("axis", "dtype", "keepdims", "out"))


def _eager_divisor(a, axis, where, ddof):
    """Eagerly (no trace active), the reciprocal of the count - ddof a mean
    or variance divides by (rounded to float32, JAX's computation dtype;
    NaN if the count is not positive), as a float argument: the executable
    then holds no shape-derived constant and serves every shape
    (transforms/flat_kernels.py). None under a trace or with `where`."""
    if where is not None or current_trace() is not None or not isinstance(a, Array):
        return None
    if not isinstance(ddof, (int, float, np.integer, np.floating)):
        return None
    try:
        axes = _reduction_axes("mean", a, axis)
    except (TypeError, ValueError):
        return None  # the jitted function raises it
    count = int(np.prod([a.shape[i] for i in axes], dtype=np.int64)) - ddof
    return _reciprocal(count, dtypes.float64 if dtypes.config.x64 else dtypes.float32)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    _check_arraylike("mean", a)
    divisor = _eager_divisor(a, axis, where, 0)
    if divisor is None:
        return _mean_jit(a, axis, dtype, out, keepdims, where)
    return _mean_jit(a, axis, dtype, out, keepdims, None, divisor)


def _var_impl(
    a,
    axis=None,
    dtype=None,
    out=None,
    ddof=0,
    keepdims=False,
    where=None,
    correction=None,
    divisors=None,
):
    """divisors: eagerly, the reciprocals of (count, count - ddof) as
    arguments (_eager_divisor)."""
    a = asarray(a)
    if correction is not None:
        ddof = correction
    axes = _reduction_axes("var", a, axis)
    computation = dtypes.is_complex(aval_of(a).dtype) and aval_of(a).dtype
    d = _dtype_arg(dtype) or (
        aval_of(a).dtype if dtypes.is_inexact(aval_of(a).dtype) else dtypes.default_float()
    )
    # A complex variance is real: |x - mean|^2 (JAX's).
    d = dtypes.real_dtype(d)
    a = lax.convert_element_type(a, computation or _upcast_f16(d))
    mean_divisor, var_divisor = divisors if divisors is not None else (None, None)
    centered = subtract(
        a, _mean_impl(a, axis=axes, keepdims=True, where=where, divisor=mean_divisor)
    )
    if var_divisor is not None:
        count, static = None, var_divisor
    else:
        count, static = _count(a, axes, where)
        if static is not None:
            static -= ddof
        else:
            count = lax.sub(count, lax._scalar_like(count, ddof))
    if dtypes.is_complex(aval_of(centered).dtype):
        squares = lax.real(lax.mul(centered, lax.conj(centered)))
    else:
        squares = lax.mul(centered, centered)
    total = lax.reduce_sum(_masked(squares, where), axes)
    result = lax.convert_element_type(_divide_by_count(total, count, static), d)
    return _keep(result, a, axes, keepdims)


_VAR_STATIC = ("axis", "dtype", "keepdims", "out", "ddof", "correction")
_var_jit = jit(_var_impl, static_argnames=_VAR_STATIC)


def _std_impl(
    a,
    axis=None,
    dtype=None,
    out=None,
    ddof=0,
    keepdims=False,
    where=None,
    correction=None,
    divisors=None,
):
    return lax.sqrt(_var_impl(a, axis, dtype, out, ddof, keepdims, where, correction, divisors))


_std_jit = jit(_std_impl, static_argnames=_VAR_STATIC)


def _var_divisors(a, axis, where, ddof, correction):
    ddof = correction if correction is not None else ddof
    mean_divisor = _eager_divisor(a, axis, where, 0)
    if mean_divisor is None:
        return None
    var_divisor = _eager_divisor(a, axis, where, ddof)
    return None if var_divisor is None else (mean_divisor, var_divisor)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, correction=None):
    _check_arraylike("var", a)
    divisors = _var_divisors(a, axis, where, ddof, correction)
    return _var_jit(
        a, axis, dtype, out, ddof, keepdims, where, correction=correction, divisors=divisors
    )


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, correction=None):
    _check_arraylike("std", a)
    divisors = _var_divisors(a, axis, where, ddof, correction)
    return _std_jit(
        a, axis, dtype, out, ddof, keepdims, where, correction=correction, divisors=divisors
    )


def _arg_reduction(name, lax_fn):
    def impl(a, axis=None, out=None, keepdims=False):
        a = asarray(a)
        if dtypes.is_complex(aval_of(a).dtype):
            # JAX's arg reductions compare with lax.gt/lt, which take no complex.
            op = "gt" if name == "argmax" else "lt"
            raise user_error(
                TypeError,
                f"{op} does not accept dtype {aval_of(a).dtype.name} at position 0. Accepted "
                f"dtypes at position 0 are subtypes of integer, floating, bool.",
            )
        if aval_of(a).dtype == dtypes.bool_:
            a = lax.convert_element_type(a, dtypes.int32)
        if axis is None:
            a_flat = lax.reshape(a, (aval_of(a).size,))
            result = lax_fn(a_flat, 0, dtypes.default_int())
            if keepdims:
                result = lax.reshape(result, (1,) * aval_of(a).ndim)
            return result
        axis = lax._canon_axes(name, (axis,), aval_of(a).ndim)[0]
        result = lax_fn(a, axis, dtypes.default_int())
        return _keep(result, a, (axis,), keepdims)

    impl.__name__ = name
    return jit(impl, static_argnames=("axis", "out", "keepdims"))


argmax = _arg_reduction("argmax", lax.argmax)
argmin = _arg_reduction("argmin", lax.argmin)


# ---------------------------------------------------------------------------
# Cumulative reductions (lax.cumsum & co., parallel prefix scans)
# ---------------------------------------------------------------------------


def _cumulative_impl(a, axis, dtype, kind, nan_to):
    if nan_to is not None and dtypes.is_float(aval_of(a).dtype):
        a = lax.select(lax.ne(a, a), lax.full_like(a, nan_to), a)
    if axis is None:
        a = lax.reshape(a, (aval_of(a).size,))
        axis = 0
    if dtype is not None:
        a = lax.convert_element_type(a, dtype)
    elif aval_of(a).dtype == np.bool_:
        a = lax.convert_element_type(a, dtypes.default_int())
    fn = {"sum": lax.cumsum, "prod": lax.cumprod}[kind]
    return fn(a, axis=axis)


_cumulative_jit = jit(_cumulative_impl, static_argnums=(1, 2, 3, 4))


def _cumulative(name, kind, nan_to=None):
    def cumulative(a, axis=None, dtype=None, out=None):
        if out is not None:
            raise user_error(
                NotImplementedError, f"The 'out' argument to jnp.{name} is not supported."
            )
        a = asarray(a)
        if axis is not None:
            ndim = aval_of(a).ndim
            if not -ndim <= axis < builtins.max(ndim, 1):
                raise user_error(
                    ValueError, f"axis {axis} is out of bounds for array of dimension {ndim}"
                )
            axis = axis % builtins.max(ndim, 1)
        return _cumulative_jit(a, axis, _dtype_arg(dtype), kind, nan_to)

    cumulative.__name__ = name
    cumulative.__doc__ = f"Like jnp.{name}."
    return cumulative


cumsum = _cumulative("cumsum", "sum")
cumprod = _cumulative("cumprod", "prod")
nancumsum = _cumulative("nancumsum", "sum", 0)
nancumprod = _cumulative("nancumprod", "prod", 1)


def _cumulative_with_initial(name, kind):
    base = {"sum": cumsum, "prod": cumprod}[kind]

    def cumulative(x, /, *, axis=None, dtype=None, include_initial=False):
        x = asarray(x)
        if axis is None:
            if aval_of(x).ndim > 1:
                raise user_error(
                    ValueError,
                    f"The input array has rank {aval_of(x).ndim}, however axis was not set to "
                    f"an explicit value. The axis argument is only optional for "
                    f"one-dimensional arrays.",
                )
            axis = 0
        out = base(x, axis=axis, dtype=dtype)
        if include_initial:
            ndim = aval_of(out).ndim
            axis = axis % builtins.max(ndim, 1)
            shape = list(aval_of(out).shape)
            shape[axis] = 1
            first = lax.full(tuple(shape), 0 if kind == "sum" else 1, aval_of(out).dtype)
            out = lax.concatenate([first, out], axis)
        return out

    cumulative.__name__ = name
    cumulative.__doc__ = f"Like jnp.{name} (the array API's, with include_initial)."
    return cumulative


cumulative_sum = _cumulative_with_initial("cumulative_sum", "sum")
cumulative_prod = _cumulative_with_initial("cumulative_prod", "prod")
