"""mlax.scipy.stats.laplace: jax.scipy.stats.laplace's functions."""

from ..._src.scipy.stats import laplace as _laplace

cdf = _laplace.cdf
logpdf = _laplace.logpdf
pdf = _laplace.pdf

del _laplace
