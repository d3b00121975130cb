"""mlax.custom_derivatives: the custom-derivative API (jax.custom_derivatives)."""

from ._src.transforms.api_extras import closure_convert, custom_gradient
from ._src.transforms.custom_derivatives import custom_jvp, custom_vjp

__all__ = ["closure_convert", "custom_gradient", "custom_jvp", "custom_vjp"]
