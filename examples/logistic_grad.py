"""The autodiff seed example: grad of the logistic function."""

import mlax.numpy as jnp
from mlax import grad


def logistic(x):
    return jnp.exp(x) / (jnp.exp(x) + 1)


grad_logistic = grad(logistic)
print(grad_logistic(1.0))  # JAX prints 0.19661194
