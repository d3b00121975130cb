"""Names that belong to complex numbers, FFTs and linear algebra. mlax has
no complex dtypes yet: the real-input cases that are exact in JAX (real,
imag, conj, angle, iscomplex of a real array; fftfreq/fftshift; the
products jnp.linalg re-exports) work, the rest raises NotImplementedError
naming the later issue."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from .scalar_types import _ScalarType
from .util import _promote_inexact, asarray

_COMPLEX_LATER = "complex numbers are not built in mlax yet (a later issue)"


def _real_input(name, x):
    if isinstance(x, complex) or (isinstance(x, (np.ndarray, np.generic)) and np.iscomplexobj(x)):
        raise user_error(NotImplementedError, f"jnp.{name} of a complex input: {_COMPLEX_LATER}")
    return asarray(x)


def real(val):
    """Like jnp.real: a real array is its own real part."""
    return _real_input("real", val)


def imag(val):
    """Like jnp.imag: zeros for a real array."""
    x = _real_input("imag", val)
    return lax.full_like(x, 0)


def conjugate(x):
    """Like jnp.conjugate: a real array is its own conjugate."""
    return _real_input("conjugate", x)


conj = conjugate


def iscomplex(x):
    """Like jnp.iscomplex: all False for a real array."""
    x = _real_input("iscomplex", x)
    return lax.full(aval_of(x).shape, False, np.bool_)


def angle(z, deg=False):
    """Like jnp.angle of real z: atan2(0, z), i.e. pi where z is negative
    (or -0.0), 0 elsewhere, NaN for NaN. Selected directly: IREE's f32
    atan2 gives NaN for atan2(0, 0)."""
    z = _real_input("angle", z)
    dt = aval_of(z).dtype
    if not dtypes.is_float(dt) or aval_of(z).ndim == 0:
        z = lax.convert_element_type(z, dtypes.default_float(), aval_of(z).weak_type)
    (z,) = _promote_inexact("angle", z)
    zero = lax.full_like(z, 0)
    negative_zero = lax.bitwise_and(lax.eq(z, zero), lax.lt(lax.div(lax.full_like(z, 1), z), zero))
    negative = lax.bitwise_or(lax.lt(z, zero), negative_zero)
    half_turn = 180.0 if deg else np.pi
    out = lax.select(negative, lax.full_like(z, half_turn), zero)
    return lax.select(lax.ne(z, z), z, out)


def sort_complex(a):
    """jnp.sort_complex returns a complex array: not built yet."""
    raise user_error(
        NotImplementedError, f"jnp.sort_complex returns complex values: {_COMPLEX_LATER}"
    )


class _ComplexScalarType(_ScalarType):
    """jnp.complex64 and friends: usable as dtype names, not callable yet."""

    def __call__(self, x):
        raise user_error(NotImplementedError, f"jnp.{self.dtype.name}: {_COMPLEX_LATER}")


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
