"""jnp.fft: the transforms (on lax.fft, a composition of mlax ops), sample
frequencies and shifts, with JAX's arguments, norms and dtypes."""

import operator

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .complex_numbers import conjugate
from .selection import roll
from .shape import moveaxis
from .util import _dtype_arg, asarray


def _freq(n, d, dtype, half):
    n = operator.index(n)
    dtype = _dtype_arg(dtype) or dtypes.default_float()
    if n <= 0 and not half:
        raise user_error(ValueError, f"n should be a positive integer, got {n}")
    i = lax.iota(dtypes.int32, n // 2 + 1 if half else n)
    if not half:
        # 0, 1, ..., (n-1)//2, -(n//2), ..., -1
        i = lax.select(
            lax.lt(i, lax.full_like(i, (n + 1) // 2)), i, lax.sub(i, lax.full_like(i, n))
        )
    out = lax.div(lax.convert_element_type(i, dtype), lax.full((), n * d, dtype))
    return out


def fftfreq(n, d=1.0, *, dtype=None, device=None):
    """Like jnp.fft.fftfreq."""
    return _freq(n, d, dtype, half=False)


def rfftfreq(n, d=1.0, *, dtype=None, device=None):
    """Like jnp.fft.rfftfreq."""
    return _freq(n, d, dtype, half=True)


def _shift(x, axes, sign):
    x = asarray(x)
    if axes is None:
        axes = tuple(range(aval_of(x).ndim))
    elif isinstance(axes, int):
        axes = (axes,)
    shifts = [sign * (aval_of(x).shape[ax] // 2) for ax in axes]
    return roll(x, tuple(shifts), tuple(axes))


def fftshift(x, axes=None):
    """Like jnp.fft.fftshift."""
    return _shift(x, axes, 1)


def ifftshift(x, axes=None):
    """Like jnp.fft.ifftshift."""
    return _shift(x, axes, -1)


def _fft_norm(s, func_name, norm):
    n = float(np.prod(s, dtype=np.float64))
    if norm is None or norm == "backward":
        return None
    if norm == "ortho":
        return np.sqrt(n) if func_name.startswith("i") else 1 / np.sqrt(n)
    if norm == "forward":
        return n if func_name.startswith("i") else 1 / n
    raise user_error(
        ValueError, f'Invalid norm value {norm}; should be "backward","ortho" or "forward".'
    )


def _fft_core(func_name, fft_type, a, s, axes, norm):
    """JAX's _fft_core: crop or zero-pad to `s`, move `axes` last, one
    lax.fft, the norm's scale, the axes moved back."""
    arr = asarray(a)
    if s is not None:
        s = tuple(operator.index(n) for n in s)
        if any(n < 0 for n in s):
            raise user_error(ValueError, "Shape should be a non-negative tuple of integers.")
    if s is not None and axes is not None and len(s) != len(axes):
        raise user_error(ValueError, "Shape and axes have different lengths.")
    orig_axes = axes
    ndim = aval_of(arr).ndim
    if axes is None:
        axes = tuple(range(ndim)) if s is None else tuple(range(ndim - len(s), ndim))
    else:
        axes = tuple(operator.index(ax) for ax in axes)
        for ax in axes:
            if not -ndim <= ax < ndim:
                raise user_error(
                    ValueError, f"axis {ax} is out of bounds for array of dimension {ndim}"
                )
        axes = tuple(ax % ndim for ax in axes)
    if len(axes) != len(set(axes)):
        raise user_error(
            ValueError,
            f"jax.numpy.fft.{func_name} does not support repeated axes. Got axes {axes}.",
        )
    arr = _fft_input(fft_type, arr)
    if len(axes) > 3:
        # lax.fft takes at most three axes: the leading ones first, as JAX.
        if fft_type == lax.FftType.RFFT:
            rest = _fft_core(func_name, fft_type, arr, s and s[-3:], axes[-3:], norm)
            return _fft_core(func_name, lax.FftType.FFT, rest, s and s[:-3], axes[:-3], norm)
        if fft_type == lax.FftType.IRFFT:
            rest = _fft_core(func_name, lax.FftType.IFFT, arr, s and s[:-3], axes[:-3], norm)
            return _fft_core(func_name, fft_type, rest, s and s[-3:], axes[-3:], norm)
        rest = _fft_core(func_name, fft_type, arr, s and s[:-3], axes[:-3], norm)
        return _fft_core(func_name, fft_type, rest, s and s[-3:], axes[-3:], norm)
    if orig_axes is not None:
        last = tuple(range(ndim - len(axes), ndim))
        arr = moveaxis(arr, axes, last)
        axes = last
    shape = aval_of(arr).shape
    if s is not None:
        in_s = list(shape)
        for ax, n in zip(axes, s):
            in_s[ax] = n
        if fft_type == lax.FftType.IRFFT:
            in_s[-1] = in_s[-1] // 2 + 1
        cropped = tuple(min(n, d) for n, d in zip(in_s, shape))
        if cropped != shape:
            arr = lax.slice(arr, (0,) * ndim, cropped)
        if tuple(in_s) != cropped:
            zero = lax.full((), 0, aval_of(arr).dtype)
            arr = lax.pad(arr, zero, [(0, n - d, 0) for n, d in zip(in_s, cropped)])
    else:
        if fft_type == lax.FftType.IRFFT:
            s = [shape[ax] for ax in axes[:-1]]
            if axes:
                s += [max(0, 2 * (shape[axes[-1]] - 1))]
        else:
            s = [shape[ax] for ax in axes]
    if not axes:
        return arr
    if any(n == 0 for n in s):
        raise user_error(ValueError, "Shape should be positive.")
    out = lax.fft(arr, fft_type, tuple(s))
    factor = _fft_norm(s, func_name, norm)
    if factor is not None:
        out = lax.mul(out, lax.full_like(out, factor))
    if orig_axes is not None:
        out = moveaxis(out, axes, tuple(operator.index(ax) % ndim for ax in orig_axes))
    return out


def _fft_input(fft_type, arr):
    """JAX's input dtypes: complex for FFT, IFFT and IRFFT; real for RFFT."""
    d = aval_of(arr).dtype
    if fft_type == lax.FftType.RFFT:
        if dtypes.is_complex(d):
            raise user_error(ValueError, "only real valued inputs supported for rfft")
        if not dtypes.is_float(d) or d in (dtypes.float16, dtypes.bfloat16):
            arr = lax.convert_element_type(arr, dtypes.default_float())
        return arr
    if not dtypes.is_complex(d):
        part = d if d in (dtypes.float32, dtypes.float64) else dtypes.default_float()
        arr = lax.convert_element_type(arr, dtypes.complex_dtype(part))
    return arr


def _axis_check_1d(func_name, axis):
    if isinstance(axis, (list, tuple)):
        raise user_error(
            ValueError,
            f"jax.numpy.fft.{func_name} does not support multiple axes. Please use "
            f"jax.numpy.fft.{func_name}n. Got axis = {axis}.",
        )


def _fft_core_1d(func_name, fft_type, a, n, axis, norm):
    _axis_check_1d(func_name, axis)
    axes = None if axis is None else [axis]
    return _fft_core(func_name, fft_type, a, None if n is None else [n], axes, norm)


def _fft_core_2d(func_name, fft_type, a, s, axes, norm):
    if len(axes) != 2:
        raise user_error(
            ValueError,
            f"jax.numpy.fft.{func_name} only supports 2 axes. Got axes = {axes}.",
        )
    return _fft_core(func_name, fft_type, a, s, axes, norm)


def fft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.fft."""
    return _fft_core_1d("fft", lax.FftType.FFT, a, n, axis, norm)


def ifft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.ifft."""
    return _fft_core_1d("ifft", lax.FftType.IFFT, a, n, axis, norm)


def rfft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.rfft."""
    return _fft_core_1d("rfft", lax.FftType.RFFT, a, n, axis, norm)


def irfft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.irfft."""
    return _fft_core_1d("irfft", lax.FftType.IRFFT, a, n, axis, norm)


def hfft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.hfft: irfft of conj(a), scaled by the output length."""
    conj_a = conjugate(asarray(a))
    _axis_check_1d("hfft", axis)
    nn = (aval_of(conj_a).shape[axis] - 1) * 2 if n is None else n
    out = _fft_core_1d("hfft", lax.FftType.IRFFT, conj_a, n, axis, norm)
    return lax.mul(out, lax.full_like(out, nn))


def ihfft(a, n=None, axis=-1, norm=None):
    """Like jnp.fft.ihfft: conj(rfft(a)) / n."""
    _axis_check_1d("ihfft", axis)
    arr = asarray(a)
    nn = aval_of(arr).shape[axis] if n is None else n
    out = _fft_core_1d("ihfft", lax.FftType.RFFT, arr, n, axis, norm)
    out = lax.conj(out)
    return lax.mul(out, lax.full_like(out, 1 / nn))


def fftn(a, s=None, axes=None, norm=None):
    """Like jnp.fft.fftn."""
    return _fft_core("fftn", lax.FftType.FFT, a, s, axes, norm)


def ifftn(a, s=None, axes=None, norm=None):
    """Like jnp.fft.ifftn."""
    return _fft_core("ifftn", lax.FftType.IFFT, a, s, axes, norm)


def rfftn(a, s=None, axes=None, norm=None):
    """Like jnp.fft.rfftn."""
    return _fft_core("rfftn", lax.FftType.RFFT, a, s, axes, norm)


def irfftn(a, s=None, axes=None, norm=None):
    """Like jnp.fft.irfftn."""
    return _fft_core("irfftn", lax.FftType.IRFFT, a, s, axes, norm)


def fft2(a, s=None, axes=(-2, -1), norm=None):
    """Like jnp.fft.fft2."""
    return _fft_core_2d("fft2", lax.FftType.FFT, a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None):
    """Like jnp.fft.ifft2."""
    return _fft_core_2d("ifft2", lax.FftType.IFFT, a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None):
    """Like jnp.fft.rfft2."""
    return _fft_core_2d("rfft2", lax.FftType.RFFT, a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None):
    """Like jnp.fft.irfft2."""
    return _fft_core_2d("irfft2", lax.FftType.IRFFT, a, s, axes, norm)
