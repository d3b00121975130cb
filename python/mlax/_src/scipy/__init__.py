"""The scipy floor: mlax.scipy.special and mlax.scipy.stats, on lax, the
transforms, numpy and nn (as jax/_src/scipy is on JAX's)."""
