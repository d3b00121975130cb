"""jnp.pad: every NumPy mode (constant, edge, linear_ramp, maximum, mean,
median, minimum, reflect/symmetric with reflect_type, wrap, empty) and a
callable, built from slices, flips, lax.pad and concatenate as JAX
builds them."""

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, user_error
from ..lax.slicing import slice_in_dim
from ..transforms.jit import jit
from .creation import empty_like
from .quantiles import median
from .reductions import amax, amin, mean
from .shape import flip, repeat, squeeze
from .ufuncs import round
from .util import asarray, broadcast_to


def _to_pairs(nvals, nd, name):
    """NumPy's pad-width forms ((b, a) per axis, (b, a), (p,), p) as pairs."""
    if isinstance(nvals, Tracer):
        raise user_error(
            TypeError,
            f"Abstract tracer value encountered where concrete value is expected: "
            f"{name} argument of jnp.pad",
        )
    try:
        arr = np.asarray(nvals.__array__() if hasattr(nvals, "__array__") else nvals)
    except ValueError as e:
        raise user_error(TypeError, f"`{name}` entries must be the same shape: {nvals}") from e
    if arr.shape == (nd, 2):
        return tuple((arr[i, 0], arr[i, 1]) for i in range(nd))
    if arr.shape == (1, 2):
        return ((arr[0, 0], arr[0, 1]),) * nd
    if arr.shape == (2,):
        return ((arr[0], arr[1]),) * nd
    if arr.shape == (1,):
        return ((arr[0], arr[0]),) * nd
    if arr.shape == ():
        return ((arr[()], arr[()]),) * nd
    raise user_error(
        ValueError,
        f"jnp.pad: {name} with nd={nd} has unsupported shape {arr.shape}. "
        f"Valid shapes are ({nd}, 2), (1, 2), (2,), (1,), or ().",
    )


def _check_no_padding(pair, mode):
    if pair[0] > 0 or pair[1] > 0:
        raise user_error(ValueError, f"Cannot apply '{mode}' padding to empty axis")


def _convert_like(x, array):
    return lax.convert_element_type(x, aval_of(array).dtype, aval_of(array).weak_type)


def _pad_constant(array, pad_width, constant_values):
    nd = aval_of(array).ndim
    cv = _convert_like(asarray(constant_values), array)
    cv_nd = aval_of(cv).ndim
    if cv_nd == 0 or (cv_nd == 1 and aval_of(cv).shape[-1] == 1):
        return lax.pad(array, lax.reshape(cv, ()), [(lo, hi, 0) for lo, hi in pad_width])
    if cv_nd == 1 and aval_of(cv).shape[-1] != 2:
        raise user_error(
            ValueError,
            f"jnp.pad: constant_values has unsupported shape {aval_of(cv).shape}. If the shape "
            "is 1D or 2D, the last dimension must be of size 1 or 2.",
        )
    cv = broadcast_to(cv, (nd, 2))
    for i in range(nd):
        for side in (0, 1):
            if pad_width[i][side]:
                widths = [(0, 0, 0)] * nd
                widths[i] = (pad_width[i][0], 0, 0) if side == 0 else (0, pad_width[i][1], 0)
                array = lax.pad(array, cv[i, side], widths)
    return array


def _pad_wrap(array, pad_width):
    for i in range(aval_of(array).ndim):
        size = aval_of(array).shape[i]
        if size == 0:
            _check_no_padding(pad_width[i], "wrap")
            continue
        left_reps, left_rem = divmod(pad_width[i][0], size)
        right_reps, right_rem = divmod(pad_width[i][1], size)
        parts = []
        if left_rem > 0:
            parts.append(slice_in_dim(array, size - left_rem, size, axis=i))
        parts += (left_reps + right_reps + 1) * [array]
        if right_rem > 0:
            parts.append(slice_in_dim(array, 0, right_rem, axis=i))
        array = lax.concatenate(parts, i)
    return array


def _pad_symmetric_or_reflect(array, pad_width, mode, reflect_type):
    for i in range(aval_of(array).ndim):
        axis_size = aval_of(array).shape[i]
        if axis_size == 0:
            _check_no_padding(pad_width[i], mode)
            continue
        offset = 1 if (mode == "reflect" and axis_size > 1) else 0
        for before in (True, False):
            padding = pad_width[i][0 if before else 1]
            n = aval_of(array).shape[i]
            edge = (
                slice_in_dim(array, 0, 1, axis=i)
                if before
                else slice_in_dim(array, n - 1, n, axis=i)
            )
            while padding > 0:
                curr = min(padding, axis_size - offset)
                padding -= curr
                n = aval_of(array).shape[i]
                if before:
                    start, stop = offset, offset + curr
                else:
                    start = n - (curr + offset)
                    stop = n if (mode == "symmetric" or axis_size == 1) else n - 1
                x = flip(slice_in_dim(array, start, stop, axis=i), i)
                if reflect_type == "odd":
                    x = lax.sub(lax.add(edge, edge), x)
                    if axis_size > 1:
                        m = aval_of(x).shape[i]
                        edge = (
                            slice_in_dim(x, 0, 1, axis=i)
                            if before
                            else slice_in_dim(x, m - 1, m, axis=i)
                        )
                array = lax.concatenate([x, array] if before else [array, x], i)
    return array


def _pad_edge(array, pad_width):
    for i in range(aval_of(array).ndim):
        n = aval_of(array).shape[i]
        if n == 0:
            _check_no_padding(pad_width[i], "edge")
            continue
        before = repeat(slice_in_dim(array, 0, 1, axis=i), pad_width[i][0], axis=i)
        after = repeat(slice_in_dim(array, n - 1, n, axis=i), pad_width[i][1], axis=i)
        array = lax.concatenate([before, array, after], i)
    return array


def _ramp(start, stop, num, axis, array):
    """linspace(start, stop, num, endpoint=False) along `axis`, in array's dtype."""
    shape = list(aval_of(stop).shape)
    shape.insert(axis, num)
    dtype = aval_of(array).dtype
    compute = dtype if dtypes.is_float(dtype) else dtypes.default_float()
    stop = lax.convert_element_type(stop, compute)
    start = lax.convert_element_type(asarray(start), compute)
    step = (
        lax.div(lax.iota(compute, num), lax.full((num,), num, compute))
        if num
        else lax.iota(compute, 0)
    )
    step = lax.broadcast_in_dim(step, tuple(shape), (axis,))
    dims = tuple(d for d in range(len(shape)) if d != axis)
    stop_b = lax.broadcast_in_dim(stop, tuple(shape), dims)
    start_b = lax.broadcast_in_dim(start, tuple(shape), ())
    one = lax.full_like(step, 1)
    out = lax.add(lax.mul(start_b, lax.sub(one, step)), lax.mul(stop_b, step))
    if not dtypes.is_float(dtype):
        out = lax.floor(out)
    return _convert_like(out, array)


def _pad_linear_ramp(array, pad_width, end_values):
    for axis in range(aval_of(array).ndim):
        n = aval_of(array).shape[axis]
        edge_before = squeeze(slice_in_dim(array, 0, 1, axis=axis), axis)
        edge_after = squeeze(slice_in_dim(array, n - 1, n, axis=axis), axis)
        before = _ramp(end_values[axis][0], edge_before, pad_width[axis][0], axis, array)
        after = flip(_ramp(end_values[axis][1], edge_after, pad_width[axis][1], axis, array), axis)
        array = lax.concatenate([before, array, after], axis)
    return array


def _pad_stats(array, pad_width, stat_length, stat_func):
    for i in range(aval_of(array).ndim):
        if stat_length is None:
            stat_before = stat_after = stat_func(array, axis=i, keepdims=True)
        else:
            n = aval_of(array).shape[i]
            lb, la = stat_length[i]
            if lb == 0 or la == 0:
                raise user_error(ValueError, "stat_length of 0 yields no value for padding")
            lb, la = min(lb, n), min(la, n)
            stat_before = stat_func(slice_in_dim(array, 0, lb, axis=i), axis=i, keepdims=True)
            stat_after = stat_func(slice_in_dim(array, n - la, n, axis=i), axis=i, keepdims=True)
        if dtypes.is_int(aval_of(array).dtype):
            stat_before, stat_after = round(stat_before), round(stat_after)
        stat_before = _convert_like(stat_before, array)
        stat_after = _convert_like(stat_after, array)
        before = repeat(stat_before, pad_width[i][0], axis=i)
        after = repeat(stat_after, pad_width[i][1], axis=i)
        array = lax.concatenate([before, array, after], i)
    return array


def _pad_empty(array, pad_width):
    for i in range(aval_of(array).ndim):
        shape = aval_of(array).shape
        before = empty_like(array, shape=shape[:i] + (pad_width[i][0],) + shape[i + 1 :])
        after = empty_like(array, shape=shape[:i] + (pad_width[i][1],) + shape[i + 1 :])
        array = lax.concatenate([before, array, after], i)
    return array


_STAT_FUNCS = {"maximum": amax, "minimum": amin, "mean": mean, "median": median}


def _pad_impl(array, pad_width, mode, constant_values, stat_length, end_values, reflect_type):
    nd = aval_of(array).ndim
    if nd == 0:
        return array
    if mode == "constant":
        return _pad_constant(array, pad_width, constant_values)
    if mode == "wrap":
        return _pad_wrap(array, pad_width)
    if mode in ("symmetric", "reflect"):
        return _pad_symmetric_or_reflect(array, pad_width, mode, reflect_type)
    if mode == "edge":
        return _pad_edge(array, pad_width)
    if mode == "linear_ramp":
        return _pad_linear_ramp(array, pad_width, _to_pairs(end_values, nd, "end_values"))
    if mode in _STAT_FUNCS:
        if stat_length is not None:
            stat_length = _to_pairs(stat_length, nd, "stat_length")
        return _pad_stats(array, pad_width, stat_length, _STAT_FUNCS[mode])
    return _pad_empty(array, pad_width)


class _Hashable:
    """A static argument compared by its NumPy value (pad widths, end values)."""

    def __init__(self, value):
        self.value = value
        self._key = repr(np.asarray(value, dtype=object).tolist()) if value is not None else None

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return isinstance(other, _Hashable) and self._key == other._key


def _pad_jit_impl(array, constant_values, pad_width, mode, stat_length, end_values, reflect_type):
    return _pad_impl(
        array,
        pad_width.value,
        mode,
        constant_values,
        stat_length.value,
        end_values.value,
        reflect_type,
    )


_pad_jit = jit(_pad_jit_impl, static_argnums=(2, 3, 4, 5, 6))

_ALLOWED_KWARGS = {
    "empty": [],
    "edge": [],
    "wrap": [],
    "constant": ["constant_values"],
    "linear_ramp": ["end_values"],
    "maximum": ["stat_length"],
    "mean": ["stat_length"],
    "median": ["stat_length"],
    "minimum": ["stat_length"],
    "reflect": ["reflect_type"],
    "symmetric": ["reflect_type"],
}


def pad(array, pad_width, mode="constant", **kwargs):
    """Like jnp.pad (pad widths, stat lengths and end values concrete)."""
    array = asarray(array)
    nd = aval_of(array).ndim
    pairs = _to_pairs(pad_width, nd, "pad_width")
    for p in pairs:
        for v in p:
            if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)):
                raise user_error(TypeError, "`pad_width` must be of integral type.")
    pairs = tuple((int(lo), int(hi)) for lo, hi in pairs)
    if callable(mode):
        return _pad_func(array, pairs, mode, **kwargs)
    if mode not in _ALLOWED_KWARGS:
        raise user_error(NotImplementedError, f"Unimplemented padding mode '{mode}' for np.pad.")
    unsupported = set(kwargs) - set(_ALLOWED_KWARGS[mode])
    if unsupported:
        raise user_error(
            ValueError, f"unsupported keyword arguments for mode '{mode}': {unsupported}"
        )
    if any(lo < 0 or hi < 0 for lo, hi in pairs):
        raise user_error(ValueError, "index can't contain negative values")
    reflect_type = kwargs.get("reflect_type", "even")
    if reflect_type not in ("even", "odd"):
        raise user_error(ValueError, f"reflect_type must be 'even' or 'odd', got {reflect_type!r}")
    return _pad_jit(
        array,
        kwargs.get("constant_values", 0),
        _Hashable(pairs),
        mode,
        _Hashable(kwargs.get("stat_length", None)),
        _Hashable(kwargs.get("end_values", 0)),
        reflect_type,
    )


def _pad_func(array, pad_width, func, **kwargs):
    from .numerics import apply_along_axis

    padded = _pad_constant(array, pad_width, 0)
    for axis in range(aval_of(padded).ndim):
        padded = apply_along_axis(func, axis, padded, pad_width[axis], axis, kwargs)
    return padded


__all__ = ["pad"]
