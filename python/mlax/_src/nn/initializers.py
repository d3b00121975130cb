"""jax.nn.initializers: functions `init(key, shape, dtype=None)` that draw
parameters. They call mlax.random's samplers the way JAX 0.10 calls its
own and scale in the same dtype with the same roundings, so the same key
gives JAX's values (bit for bit where the sampler is; orthogonal within
float rounding, since its QR is computed differently)."""

import math
from typing import Protocol

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import creation
from ..numpy import shape as _shape
from ..numpy import ufuncs as jnp
from ..numpy.util import array
from ..random import samplers as random
from ..transforms.control_flow import fori_loop


class Initializer(Protocol):
    """What an initializer is: `init(key, shape, dtype=...) -> Array`."""

    def __call__(self, key, shape, dtype=None):
        raise NotImplementedError


from ..transforms.jit import jit


def _dtype(dtype):
    return dtypes.default_float() if dtype is None else dtype


def _no_sharding(name, out_sharding):
    if out_sharding is not None:
        raise user_error(
            NotImplementedError, f"nn.initializers.{name}: out_sharding is not supported yet"
        )


def _canonical_shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def zeros(key, shape, dtype=None, out_sharding=None):
    """Like jax.nn.initializers.zeros: an array of zeros (the key is unused)."""
    _no_sharding("zeros", out_sharding)
    return creation.zeros(shape, _dtype(dtype))


def ones(key, shape, dtype=None, out_sharding=None):
    """Like jax.nn.initializers.ones: an array of ones (the key is unused)."""
    _no_sharding("ones", out_sharding)
    return creation.ones(shape, _dtype(dtype))


def constant(value, dtype=None):
    """Like jax.nn.initializers.constant: an initializer filling with `value`."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        _no_sharding("constant", out_sharding)
        return creation.full(shape, value, dtype=_dtype(dtype))

    return init


def uniform(scale=1e-2, dtype=None):
    """Like jax.nn.initializers.uniform: uniform in [0, scale)."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        _no_sharding("uniform", out_sharding)
        dtype = _dtype(dtype)
        return jnp.multiply(random.uniform(key, shape, dtype), array(scale, dtype))

    return init


def normal(stddev=1e-2, dtype=None):
    """Like jax.nn.initializers.normal: normal with standard deviation `stddev`."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        _no_sharding("normal", out_sharding)
        dtype = _dtype(dtype)
        return jnp.multiply(random.normal(key, shape, dtype), array(stddev, dtype))

    return init


def truncated_normal(stddev=1e-2, dtype=None, lower=-2.0, upper=2.0):
    """Like jax.nn.initializers.truncated_normal: a standard normal truncated
    to (lower, upper), times `stddev`."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        _no_sharding("truncated_normal", out_sharding)
        dtype = _dtype(dtype)
        sample = random.truncated_normal(key, lower, upper, shape, dtype)
        return jnp.multiply(sample, array(stddev, dtype))

    return init


def _compute_fans(shape, in_axis=-2, out_axis=-1, batch_axis=()):
    """(fan_in, fan_out) of a weight shape, as JAX's _compute_fans."""
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise user_error(
            ValueError,
            f"Can't compute input and output sizes of a {len(shape)}-dimensional"
            " weights tensor with default in_axis. Must be at least 2D or specify"
            " in_axis explicitly.",
        )

    def size(axes):
        return shape[axes] if isinstance(axes, int) else math.prod([shape[i] for i in axes])

    in_size, out_size, batch_size = size(in_axis), size(out_axis), size(batch_axis)
    receptive_field_size = math.prod(shape) / in_size / out_size / batch_size
    return in_size * receptive_field_size, out_size * receptive_field_size


def variance_scaling(scale, mode, distribution, in_axis=-2, out_axis=-1, batch_axis=(), dtype=None):
    """Like jax.nn.initializers.variance_scaling: samples with variance
    scale / fan (mode 'fan_in', 'fan_out', 'fan_avg' or 'fan_geo_avg'), from
    a 'truncated_normal', 'normal' or 'uniform' distribution."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        _no_sharding("variance_scaling", out_sharding)
        shape = _canonical_shape(shape)
        dtype = _dtype(dtype)
        fan_in, fan_out = _compute_fans(shape, in_axis, out_axis, batch_axis)
        if mode == "fan_in":
            denominator = fan_in
        elif mode == "fan_out":
            denominator = fan_out
        elif mode == "fan_avg":
            denominator = (fan_in + fan_out) / 2
        elif mode == "fan_geo_avg":
            denominator = (fan_in * fan_out) ** 0.5
        else:
            raise user_error(ValueError, f"invalid mode for variance scaling initializer: {mode}")
        if not dtypes.is_float(np.dtype(dtype)):
            raise user_error(
                NotImplementedError,
                f"nn.initializers.variance_scaling: dtype {np.dtype(dtype)} is not supported "
                "(mlax has no complex numbers yet)",
            )
        variance = array(scale / denominator, dtype=dtype)
        if distribution == "truncated_normal":
            # The constant is the stddev of a standard normal truncated to (-2, 2).
            stddev = jnp.divide(jnp.sqrt(variance), array(0.87962566103423978, dtype))
            return jnp.multiply(random.truncated_normal(key, -2, 2, shape, dtype), stddev)
        if distribution == "normal":
            return jnp.multiply(random.normal(key, shape, dtype), jnp.sqrt(variance))
        if distribution == "uniform":
            return jnp.multiply(
                random.uniform(key, shape, dtype, -1), jnp.sqrt(jnp.multiply(3, variance))
            )
        raise user_error(
            ValueError,
            f"invalid distribution for variance scaling initializer: {distribution}",
        )

    return init


def _initializer(scale, mode, distribution, doc):
    def make(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None):
        return variance_scaling(
            scale,
            mode,
            distribution,
            in_axis=in_axis,
            out_axis=out_axis,
            batch_axis=batch_axis,
            dtype=dtype,
        )

    make.__doc__ = doc
    return make


glorot_uniform = xavier_uniform = _initializer(
    1.0, "fan_avg", "uniform", "Like jax.nn.initializers.glorot_uniform (xavier_uniform)."
)
glorot_normal = xavier_normal = _initializer(
    1.0, "fan_avg", "truncated_normal", "Like jax.nn.initializers.glorot_normal (xavier_normal)."
)
lecun_uniform = _initializer(1.0, "fan_in", "uniform", "Like jax.nn.initializers.lecun_uniform.")
lecun_normal = _initializer(
    1.0, "fan_in", "truncated_normal", "Like jax.nn.initializers.lecun_normal."
)
he_uniform = kaiming_uniform = _initializer(
    2.0, "fan_in", "uniform", "Like jax.nn.initializers.he_uniform (kaiming_uniform)."
)
he_normal = kaiming_normal = _initializer(
    2.0, "fan_in", "truncated_normal", "Like jax.nn.initializers.he_normal (kaiming_normal)."
)


# ---------------------------------------------------------------------------
# orthogonal: mlax has no QR decomposition yet, so the Q factor with a
# positive-diagonal R (what JAX's random.orthogonal returns, q * sign(diag r))
# comes from Gram-Schmidt, each column orthogonalized twice against the
# earlier ones ("twice is enough": as orthogonal as Householder for the
# well-conditioned Gaussian matrices drawn here).


def _orthonormal_columns_impl(z):
    rows, cols = aval_of(z).shape
    dtype = aval_of(z).dtype

    def project_out(q, v):
        # v - Q (Q^T v); the columns of q not yet filled are zero.
        coeffs = lax.dot_general(q, v, (((0,), (0,)), ((), ())))
        return lax.sub(v, lax.dot_general(q, coeffs, (((1,), (0,)), ((), ()))))

    def body(j, q):
        v = lax.reshape(lax.dynamic_slice(z, (0, j), (rows, 1)), (rows,))
        v = project_out(q, project_out(q, v))
        norm = lax.sqrt(lax.reduce_sum(lax.mul(v, v), (0,)))
        v = lax.div(v, lax.broadcast_in_dim(norm, (rows,), ()))
        return lax.dynamic_update_slice(q, lax.reshape(v, (rows, 1)), (0, j))

    return fori_loop(0, cols, body, lax.full((rows, cols), 0, dtype))


_orthonormal_columns = jit(_orthonormal_columns_impl)


def _random_orthogonal(key, n, dtype, m):
    """JAX's random.orthogonal(key, n, (), dtype, m): an n x m matrix with
    orthonormal rows or columns (the Q of a Gaussian matrix's QR)."""
    z = random.normal(key, (max(n, m), min(n, m)), dtype)
    wide = dtypes.float32 if np.dtype(dtype).itemsize < 4 else np.dtype(dtype)
    q = _orthonormal_columns(lax.convert_element_type(z, wide))
    q = lax.convert_element_type(q, dtype)
    return _shape.transpose(q) if n < m else q


def orthogonal(scale=1.0, column_axis=-1, dtype=None):
    """Like jax.nn.initializers.orthogonal: a (scaled) matrix with
    orthonormal rows or columns, reshaped to `shape` with its columns along
    `column_axis`. Values match JAX's to float rounding (mlax computes the
    QR by Gram-Schmidt, not LAPACK's Householder)."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        if out_sharding is not None:
            raise NotImplementedError
        shape = _canonical_shape(shape)
        dtype = _dtype(dtype)
        if len(shape) < 2:
            raise user_error(ValueError, "orthogonal initializer requires at least a 2D shape")
        if any(d == 0 for d in shape):
            return creation.zeros(shape, dtype)
        n_rows, n_cols = math.prod(shape) // shape[column_axis], shape[column_axis]
        q = _random_orthogonal(key, n_rows, dtype, n_cols)
        q = _shape.reshape(q, tuple(np.delete(shape, column_axis)) + (shape[column_axis],))
        q = _shape.moveaxis(q, -1, column_axis)
        return jnp.multiply(array(scale, dtype), q)

    return init


def delta_orthogonal(scale=1.0, column_axis=-1, dtype=None):
    """Like jax.nn.initializers.delta_orthogonal: a 3-D, 4-D or 5-D
    convolution kernel, zero except an orthogonal matrix at the spatial
    center."""
    default = dtype

    def init(key, shape, dtype=default, out_sharding=None):
        if out_sharding is not None:
            raise NotImplementedError
        shape = _canonical_shape(shape)
        dtype = _dtype(dtype)
        if len(shape) not in (3, 4, 5):
            raise user_error(
                ValueError, "Delta orthogonal initializer requires a 3D, 4D or 5D shape."
            )
        if shape[-1] < shape[-2]:
            raise user_error(ValueError, "`fan_in` must be less or equal than `fan_out`. ")
        ortho = orthogonal(scale=scale, column_axis=column_axis, dtype=dtype)(key, shape[-2:])
        center = tuple((k - 1) // 2 for k in shape[:-2])
        w = creation.zeros(shape, dtype)
        return lax.dynamic_update_slice(
            w, lax.reshape(ortho, (1,) * len(center) + shape[-2:]), center + (0, 0)
        )

    return init
