"""mlax.scipy.signal: jax.scipy.signal's convolutions and detrend (the
spectral functions stft/istft/csd/welch need complex FFTs and raise
NotImplementedError; see docs/status.md)."""

from .._src.scipy.signal import (  # noqa: F401
    convolve,
    convolve2d,
    correlate,
    correlate2d,
    csd,
    detrend,
    fftconvolve,
    istft,
    stft,
    welch,
)
