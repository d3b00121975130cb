"""Comparisons of whole arrays and type predicates: isclose, allclose,
array_equal, array_equiv, isin, isposinf/isneginf, isreal, isscalar and
the *obj checks (JAX's definitions)."""

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, user_error
from ..runtime.array import Array
from ..transforms.jit import jit
from .ufuncs import isnan, logical_and, logical_or
from .util import _broadcast_all, _broadcast_to_shape, _check_arraylike, _promote, asarray


def _isclose_impl(a, b, rtol, atol, equal_nan):
    a, b = _promote("isclose", a, b)
    if not dtypes.is_inexact(aval_of(a).dtype):
        f = dtypes.default_float()
        a, b = (lax.convert_element_type(v, f, aval_of(v).weak_type) for v in (a, b))
    a, b = _broadcast_all(a, b, name="isclose")
    # Complex values compare by modulus, with real tolerances (JAX's).
    d = dtypes.real_dtype(aval_of(a).dtype)
    rtol = lax.convert_element_type(asarray(rtol), d)
    atol = lax.convert_element_type(asarray(atol), d)
    in_range = lax.le(lax.abs(lax.sub(a, b)), lax.add(atol, lax.mul(rtol, lax.abs(b))))
    if dtypes.is_complex(aval_of(b).dtype):
        finite = lax.bitwise_and(lax.is_finite(lax.real(b)), lax.is_finite(lax.imag(b)))
    else:
        finite = lax.is_finite(b)
    out = lax.bitwise_or(lax.eq(a, b), lax.bitwise_and(finite, in_range))
    if equal_nan:
        out = lax.bitwise_or(out, lax.bitwise_and(lax.ne(a, a), lax.ne(b, b)))
    return out


_isclose_jit = jit(_isclose_impl, static_argnames=("equal_nan",))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol * |b| elementwise (infinities equal only to
    themselves; NaNs equal each other only with equal_nan)."""
    _check_arraylike("isclose", a, b)
    return _isclose_jit(a, b, rtol, atol, equal_nan=bool(equal_nan))


def _allclose_impl(a, b, rtol, atol, equal_nan):
    close = _isclose_impl(a, b, rtol, atol, equal_nan)
    return lax.reduce_and(close, tuple(range(aval_of(close).ndim)))


_allclose_jit = jit(_allclose_impl, static_argnames=("equal_nan",))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_arraylike("allclose", a, b)
    return _allclose_jit(a, b, rtol, atol, equal_nan=bool(equal_nan))


def _all(x):
    return lax.reduce_and(x, tuple(range(aval_of(x).ndim)))


def array_equal(a1, a2, equal_nan=False):
    """True when the shapes match and every element is equal (a shape
    mismatch is False, not an error)."""
    a1, a2 = asarray(a1), asarray(a2)
    if aval_of(a1).shape != aval_of(a2).shape:
        return asarray(False)
    eq = asarray(a1 == a2)
    if equal_nan:
        eq = logical_or(eq, logical_and(isnan(a1), isnan(a2)))
    return _all(eq)


def array_equiv(a1, a2):
    """True when a1 and a2 broadcast together and are equal everywhere."""
    a1, a2 = asarray(a1), asarray(a2)
    try:
        eq = asarray(a1 == a2)
    except (TypeError, ValueError):  # shapes that do not broadcast
        return asarray(False)
    return _all(eq)


def _isin_impl(element, test_elements, invert):
    element, test_elements = _promote("isin", element, test_elements)
    shape = aval_of(element).shape
    flat = lax.reshape(element, (aval_of(element).size,))
    tests = lax.reshape(test_elements, (aval_of(test_elements).size,))
    if aval_of(flat).size == 0 or aval_of(tests).size == 0:
        return _broadcast_to_shape(lax._scalar(bool(invert), dtypes.bool_, False), shape)
    n, k = aval_of(flat).size, aval_of(tests).size
    grid = (n, k)
    left = lax.broadcast_in_dim(flat, grid, (0,))
    right = lax.broadcast_in_dim(tests, grid, (1,))
    if invert:
        out = lax.reduce_and(lax.ne(left, right), (1,))
    else:
        out = lax.reduce_or(lax.eq(left, right), (1,))
    return lax.reshape(out, shape)


_isin_jit = jit(_isin_impl, static_argnames=("invert",))


def isin(element, test_elements, assume_unique=False, invert=False, *, method="auto"):
    """Whether each element occurs in test_elements (every pair compared,
    JAX's 'compare_all', which is what method='auto' picks)."""
    _check_arraylike("isin", element, test_elements)
    if method not in ("auto", "compare_all", "binary_search", "sort"):
        raise user_error(
            ValueError,
            f"method={method!r} is not implemented; options are 'compare_all', "
            "'binary_search', 'sort', and 'auto'",
        )
    del assume_unique
    return _isin_jit(element, test_elements, invert=bool(invert))


def _isposneginf(name, infinity, x, out):
    if out is not None:
        raise user_error(NotImplementedError, f"The 'out' argument to {name} is not supported.")
    _check_arraylike(name, x)
    x = asarray(x)
    if dtypes.is_float(aval_of(x).dtype):
        return _eq_scalar(x, infinity)
    return _false_like(x)


_full_bool = jit(
    lambda x, v: _broadcast_to_shape(lax._scalar(v, dtypes.bool_, False), aval_of(x).shape),
    static_argnums=(1,),
)


def _false_like(x):
    return _full_bool(x, False)


_eq_scalar = jit(lambda x, v: lax.eq(x, lax._scalar_like(x, v)), static_argnums=(1,))


def isposinf(x, /, out=None):
    return _isposneginf("isposinf", np.inf, x, out)


def isneginf(x, /, out=None):
    return _isposneginf("isneginf", -np.inf, x, out)


def isreal(x):
    """Where the imaginary part is zero (all True for a real array)."""
    _check_arraylike("isreal", x)
    x = asarray(x)
    if not dtypes.is_complex(x.dtype):
        return _full_bool(x, True)
    i = lax.imag(x)
    return lax.eq(i, lax.full_like(i, 0))


def iscomplexobj(x):
    if x is None or isinstance(x, (bool, int, float, str, np.generic)):
        return isinstance(x, np.complexfloating)
    if isinstance(x, complex):
        return True
    try:
        typ = x.dtype.type
    except AttributeError:
        typ = np.asarray(x).dtype.type
    return issubclass(typ, np.complexfloating)


def isrealobj(x):
    return not iscomplexobj(x)


def isscalar(element):
    """True for Python/NumPy scalars and 0-d arrays (as jnp.isscalar)."""
    if np.isscalar(element):
        return True
    if isinstance(element, (np.ndarray, Array, Tracer)):
        return (
            aval_of(element).ndim == 0 if not isinstance(element, np.ndarray) else element.ndim == 0
        )
    if getattr(element, "__jax_array__", None) is not None:
        return asarray(element).ndim == 0
    return False
