"""jax.scipy.integrate: trapezoid, the composite trapezoidal rule (as
JAX, jax.numpy.trapezoid under jit with a static axis)."""

from ..numpy.numerics import trapezoid as _jnp_trapezoid


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integrate y along `axis` with the composite trapezoidal rule, at
    sample points x, or spaced dx apart (jax.scipy.integrate.trapezoid)."""
    return _jnp_trapezoid(y, x, dx, axis)
