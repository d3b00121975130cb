"""jax.scipy.signal's spectral estimators: stft, istft, csd and welch, as
JAX 0.10 computes them (windowed segments through jnp.fft, Hann windows
without scipy, other windows from scipy.signal.get_window)."""

import math
import operator
import warnings
from functools import partial

import numpy as np

from ..core import Tracer, aval_of, dtypes, user_error
from ..lax.extras import dynamic_slice_in_dim
from ..numpy import fft as jfft
from ..numpy.complex_numbers import conjugate, imag, real
from ..numpy.creation import arange, linspace, zeros
from ..numpy.padding import pad
from ..numpy.predicates import iscomplexobj
from ..numpy.quantiles import median
from ..numpy.shape import concatenate, flip, moveaxis, repeat, reshape, swapaxes, transpose
from ..numpy.ufuncs import sin, sqrt, where
from ..numpy.util import _check_arraylike, _promote_inexact, asarray, broadcast_shapes
from ..transforms.batching import vmap


def _shape(x):
    return tuple(aval_of(x).shape)


def _static_int(value, what):
    if isinstance(value, Tracer):
        from ..core import ConcretizationTypeError

        raise user_error(ConcretizationTypeError, f"{what} must be a concrete integer")
    return operator.index(value)


def _hann(n, dtype):
    if n == 1:
        return asarray(np.array([1.0]), dtype=dtype)
    return (sin(linspace(0, np.pi, n, endpoint=False)) ** 2).astype(dtype)


def _named_window(window, n, dtype):
    if isinstance(window, str) and window == "hann":
        return _hann(n, dtype)
    try:
        from scipy.signal import get_window
    except ImportError as err:  # pragma: no cover - scipy is a dependency
        raise ImportError(f"scipy must be available to use window={window}") from err
    return asarray(np.asarray(get_window(window, n)), dtype=dtype)


def _triage_segments(window, nperseg, input_length, dtype):
    if isinstance(window, (str, tuple)):
        n = input_length if nperseg is None else int(nperseg)
        if n > input_length:
            warnings.warn(
                f"nperseg={n} is greater than input_length={input_length}, using "
                f"nperseg={input_length}",
                stacklevel=4,
            )
            n = input_length
        return _named_window(window, n, dtype), n
    win = asarray(window).astype(dtype)
    n = aval_of(win).size if nperseg is None else int(nperseg)
    if win.ndim != 1:
        raise user_error(ValueError, "window must be 1-D")
    if input_length < aval_of(win).size:
        raise user_error(ValueError, "window is longer than input signal")
    if n != aval_of(win).size:
        raise user_error(
            ValueError, "value specified for nperseg is different from length of window"
        )
    return win, n


def _odd_ext(x, n, axis=-1):
    if n < 1:
        return x
    if n > _shape(x)[axis] - 1:
        raise user_error(
            ValueError,
            f"The extension length n ({n}) is too big. It must not exceed x.shape[axis]-1, "
            f"which is {_shape(x)[axis] - 1}.",
        )
    size = _shape(x)[axis]

    def take(lo, hi):
        idx = [slice(None)] * len(_shape(x))
        idx[axis] = slice(lo, hi)
        return x[tuple(idx)]

    left_end, right_end = take(0, 1), take(size - 1, size)
    left_ext = flip(take(1, n + 1), axis=axis)
    right_ext = flip(take(size - n - 1, size - 1), axis=axis)
    return concatenate((2 * left_end - left_ext, x, 2 * right_end - right_ext), axis=axis)


def _pad_both(mode, **kwargs):
    def ext(x, n, axis=-1):
        widths = [(0, 0)] * len(_shape(x))
        widths[axis] = (n, n)
        return pad(x, widths, mode, **kwargs)

    return ext


_BOUNDARIES = {
    "even": _pad_both("reflect"),
    "odd": _odd_ext,
    "constant": _pad_both("edge"),
    "zeros": _pad_both("constant", constant_values=0.0),
    None: lambda x, *args, **kwargs: x,
}


def _fft_helper(x, win, detrend_func, nperseg, noverlap, nfft, sides):
    if np.dtype(aval_of(x).dtype).kind == "i":
        x = x.astype(aval_of(win).dtype)
    *batch, length = _shape(x)
    if nperseg == 1 and noverlap == 0:
        result = x[..., None]
    else:
        starts = arange(0, length - nperseg + 1, nperseg - noverlap)
        result = vmap(lambda s: dynamic_slice_in_dim(x, s, nperseg, axis=len(batch)), out_axes=-2)(
            starts
        )
    result = detrend_func(result)
    if iscomplexobj(win):
        result = result.astype(dtypes.complex_dtype(aval_of(result).dtype))
    result = reshape(win, (1,) * len(batch) + (1, nperseg)) * result
    if sides == "twosided":
        return jfft.fft(result, n=nfft)
    return jfft.rfft(real(result), n=nfft)


def _spectral_helper(x, y, fs=1.0, window="hann", nperseg=None, noverlap=None, nfft=None,
                     detrend_type="constant", return_onesided=True, scaling="density",
                     axis=-1, mode="psd", boundary=None, padded=False):  # fmt: skip
    from .signal import detrend

    if mode not in ("psd", "stft"):
        raise user_error(
            ValueError, f"Unknown value for mode {mode}, must be one of: ('psd', 'stft')"
        )
    if boundary not in _BOUNDARIES:
        raise user_error(
            ValueError,
            f"Unknown boundary option '{boundary}', must be one of: {list(_BOUNDARIES)}",
        )
    axis = _static_int(axis, "axis of windowed-FFT")
    if y is None:
        _check_arraylike("spectral_helper", x)
        (x,) = _promote_inexact("spectral_helper", asarray(x))
        axis = axis % x.ndim
        outer = _shape(x)[:axis] + _shape(x)[axis + 1 :]
        y_arr = x
    else:
        if mode != "psd":
            raise user_error(ValueError, "two-argument mode is available only when mode=='psd'")
        _check_arraylike("spectral_helper", x, y)
        x, y_arr = _promote_inexact("spectral_helper", asarray(x), asarray(y))
        if x.ndim != y_arr.ndim:
            raise user_error(
                ValueError, "two-arguments must have the same rank ({x.ndim} vs {y.ndim})."
            )
        axis = axis % x.ndim
        try:
            outer = broadcast_shapes(
                _shape(x)[:axis] + _shape(x)[axis + 1 :],
                _shape(y_arr)[:axis] + _shape(y_arr)[axis + 1 :],
            )
        except ValueError as err:
            raise user_error(ValueError, "x and y cannot be broadcast together.") from err
    result_dtype = dtypes.complex_dtype(aval_of(x).dtype)
    freq_dtype = np.finfo(result_dtype).dtype
    if nperseg is not None:
        nperseg = _static_int(nperseg, "nperseg of windowed-FFT")
        if nperseg < 1:
            raise user_error(ValueError, "nperseg must be a positive integer")
    win, nperseg = _triage_segments(window, nperseg, _shape(x)[axis], aval_of(x).dtype)
    noverlap = nperseg // 2 if noverlap is None else _static_int(noverlap, "noverlap")
    nfft = nperseg if nfft is None else _static_int(nfft, "nfft of windowed-FFT")
    if y is None:
        if aval_of(x).size == 0:
            return (
                zeros(_shape(x), freq_dtype),
                zeros(_shape(x), freq_dtype),
                zeros(_shape(x), result_dtype),
            )
    elif aval_of(x).size == 0 or aval_of(y_arr).size == 0:
        shape = outer[:axis] + (min(_shape(x)[axis], _shape(y_arr)[axis]),) + outer[axis:]
        return zeros(shape, freq_dtype), zeros(shape, freq_dtype), zeros(shape, result_dtype)
    x = moveaxis(x, axis, -1)
    if y is not None and y_arr.ndim > 1:
        y_arr = moveaxis(y_arr, axis, -1)
    if y is not None and _shape(x)[-1] != _shape(y_arr)[-1]:
        if _shape(x)[-1] < _shape(y_arr)[-1]:
            extra = _shape(x)[:-1] + (_shape(y_arr)[-1] - _shape(x)[-1],)
            x = concatenate((x, zeros(extra, aval_of(x).dtype)), -1)
        else:
            extra = _shape(y_arr)[:-1] + (_shape(x)[-1] - _shape(y_arr)[-1],)
            y_arr = concatenate((y_arr, zeros(extra, aval_of(x).dtype)), -1)
    if nfft < nperseg:
        raise user_error(ValueError, "nfft must be greater than or equal to nperseg.")
    if noverlap >= nperseg:
        raise user_error(ValueError, "noverlap must be less than nperseg.")
    nstep = nperseg - noverlap
    if boundary is not None:
        x = _BOUNDARIES[boundary](x, nperseg // 2, axis=-1)
        if y is not None:
            y_arr = _BOUNDARIES[boundary](y_arr, nperseg // 2, axis=-1)
    if padded:
        nadd = (-(_shape(x)[-1] - nperseg) % nstep) % nperseg
        x = concatenate((x, zeros(_shape(x)[:-1] + (nadd,), aval_of(x).dtype)), axis=-1)
        if y is not None:
            extra = _shape(y_arr)[:-1] + (nadd,)
            y_arr = concatenate((y_arr, zeros(extra, aval_of(x).dtype)), axis=-1)
    if isinstance(detrend_type, str):
        detrend_func = partial(detrend, type=detrend_type, axis=-1)
    elif callable(detrend_type):
        if axis != -1:

            def detrend_func(d):
                return moveaxis(detrend_type(moveaxis(d, axis, -1)), -1, axis)

        else:
            detrend_func = detrend_type
    elif not detrend_type:
        detrend_func = lambda d: d
    else:
        raise user_error(ValueError, f"Unsupported detrend type: {detrend_type}")
    if scaling == "density":
        scale = 1.0 / (fs * (win * win).sum())
    elif scaling == "spectrum":
        scale = 1.0 / win.sum() ** 2
    else:
        raise user_error(ValueError, f"Unknown scaling: {scaling}")
    if mode == "stft":
        scale = sqrt(scale)
    scale = asarray(scale).astype(dtypes.complex_dtype(aval_of(asarray(scale)).dtype))
    sides = "onesided" if return_onesided else "twosided"
    if return_onesided and (iscomplexobj(x) or (y is not None and iscomplexobj(y_arr))):
        sides = "twosided"
        warnings.warn("Input data is complex, switching to return_onesided=False", stacklevel=3)
    if sides == "twosided":
        freqs = jfft.fftfreq(nfft, 1 / fs, dtype=freq_dtype)
    else:
        freqs = jfft.rfftfreq(nfft, 1 / fs, dtype=freq_dtype)
    result = _fft_helper(x, win, detrend_func, nperseg, noverlap, nfft, sides)
    if y is not None:
        result_y = _fft_helper(y_arr, win, detrend_func, nperseg, noverlap, nfft, sides)
        result = conjugate(result) * result_y
    elif mode == "psd":
        result = conjugate(result) * result
    result = result * scale
    if sides == "onesided" and mode == "psd":
        end = None if nfft % 2 else -1
        result = result.at[..., 1:end].multiply(2)
    time = arange(
        nperseg / 2, _shape(x)[-1] - nperseg / 2 + 1, nperseg - noverlap, dtype=freq_dtype
    )
    time = time / fs
    if boundary is not None:
        time = time - (nperseg / 2) / fs
    result = result.astype(result_dtype)
    if y is None and mode != "stft":
        result = real(result)
    return freqs, time, moveaxis(result, -1, axis)


def stft(x, fs=1.0, window="hann", nperseg=256, noverlap=None, nfft=None, detrend=False,
         return_onesided=True, boundary="zeros", padded=True, axis=-1):  # fmt: skip
    """Like jax.scipy.signal.stft: (f, t, Zxx)."""
    return _spectral_helper(x, None, fs, window, nperseg, noverlap, nfft, detrend,
                            return_onesided, scaling="spectrum", axis=axis, mode="stft",
                            boundary=boundary, padded=padded)  # fmt: skip


def _median_bias(n):
    ii_2 = np.arange(2.0, n, 2)
    return 1 + np.sum(1.0 / (ii_2 + 1) - 1.0 / ii_2)


def csd(x, y, fs=1.0, window="hann", nperseg=None, noverlap=None, nfft=None,
        detrend="constant", return_onesided=True, scaling="density", axis=-1,
        average="mean"):  # fmt: skip
    """Like jax.scipy.signal.csd: (f, Pxy), averaged over segments."""
    freqs, _, pxy = _spectral_helper(x, y, fs, window, nperseg, noverlap, nfft, detrend,
                                     return_onesided, scaling, axis, mode="psd")  # fmt: skip
    if y is not None:
        pxy = pxy + 0j
    if pxy.ndim >= 2 and aval_of(pxy).size > 0:
        if _shape(pxy)[-1] > 1:
            if average == "median":
                bias = np.asarray(_median_bias(_shape(pxy)[-1]), dtype=aval_of(pxy).dtype)
                if iscomplexobj(pxy):
                    pxy = median(real(pxy), axis=-1) + 1j * median(imag(pxy), axis=-1)
                else:
                    pxy = median(pxy, axis=-1)
                pxy = pxy / bias
            elif average == "mean":
                pxy = pxy.mean(axis=-1)
            else:
                raise user_error(ValueError, f'average must be "median" or "mean", got {average}')
        else:
            pxy = reshape(pxy, _shape(pxy)[:-1])
    return freqs, pxy


def welch(x, fs=1.0, window="hann", nperseg=None, noverlap=None, nfft=None,
          detrend="constant", return_onesided=True, scaling="density", axis=-1,
          average="mean"):  # fmt: skip
    """Like jax.scipy.signal.welch: (f, Pxx), the real power spectral density."""
    freqs, pxx = csd(x, None, fs=fs, window=window, nperseg=nperseg, noverlap=noverlap,
                     nfft=nfft, detrend=detrend, return_onesided=return_onesided,
                     scaling=scaling, axis=axis, average=average)  # fmt: skip
    return freqs, real(pxx)


def _overlap_and_add(x, step):
    *batch, nframes, seg = _shape(x)
    flat = math.prod(batch)
    x = reshape(x, (flat, nframes, seg))
    out_size = step * (nframes - 1) + seg
    per = 1 + (seg - 1) // step
    x = pad(x, ((0, 0), (0, 0), (0, per * step - seg)))
    x = transpose(reshape(x, (flat, nframes, per, step)), (0, 2, 1, 3))
    x = pad(x, ((0, 0), (0, 0), (0, nframes), (0, 0)))
    shrunk = _shape(x)[2] - 1
    x = reshape(x, (flat, -1))[:, : per * shrunk * step]
    x = reshape(x, (flat, per, shrunk * step)).sum(axis=1)[:, :out_size]
    return reshape(x, tuple(batch) + (-1,))


def istft(Zxx, fs=1.0, window="hann", nperseg=None, noverlap=None, nfft=None,
          input_onesided=True, boundary=True, time_axis=-1, freq_axis=-2):  # fmt: skip
    """Like jax.scipy.signal.istft: (t, x) by inverse FFTs and overlap-add."""
    _check_arraylike("istft", Zxx)
    z = asarray(Zxx)
    if z.ndim < 2:
        raise user_error(ValueError, "Input stft must be at least 2d!")
    freq_axis, time_axis = freq_axis % z.ndim, time_axis % z.ndim
    if freq_axis == time_axis:
        raise user_error(ValueError, "Must specify differing time and frequency axes!")
    z = z.astype(dtypes.complex_dtype(aval_of(z).dtype))
    n_default = 2 * (_shape(z)[freq_axis] - 1) if input_onesided else _shape(z)[freq_axis]
    nperseg = _static_int(nperseg or n_default, "nperseg: segment length of STFT")
    if nperseg < 1:
        raise user_error(ValueError, "nperseg must be a positive integer")
    if nfft is None:
        nfft = n_default + (1 if input_onesided and nperseg == n_default + 1 else 0)
    else:
        nfft = _static_int(nfft, "nfft of STFT")
    if nfft < nperseg:
        raise user_error(
            ValueError, f"FFT length ({nfft}) must be longer than nperseg ({nperseg})."
        )
    noverlap = _static_int(noverlap or nperseg // 2, "noverlap of STFT")
    if noverlap >= nperseg:
        raise user_error(ValueError, "noverlap must be less than nperseg.")
    nstep = nperseg - noverlap
    if time_axis != z.ndim - 1 or freq_axis != z.ndim - 2:
        outer = tuple(i for i in range(z.ndim) if i not in {time_axis, freq_axis})
        z = transpose(z, outer + (freq_axis, time_axis))
    inverse = jfft.irfft if input_onesided else jfft.ifft
    xsubs = inverse(z, axis=-2, n=nfft)[..., :nperseg, :]
    if isinstance(window, (str, tuple)):
        win = _named_window(window, nperseg, aval_of(xsubs).dtype)
    else:
        win = asarray(window)
        if win.ndim != 1:
            raise user_error(ValueError, "window must be 1-D")
        if _shape(win)[0] != nperseg:
            raise user_error(ValueError, f"window must have length of {nperseg}")
        win = win.astype(aval_of(xsubs).dtype)
    xsubs = xsubs * win.sum()
    win = reshape(win, (1,) * (xsubs.ndim - 2) + (nperseg, 1))
    x = _overlap_and_add(swapaxes(xsubs * win, -2, -1), nstep)
    win_squared = repeat(win * win, _shape(xsubs)[-1], axis=-1)
    norm = _overlap_and_add(swapaxes(win_squared, -2, -1), nstep)
    if boundary:
        x = x[..., nperseg // 2 : -(nperseg // 2)]
        norm = norm[..., nperseg // 2 : -(nperseg // 2)]
    x = x / where(norm > 1e-10, norm, 1.0)
    if x.ndim > 1 and time_axis != z.ndim - 1:
        if freq_axis < time_axis:
            time_axis -= 1
        x = moveaxis(x, -1, time_axis)
    time = arange(_shape(x)[0], dtype=np.finfo(aval_of(x).dtype).dtype) / fs
    return time, x
