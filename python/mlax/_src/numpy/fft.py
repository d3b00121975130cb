"""jnp.fft: the real-valued helpers (sample frequencies and shifts) work;
the transforms produce complex values and raise NotImplementedError until
complex numbers are built (a later issue)."""

import operator

from .. import lax
from ..core import aval_of, dtypes, user_error
from .complex_numbers import not_built
from .selection import roll
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


_FFT = (
    "FFTs produce complex values; complex numbers and FFT are not built in mlax yet (a later issue)"
)
fft = not_built("fft", "fft", _FFT)
ifft = not_built("fft", "ifft", _FFT)
fft2 = not_built("fft", "fft2", _FFT)
ifft2 = not_built("fft", "ifft2", _FFT)
fftn = not_built("fft", "fftn", _FFT)
ifftn = not_built("fft", "ifftn", _FFT)
rfft = not_built("fft", "rfft", _FFT)
irfft = not_built("fft", "irfft", _FFT)
rfft2 = not_built("fft", "rfft2", _FFT)
irfft2 = not_built("fft", "irfft2", _FFT)
rfftn = not_built("fft", "rfftn", _FFT)
irfftn = not_built("fft", "irfftn", _FFT)
hfft = not_built("fft", "hfft", _FFT)
ihfft = not_built("fft", "ihfft", _FFT)
