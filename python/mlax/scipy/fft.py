"""mlax.scipy.fft: jax.scipy.fft's type-2 DCTs (dct, dctn, idct, idctn)."""

from .._src.scipy.fft import dct, dctn, idct, idctn  # noqa: F401
