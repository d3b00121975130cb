"""lax.fft as a composition of mlax ops (no dialect op of its own): every
transform is a complex DFT along the last axes, built from dense DFT
matrices (one dot_general each) by Cooley-Tukey's mixed-radix split, so
grad, vmap, jit and SPMD come from the rules of dot_general, mul, reshape
and transpose.

A length n = n1 * n2 splits into a DFT of length n1 over strided slices,
a twiddle multiply and DFTs of length n2 (n1 the largest factor of n up to
_RADIX); a length with a prime factor above _DIRECT is computed by
Bluestein's chirp-z method through a power-of-two DFT of length >= 2n - 1.
Matrices and twiddles are computed on the host in float64 and rounded once
to the working precision.
"""

import enum
import functools
import math
import operator

import numpy as np

from ..core import aval_of, dtypes, user_error
from .common import _as_operand
from .elementwise import complex as complex_
from .elementwise import conj, convert_element_type, imag, mul, real
from .reductions import dot_general
from .shape import pad, reshape, rev, transpose
from .slicing import slice as slice_

_RADIX = 64  # largest dense DFT matrix in a Cooley-Tukey step
_DIRECT = 128  # prime factors above this go through Bluestein


class FftType(enum.IntEnum):
    """lax.FftType: the kind of transform."""

    FFT = 0
    IFFT = 1
    RFFT = 2
    IRFFT = 3


def _host_constant(values, dtype):
    from ..core import current_trace, hooks

    array = np.asarray(values, dtype=dtype)
    trace = current_trace()
    if trace is not None:
        from ..core import ShapedArray

        return trace.constant(array, ShapedArray(array.shape, array.dtype))
    return hooks.device_put(array)


def _unit_roots(r, n, dtype_name):
    """exp(-2 pi i r / n) for integer r, the parts that are exactly zero
    (quarter turns) kept zero."""
    w = np.exp(-2j * np.pi * (r % n) / n)
    re, im = w.real, w.imag
    re[np.abs(re) < 1e-13] = 0.0
    im[np.abs(im) < 1e-13] = 0.0
    return (re + 1j * im).astype(dtype_name)


@functools.lru_cache(maxsize=256)
def _dft_matrix(n, dtype_name):
    k = np.arange(n)
    return _unit_roots(np.outer(k, k), n, dtype_name)


@functools.lru_cache(maxsize=256)
def _twiddles(n1, n2, dtype_name):
    return _unit_roots(np.arange(n1)[:, None] * np.arange(n2)[None, :], n1 * n2, dtype_name)


def _smallest_factor(n):
    for p in range(2, math.isqrt(n) + 1):
        if n % p == 0:
            return p
    return n


def _radix(n):
    """The largest divisor of n in (1, _RADIX], or None if n is prime-ish."""
    for d in range(min(n - 1, _RADIX), 1, -1):
        if n % d == 0:
            return d
    return None


def _largest_prime_factor(n):
    largest = 1
    while n > 1:
        p = _smallest_factor(n)
        largest = max(largest, p)
        while n % p == 0:
            n //= p
    return largest


def _matmul_last(x, matrix):
    """x[..., n] @ matrix[n, m] (a complex dot_general on the last axis)."""
    nd = aval_of(x).ndim
    return dot_general(x, matrix, (((nd - 1,), (0,)), ((), ())))


def _dft_last(x):
    """The unnormalised forward DFT of x along its last axis."""
    shape = aval_of(x).shape
    n = shape[-1]
    dtype = aval_of(x).dtype
    if n <= 1:
        return x
    if n <= _RADIX or (_radix(n) is None and n <= _DIRECT):
        return _matmul_last(x, _host_constant(_dft_matrix(n, dtype.name), dtype))
    if _largest_prime_factor(n) > _DIRECT:
        return _bluestein_last(x)
    n1 = _radix(n)
    n2 = n // n1
    batch = shape[:-1]
    nb = len(batch)
    # j = n2 * j1 + j2: rows j1, columns j2.
    grid = reshape(x, (*batch, n1, n2))
    # Length-n1 DFTs down the columns: move j1 last, transform, move back.
    perm = (*range(nb), nb + 1, nb)
    cols = transpose(grid, perm)
    cols = _matmul_last(cols, _host_constant(_dft_matrix(n1, dtype.name), dtype))
    grid = transpose(cols, perm)  # (..., k1, j2)
    grid = mul(grid, _broadcast_front(_host_constant(_twiddles(n1, n2, dtype.name), dtype), batch))
    grid = _dft_last(grid)  # (..., k1, k2)
    # k = k1 + n1 * k2: k2 is the slow index.
    return reshape(transpose(grid, perm), (*batch, n))


def _broadcast_front(v, batch):
    from .shape import broadcast_in_dim

    shape = aval_of(v).shape
    return broadcast_in_dim(v, (*batch, *shape), tuple(range(len(batch), len(batch) + len(shape))))


@functools.lru_cache(maxsize=64)
def _chirp(n, m, dtype_name):
    k = np.arange(n)
    w = np.exp(-1j * np.pi * ((k * k) % (2 * n)) / n)  # exp(-i pi k^2 / n)
    b = np.zeros(m, np.complex128)
    b[:n] = np.conj(w)
    b[m - n + 1 :] = np.conj(w[1:][::-1])
    # 1/m folds the inverse transform's normalisation into the kernel.
    return w.astype(dtype_name), (np.fft.fft(b) / m).astype(dtype_name)


def _bluestein_last(x):
    """Chirp-z: X[k] = w[k] * sum_j (x[j] w[j]) conj(w[k - j]), the sum a
    circular convolution of power-of-two length m >= 2n - 1."""
    shape = aval_of(x).shape
    n = shape[-1]
    dtype = aval_of(x).dtype
    m = 1 << (2 * n - 2).bit_length()
    w, b_hat = _chirp(n, m, dtype.name)
    w = _host_constant(w, dtype)
    a = mul(x, _broadcast_front(w, shape[:-1]))
    zero = _host_constant(np.zeros((), dtype), dtype)
    a = pad(a, zero, [(0, 0, 0)] * (len(shape) - 1) + [(0, m - n, 0)])
    a_hat = _dft_last(a)
    conv = _idft_last(mul(a_hat, _broadcast_front(_host_constant(b_hat, dtype), shape[:-1])))
    nd = len(shape)
    conv = slice_(conv, (0,) * nd, (*shape[:-1], n))
    return mul(conv, _broadcast_front(w, shape[:-1]))


def _idft_last(x):
    """The unnormalised inverse DFT along the last axis: conj(DFT(conj x))."""
    return conj(_dft_last(conj(x)))


def _move_axis_last(x, axis):
    nd = aval_of(x).ndim
    perm = [d for d in range(nd) if d != axis] + [axis]
    inverse = [0] * nd
    for i, p in enumerate(perm):
        inverse[p] = i
    return transpose(x, tuple(perm)), tuple(inverse)


def _along(x, axis, fn):
    nd = aval_of(x).ndim
    if axis == nd - 1:
        return fn(x)
    moved, inverse = _move_axis_last(x, axis)
    return transpose(fn(moved), inverse)


def _scale(x, factor):
    from .elementwise import full_like

    return mul(x, full_like(x, factor))


def _complex_of(x):
    """x as a complex array (float64 to complex128, other reals to
    complex64)."""
    d = aval_of(x).dtype
    if dtypes.is_complex(d):
        return x
    return convert_element_type(x, dtypes.complex_dtype(d))


def _hermitian_full(x, n):
    """The full length-n spectrum of a real signal from its first
    n // 2 + 1 bins (bins beyond those given are zero, as pocketfft)."""
    shape = aval_of(x).shape
    have = shape[-1]
    half = n // 2 + 1
    nd = len(shape)
    zero = _host_constant(np.zeros((), aval_of(x).dtype), aval_of(x).dtype)
    if have < half:
        x = pad(x, zero, [(0, 0, 0)] * (nd - 1) + [(0, half - have, 0)])
    elif have > half:
        x = slice_(x, (0,) * nd, (*shape[:-1], half))
    # Bins n - k for k = 1 .. n - half: conj(X[k]) reversed.
    tail = n - half
    if tail == 0:
        return x
    start = 1
    mirrored = slice_(x, (0,) * (nd - 1) + (start,), (*shape[:-1], start + tail))
    mirrored = conj(rev(mirrored, (nd - 1,)))
    from .shape import concatenate

    return concatenate([x, mirrored], nd - 1)


def fft(x, fft_type, fft_lengths):
    """lax.fft: FFT/IFFT of complex x, RFFT of real x, IRFFT to a real
    result, over the last len(fft_lengths) axes (unnormalised forward,
    1/n inverse, as XLA)."""
    x = _as_operand(x)
    if isinstance(fft_type, str):
        fft_type = FftType[fft_type.upper()]
    fft_type = FftType(fft_type)
    if isinstance(fft_lengths, int):
        fft_lengths = (fft_lengths,)
    fft_lengths = tuple(operator.index(n) for n in fft_lengths)
    aval = aval_of(x)
    nd = aval.ndim
    k = len(fft_lengths)
    if not 1 <= k <= 3 or k > nd:
        raise user_error(
            ValueError,
            f"fft_lengths must have 1 to 3 entries and at most ndim(x), got {fft_lengths}",
        )
    if fft_type == FftType.RFFT:
        if not dtypes.is_float(aval.dtype) or aval.dtype in (dtypes.float16, dtypes.bfloat16):
            raise user_error(
                TypeError,
                f"fft does not accept dtype {aval.dtype.name}. Accepted dtypes are subtypes of "
                f"float32, float64.",
            )
    elif not dtypes.is_complex(aval.dtype):
        raise user_error(
            TypeError,
            f"fft does not accept dtype {aval.dtype.name}. Accepted dtypes are subtypes of "
            f"complexfloating.",
        )
    axes = list(range(nd - k, nd))
    if fft_type in (FftType.FFT, FftType.IFFT, FftType.RFFT):
        for ax, n in zip(axes, fft_lengths):
            if aval.shape[ax] != n:
                raise user_error(
                    ValueError,
                    f"FFT input shape {aval.shape} must have fft_lengths {fft_lengths} as its "
                    f"trailing dimensions",
                )
    if fft_type == FftType.FFT:
        for ax in axes:
            x = _along(x, ax, _dft_last)
        return x
    if fft_type == FftType.IFFT:
        for ax in axes:
            x = _along(x, ax, _idft_last)
        return _scale(x, 1.0 / math.prod(fft_lengths))
    if fft_type == FftType.RFFT:
        x = _complex_of(x)
        x = _dft_last(x)
        n = fft_lengths[-1]
        half = n // 2 + 1
        x = slice_(x, (0,) * nd, (*aval.shape[:-1], half))
        if _radix(n) is not None and n > _RADIX or n > _DIRECT:
            # The zero frequency (and n/2) of a real signal is real: drop the
            # rounding noise the split transforms leave in its imaginary part.
            mask = np.ones(half, aval_of(real(x)).dtype)
            mask[0] = 0.0
            if n % 2 == 0:
                mask[-1] = 0.0
            keep = _broadcast_front(_host_constant(mask, mask.dtype), aval.shape[:-1])
            x = complex_(real(x), mul(imag(x), keep))
        for ax in axes[:-1]:
            x = _along(x, ax, _dft_last)
        return x
    # IRFFT: inverse over the leading axes, then the Hermitian last axis.
    for ax in axes[:-1]:
        x = _along(x, ax, _idft_last)
    x = _hermitian_full(x, fft_lengths[-1])
    x = real(_idft_last(x))
    return _scale(x, 1.0 / math.prod(fft_lengths))
