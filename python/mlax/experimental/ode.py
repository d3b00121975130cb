"""mlax.experimental.ode: jax.experimental.ode's `odeint`, the adaptive
Dormand-Prince integrator with its adjoint gradient (see docs/status.md)."""

from .._src.ode.dopri import odeint  # noqa: F401
