"""jax.scipy.signal on mlax: the direct convolutions (convolve, correlate
and their 2-d forms) lower to conv_general_dilated as JAX's do;
fftconvolve gives the same values from the direct full convolution (JAX
uses an FFT; the results agree within float rounding); detrend fits its
trends with lstsq as JAX does. stft, istft, csd and welch go through
complex FFTs and raise NotImplementedError (mlax has no complex dtypes).
"""

import operator

import numpy as np

from .. import lax
from ..core import aval_of, user_error
from ..numpy.contractions import matmul
from ..numpy.creation import arange, ones
from ..numpy.linalg import lstsq
from ..numpy.shape import flip, moveaxis, reshape, vstack
from ..numpy.util import _promote_inexact, asarray
from ..transforms.batching import vmap
from ..transforms.convolution import conv_general_dilated

_MODES = ("full", "same", "valid")


def not_built(module, name, reason):
    """A stand-in for jax.scipy.<module>.<name> raising NotImplementedError."""

    def fn(*args, **kwargs):
        raise user_error(NotImplementedError, f"jax.scipy.{module}.{name}: {reason}")

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"jax.scipy.{module}.{name}: not built ({reason})."
    return fn


def _shape(x):
    return tuple(aval_of(x).shape)


def _conv_full(in1, in2):
    """The full N-d convolution of two same-rank arrays (either larger)."""
    s1, s2 = _shape(in1), _shape(in2)
    if not all(a >= b for a, b in zip(s1, s2)):
        in1, in2 = in2, in1
    k = _shape(in2)
    out = conv_general_dilated(
        in1[None, None], flip(in2)[None, None], (1,) * len(k), [(n - 1, n - 1) for n in k]
    )
    return out[0, 0]


def _convolve_nd(in1, in2, mode, precision):
    if mode not in _MODES:
        raise user_error(ValueError, "mode must be one of ['full', 'same', 'valid']")
    in1, in2 = asarray(in1), asarray(in2)
    if aval_of(in1).ndim != aval_of(in2).ndim:
        raise user_error(ValueError, "in1 and in2 must have the same number of dimensions")
    if aval_of(in1).size == 0 or aval_of(in2).size == 0:
        raise user_error(
            ValueError,
            f"zero-size arrays not supported in convolutions, got shapes {_shape(in1)} "
            f"and {_shape(in2)}.",
        )
    in1, in2 = _promote_inexact("jax.scipy.signal", in1, in2)
    s1, s2 = _shape(in1), _shape(in2)
    no_swap = all(a >= b for a, b in zip(s1, s2))
    swap = all(a <= b for a, b in zip(s1, s2))
    if not (no_swap or swap):
        raise user_error(ValueError, "One input must be smaller than the other in every dimension.")
    shape_o = s2
    if swap:
        in1, in2 = in2, in1
    shape = _shape(in2)
    in2 = flip(in2)
    if mode == "valid":
        padding = [(0, 0) for _ in shape]
    elif mode == "same":
        padding = [(s - 1 - (so - 1) // 2, s - so + (so - 1) // 2) for s, so in zip(shape, shape_o)]
    else:
        padding = [(s - 1, s - 1) for s in shape]
    out = conv_general_dilated(in1[None, None], in2[None, None], (1,) * len(shape), padding)
    return out[0, 0]


def fftconvolve(in1, in2, mode="full", axes=None):
    """Like jax.scipy.signal.fftconvolve (computed directly: the same values
    as JAX's FFT within float rounding)."""
    in1, in2 = _promote_inexact("jax.scipy.signal.fftconvolve", asarray(in1), asarray(in2))
    nd = aval_of(in1).ndim
    if nd != aval_of(in2).ndim:
        raise user_error(ValueError, "in1 and in2 should have the same dimensionality")
    if mode not in ["same", "full", "valid"]:
        raise user_error(ValueError, "mode must be one of ['same', 'full', 'valid']")

    def unbatched(a, b):
        return _fftconvolve_unbatched(a, b, mode)

    if axes is None:
        return unbatched(in1, in2)
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    axes = tuple(_canon_axis(ax, nd) for ax in axes)
    mapped = set(range(nd)) - set(axes)
    s1, s2 = _shape(in1), _shape(in2)
    if any(s1[i] != s2[i] for i in mapped):
        raise user_error(
            ValueError,
            f"mapped axes must have same shape; got in1.shape={s1} in2.shape={s2} axes={axes}",
        )
    fn = unbatched
    for ax in sorted(mapped):
        fn = vmap(fn, in_axes=ax, out_axes=ax)
    return fn(in1, in2)


def _canon_axis(axis, ndim):
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _fftconvolve_unbatched(in1, in2, mode):
    s1, s2 = _shape(in1), _shape(in2)
    full_shape = tuple(a + b - 1 for a, b in zip(s1, s2))
    if mode == "valid":
        no_swap = all(a >= b for a, b in zip(s1, s2))
        swap = all(a <= b for a, b in zip(s1, s2))
        if not (no_swap or swap):
            raise user_error(
                ValueError,
                "For 'valid' mode, One input must be at least as large as the other in every "
                "dimension.",
            )
        if swap:
            in1, in2 = in2, in1
            s1, s2 = s2, s1
    if all(a == 1 or b == 1 for a, b in zip(s1, s2)):
        conv = in1 * in2
    else:
        conv = _conv_full(in1, in2)
    if mode == "full":
        out_shape = full_shape
    elif mode == "same":
        out_shape = s1
    else:
        out_shape = tuple(a - b + 1 for a, b in zip(s1, s2))
    starts = [(f - o) // 2 for f, o in zip(full_shape, out_shape)]
    return lax.slice(conv, starts, [s + o for s, o in zip(starts, out_shape)])


def convolve(in1, in2, mode="full", method="auto", precision=None):
    """Like jax.scipy.signal.convolve."""
    if method == "fft":
        return fftconvolve(in1, in2, mode=mode)
    if method in ["direct", "auto"]:
        return _convolve_nd(in1, in2, mode, precision)
    raise user_error(ValueError, f"Got method={method!r}; expected 'auto', 'fft', or 'direct'.")


def convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0, precision=None):
    """Like jax.scipy.signal.convolve2d (boundary='fill', fillvalue=0 only)."""
    if boundary != "fill" or fillvalue != 0:
        raise user_error(
            NotImplementedError, "convolve2d() only supports boundary='fill', fillvalue=0"
        )
    if np.ndim(in1) != 2 or np.ndim(in2) != 2:
        raise user_error(ValueError, "convolve2d() only supports 2-dimensional inputs.")
    return _convolve_nd(in1, in2, mode, precision)


def correlate(in1, in2, mode="full", method="auto", precision=None):
    """Like jax.scipy.signal.correlate: convolve with in2 flipped."""
    return convolve(in1, flip(asarray(in2)), mode, precision=precision, method=method)


def correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0, precision=None):
    """Like jax.scipy.signal.correlate2d (boundary='fill', fillvalue=0 only)."""
    if boundary != "fill" or fillvalue != 0:
        raise user_error(
            NotImplementedError, "correlate2d() only supports boundary='fill', fillvalue=0"
        )
    if np.ndim(in1) != 2 or np.ndim(in2) != 2:
        raise user_error(ValueError, "correlate2d() only supports 2-dimensional inputs.")
    in1, in2 = asarray(in1), asarray(in2)
    s1, s2 = _shape(in1), _shape(in2)
    swap = all(a <= b for a, b in zip(s1, s2))
    same_shape = all(a == b for a, b in zip(s1, s2))
    if mode == "same":
        return flip(_convolve_nd(flip(in1), in2, mode, precision))
    if mode == "valid":
        if swap and not same_shape:
            return _convolve_nd(flip(in2), in1, mode, precision)
        return flip(_convolve_nd(flip(in1), in2, mode, precision))
    if swap:
        return _convolve_nd(flip(in2), in1, mode, precision)
    return flip(_convolve_nd(flip(in1), in2, mode, precision))


def detrend(data, axis=-1, type="linear", bp=0, overwrite_data=None):
    """Like jax.scipy.signal.detrend: 'constant' removes the mean, 'linear'
    a least-squares line per segment between the breakpoints bp."""
    if overwrite_data is not None:
        raise user_error(NotImplementedError, "overwrite_data argument not implemented.")
    if type not in ["constant", "linear"]:
        raise user_error(ValueError, "Trend type must be 'linear' or 'constant'.")
    (data,) = _promote_inexact("jax.scipy.signal.detrend", asarray(data))
    if type == "constant":
        return data - data.mean(axis, keepdims=True)
    dt = aval_of(data).dtype
    n = _shape(data)[axis]
    bps = np.sort(np.unique(np.r_[0, bp, n]))
    if bps[0] < 0 or bps[-1] > n:
        raise user_error(
            ValueError,
            "Breakpoints must be non-negative and less than length of data along given axis.",
        )
    data = moveaxis(data, axis, 0)
    shape = _shape(data)
    data = reshape(data, (n, -1))
    for m in range(len(bps) - 1):
        npts = int(bps[m + 1] - bps[m])
        a = vstack([ones(npts, dtype=dt), arange(1, npts + 1, dtype=dt) / np.asarray(npts, dt)]).T
        sl = slice(int(bps[m]), int(bps[m + 1]))
        coef = lstsq(a, data[sl])[0]
        data = data.at[sl].add(-matmul(a, coef))
    return moveaxis(reshape(data, shape), 0, axis)


from .spectral import csd, istft, stft, welch  # noqa: F401  (they use detrend above)
