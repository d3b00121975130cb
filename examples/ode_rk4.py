"""An RK4 integrator in lax.fori_loop; the gradient of the final state with
respect to a parameter, checked against finite differences."""

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import lax

mlax.config.update("jax_enable_x64", True)


def f(y, k):
    # A damped oscillator: y = (position, velocity).
    return jnp.stack([y[1], -k * y[0] - 0.1 * y[1]])


def integrate(k, y0=(1.0, 0.0), dt=0.01, steps=500):
    def rk4(_, y):
        a = f(y, k)
        b = f(y + 0.5 * dt * a, k)
        c = f(y + 0.5 * dt * b, k)
        d = f(y + dt * c, k)
        return y + dt / 6 * (a + 2 * b + 2 * c + d)

    return lax.fori_loop(0, steps, rk4, jnp.asarray(y0))


k = 2.0
final = integrate(k)
grad = mlax.jit(mlax.grad(lambda k: integrate(k)[0]))(k)
eps = 1e-5
fd = (float(integrate(k + eps)[0]) - float(integrate(k - eps)[0])) / (2 * eps)
print(f"final state {np.asarray(final)}")
print(f"d position / d k: {float(grad):.8f}  finite differences: {fd:.8f}")
assert abs(float(grad) - fd) < 1e-6 * max(1.0, abs(fd))
