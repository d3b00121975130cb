"""Samplers built on matrix decompositions (jnp.linalg): multivariate_normal
and orthogonal, as JAX 0.10 computes them. Their normal draws are JAX's
bits; the decompositions are mlax's (Jacobi eigh/svd, Householder QR with
LAPACK's signs), so values agree with JAX's to float tolerance, not bit
for bit.
"""

import operator

import numpy as np

from ..core import Tracer, aval_of, dtypes, user_error
from ..numpy import linalg as jnp_linalg
from ..numpy import ufuncs as jnp_ufuncs
from ..numpy.contractions import einsum
from ..numpy.selection import diagonal
from ..numpy.shape import expand_dims, swapaxes
from ..numpy.util import _dtype_arg, _promote_inexact
from ..transforms.jit import jit
from .keys import canonical_shape, check_key
from .samplers import _check_shape, _normal_impl


def _multivariate_normal_impl(data, mean, cov, shape, dtype, method):
    mean_shape, cov_shape = aval_of(mean).shape, aval_of(cov).shape
    if len(mean_shape) < 1:
        raise user_error(
            ValueError,
            f"multivariate_normal requires mean.ndim >= 1, got mean.ndim == {len(mean_shape)}",
        )
    if len(cov_shape) < 2:
        raise user_error(
            ValueError,
            f"multivariate_normal requires cov.ndim >= 2, got cov.ndim == {len(cov_shape)}",
        )
    n = mean_shape[-1]
    if cov_shape[-2:] != (n, n):
        raise user_error(
            ValueError,
            f"multivariate_normal requires cov.shape == (..., n, n) for n={n}, "
            f"but got cov.shape == {cov_shape}.",
        )
    if shape is None:
        shape = tuple(np.broadcast_shapes(mean_shape[:-1], cov_shape[:-2]))
    else:
        _check_shape("normal", shape, mean_shape[:-1], cov_shape[:-2])
    if method == "svd":
        u, s, _ = jnp_linalg.svd(cov)
        factor = jnp_ufuncs.multiply(u, expand_dims(jnp_ufuncs.sqrt(s), -2))
    elif method == "eigh":
        w, v = jnp_linalg.eigh(cov)
        factor = jnp_ufuncs.multiply(v, expand_dims(jnp_ufuncs.sqrt(w), -2))
    else:
        factor = jnp_linalg.cholesky(cov)
    normal_samples = _normal_impl(data, (*shape, n), dtype)
    return jnp_ufuncs.add(mean, einsum("...ij,...j->...i", factor, normal_samples))


_multivariate_normal_jit = jit(_multivariate_normal_impl, static_argnums=(3, 4, 5))


def multivariate_normal(key, mean, cov, shape=None, dtype=None, method="cholesky"):
    """Normal samples with mean `mean` (..., n) and covariance `cov`
    (..., n, n), through its Cholesky factor (or 'eigh' / 'svd')."""
    data, _ = check_key("multivariate_normal", key)
    mean, cov = _promote_inexact("multivariate_normal", mean, cov)
    if method not in {"svd", "eigh", "cholesky"}:
        raise user_error(ValueError, "method must be one of {'svd', 'eigh', 'cholesky'}")
    dtype = aval_of(mean).dtype if dtype is None else _dtype_arg(dtype, "")
    if not dtypes.is_float(dtype):
        raise user_error(
            ValueError,
            f"dtype argument to `multivariate_normal` must be a float dtype, got {dtype}",
        )
    shape = None if shape is None else canonical_shape(shape)
    return _multivariate_normal_jit(data, mean, cov, shape, np.dtype(dtype), method)


def _orthogonal_impl(data, n, m, shape, dtype):
    z = _normal_impl(data, (*shape, max(n, m), min(n, m)), dtype)
    q, r = jnp_linalg.qr(z)
    # Signs of R's diagonal: Haar measure (Mezzadri 2007)
    x = jnp_ufuncs.multiply(q, expand_dims(jnp_ufuncs.sign(diagonal(r, 0, -2, -1)), -2))
    return swapaxes(x, -1, -2) if n < m else x


_orthogonal_jit = jit(_orthogonal_impl, static_argnums=(1, 2, 3, 4))


def _concrete_index(value, name):
    if isinstance(value, Tracer):
        from ..core import ConcretizationTypeError

        raise user_error(
            ConcretizationTypeError,
            "Abstract tracer value encountered where concrete value is expected: "
            f"The error occurred in jax.random.{name}()",
        )
    return operator.index(value)


def orthogonal(key, n, shape=(), dtype=None, m=None):
    """Haar-random (n, m) matrices with orthonormal rows or columns (the
    Q of a QR of normal samples, column signs fixed by R's diagonal)."""
    shape = canonical_shape(shape)
    data, _ = check_key("orthogonal", key)
    dtype = _dtype_arg(float if dtype is None else dtype, "")
    n = _concrete_index(n, "orthogonal")
    m = n if m is None else _concrete_index(m, "orthogonal")
    return _orthogonal_jit(data, n, m, shape, np.dtype(dtype))
