"""jax.scipy.fft's DCTs (type 2, norm None/'backward'/'ortho') on mlax.

JAX computes them with a complex FFT; mlax has no complex dtypes, so each
1-d transform is a matrix product with its real cosine matrix (built in
float64 by NumPy, then cast), which gives JAX's values within float
rounding. The n-d forms apply the 1-d transform axis by axis (the DCT is
separable, as JAX's 2-d formula is). Outputs are float32 (float64 for
float64 inputs), as JAX's complex FFT path gives.
"""

import operator
from collections.abc import Sequence
from functools import partial

import numpy as np

from .. import lax
from ..core import aval_of, user_error
from ..numpy.contractions import matmul
from ..numpy.shape import moveaxis
from ..numpy.util import _check_arraylike, _promote_inexact, asarray
from ..transforms.jit import jit


def _canon_axis(axis, ndim):
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _check(name, x, type, norm):
    _check_arraylike(name, x)
    if type != 2:
        raise user_error(NotImplementedError, "Only DCT type 2 is implemented.")
    if norm is not None and norm not in ["backward", "ortho"]:
        raise user_error(ValueError, f"jax.scipy.fft.{name}: norm={norm!r} is not implemented")
    return asarray(x)


def _out_dtype(x):
    (x,) = _promote_inexact("jax.scipy.fft", x)
    dt = np.dtype(aval_of(x).dtype)
    return np.dtype(np.float64) if dt == np.float64 else np.dtype(np.float32)


def _resize(x, axis, n):
    """x zero-padded (or cut) to n entries along axis, as JAX's lax.pad."""
    if n is None:
        return x
    shape = aval_of(x).shape
    zero = lax.full((), 0, aval_of(x).dtype)
    return lax.pad(x, zero, [(0, n - shape[a] if a == axis else 0, 0) for a in range(len(shape))])


def _dct_matrix(n, norm, inverse):
    """The (n, n) matrix M with out = M @ x along the transformed axis."""
    k = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    c = 2.0 * np.cos(np.pi * k * (2 * j + 1) / (2.0 * n))  # c[k, j]: the unnormalised DCT-II
    f = np.full(n, np.sqrt(1.0 / (2.0 * n)))
    if n:
        f[0] = np.sqrt(1.0 / (4.0 * n))
    if not inverse:
        return c * f[:, None] if norm == "ortho" else c
    # The orthonormal DCT is O = diag(f) c; its inverse is O^T; the
    # unnormalised one's inverse is O^T diag(f).
    o = c * f[:, None]
    return o.T if norm == "ortho" else o.T * f[None, :]


@partial(jit, static_argnums=(1, 2, 3, 4))
def _apply(x, axis, n, norm, inverse):
    x = _resize(x, axis, n)
    dt = _out_dtype(x)
    size = aval_of(x).shape[axis]
    m = asarray(_dct_matrix(size, norm, inverse).astype(dt))
    x = moveaxis(x.astype(dt), axis, -1)
    return moveaxis(matmul(x, m.T), -1, axis)


def dct(x, type=2, n=None, axis=-1, norm=None):
    """Like jax.scipy.fft.dct (type 2)."""
    x = _check("dct", x, type, norm)
    axis = _canon_axis(axis, aval_of(x).ndim)
    return _apply(x, axis, n, norm, inverse=False)


def idct(x, type=2, n=None, axis=-1, norm=None):
    """Like jax.scipy.fft.idct (type 2: the inverse of dct with the same norm)."""
    x = _check("idct", x, type, norm)
    axis = _canon_axis(axis, aval_of(x).ndim)
    return _apply(x, axis, n, norm, inverse=True)


def _axes_and_sizes(x, s, axes):
    ndim = aval_of(x).ndim
    if s is not None:
        try:
            s = list(s)
        except TypeError:
            assert not isinstance(s, Sequence)
            s = [operator.index(s)]
        if len(s) > ndim:
            raise user_error(
                ValueError, f"s must have at most x.ndim ({ndim}) elements, got {len(s)}"
            )
    if axes is None:
        axes = tuple(range(ndim - len(s), ndim)) if s is not None else tuple(range(ndim))
    else:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
        axes = tuple(_canon_axis(a, ndim) for a in axes)
        if len(set(axes)) != len(axes):
            raise user_error(ValueError, f"repeated axis in axes: {axes}")
    sizes = dict(zip(axes, s)) if s is not None else {}
    return axes, sizes


def _nd(name, x, type, s, axes, norm, inverse):
    x = _check(name, x, type, norm)
    axes, sizes = _axes_and_sizes(x, s, axes)
    for a in axes:
        x = _apply(x, a, sizes.get(a), norm, inverse)
    return x


def dctn(x, type=2, s=None, axes=None, norm=None):
    """Like jax.scipy.fft.dctn (type 2)."""
    return _nd("dctn", x, type, s, axes, norm, inverse=False)


def idctn(x, type=2, s=None, axes=None, norm=None):
    """Like jax.scipy.fft.idctn (type 2)."""
    return _nd("idctn", x, type, s, axes, norm, inverse=True)
