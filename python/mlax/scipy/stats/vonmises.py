"""mlax.scipy.stats.vonmises: jax.scipy.stats.vonmises's functions."""

from ..._src.scipy.stats_extra import vonmises as _vonmises

logpdf = _vonmises.logpdf
pdf = _vonmises.pdf

del _vonmises
