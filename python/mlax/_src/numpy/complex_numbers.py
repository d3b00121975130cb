"""Complex-number functions of jnp: real, imag, conj, angle, iscomplex,
sort_complex and the complex scalar types, with JAX's semantics for real
and complex inputs."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .scalar_types import _ScalarType
from .util import _check_arraylike, asarray


def _is_complex(x):
    return dtypes.is_complex(aval_of(x).dtype)


def real(val):
    """Like jnp.real: the real part (a real array is its own real part)."""
    _check_arraylike("real", val)
    x = asarray(val)
    return lax.real(x) if _is_complex(x) else x


def imag(val):
    """Like jnp.imag: the imaginary part (zeros for a real array)."""
    _check_arraylike("imag", val)
    x = asarray(val)
    return lax.imag(x) if _is_complex(x) else lax.full_like(x, 0)


def conjugate(x):
    """Like jnp.conjugate (a real array is returned as it is)."""
    _check_arraylike("conjugate", x)
    x = asarray(x)
    return lax.conj(x) if _is_complex(x) else x


conj = conjugate


def iscomplex(x):
    """Like jnp.iscomplex: where the imaginary part is nonzero."""
    i = imag(x)
    return lax.ne(i, lax.full_like(i, 0))


def angle(z, deg=False):
    """Like jnp.angle: atan2(imag, real), in the default float dtype for
    integers and for 0-d floats, as JAX. For real z it is selected directly
    (pi where z is negative or -0.0, 0 elsewhere, NaN for NaN): IREE's f32
    atan2 gives NaN for atan2(0, 0)."""
    _check_arraylike("angle", z)
    z = asarray(z)
    half_turn = 180.0 if deg else np.pi
    if _is_complex(z):
        out = lax.atan2(lax.imag(z), lax.real(z))
        return lax.mul(out, lax.full_like(out, 180.0 / np.pi)) if deg else out
    dt = aval_of(z).dtype
    if not dtypes.is_float(dt) or aval_of(z).ndim == 0:
        z = lax.convert_element_type(z, dtypes.default_float(), aval_of(z).weak_type)
    zero = lax.full_like(z, 0)
    negative_zero = lax.bitwise_and(lax.eq(z, zero), lax.lt(lax.div(lax.full_like(z, 1), z), zero))
    negative = lax.bitwise_or(lax.lt(z, zero), negative_zero)
    out = lax.select(negative, lax.full_like(z, half_turn), zero)
    return lax.select(lax.ne(z, z), z, out)


def sort_complex(a):
    """Like jnp.sort_complex: sorted along the last axis by (real, imag),
    returned as complex."""
    _check_arraylike("sort_complex", a)
    a = asarray(a)
    d = aval_of(a).dtype
    if not dtypes.is_complex(d):
        part = d if dtypes.is_float(d) and d != dtypes.float16 and d != dtypes.bfloat16 else None
        a = lax.convert_element_type(a, dtypes.complex_dtype(part or dtypes.default_float()))
    if aval_of(a).ndim == 0:
        return a
    axis = aval_of(a).ndim - 1
    re, im = lax.sort((lax.real(a), lax.imag(a)), dimension=axis, num_keys=2)
    return lax.complex(re, im)


class _ComplexScalarType(_ScalarType):
    """jnp.complex64 and friends."""


complex64 = csingle = _ComplexScalarType(np.complex64)
complex128 = cdouble = complex_ = _ComplexScalarType(np.complex128)
complexfloating = np.complexfloating


def not_built(module, name, reason):
    """A stand-in for jnp.<module>.<name> that raises NotImplementedError."""

    def fn(*args, **kwargs):
        raise user_error(NotImplementedError, f"jnp.{module}.{name}: {reason}")

    fn.__name__ = name
    fn.__doc__ = f"jnp.{module}.{name}: not built ({reason})."
    return fn


__all__ = [
    "angle",
    "cdouble",
    "complex64",
    "complex128",
    "complex_",
    "complexfloating",
    "conj",
    "conjugate",
    "csingle",
    "imag",
    "iscomplex",
    "real",
    "sort_complex",
]
