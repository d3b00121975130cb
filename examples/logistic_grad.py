"""The autodiff seed example: grad of the logistic function."""

from mlax import grad
import mlax.numpy as jnp


def logistic(x):
    return jnp.exp(x) / (jnp.exp(x) + 1)


grad_logistic = grad(logistic)
print(grad_logistic(1.0))  # JAX prints 0.19661194
