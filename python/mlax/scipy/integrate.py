"""mlax.scipy.integrate: jax.scipy.integrate's trapezoid."""

from .._src.scipy.integrate import trapezoid  # noqa: F401
