"""The ode floor: jax.experimental.ode's `odeint` (`dopri`: the adaptive
Dormand-Prince integrator and its adjoint reverse-mode rule), built from
numpy, lax and the transforms.

May import: `numpy`, `transforms`, `lax`, `runtime`, `sharding`, `core` (the
level of `image`).
"""
