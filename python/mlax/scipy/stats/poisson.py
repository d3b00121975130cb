"""mlax.scipy.stats.poisson: jax.scipy.stats.poisson's functions."""

from ..._src.scipy.stats import poisson as _poisson

cdf = _poisson.cdf
logpmf = _poisson.logpmf
pmf = _poisson.pmf

del _poisson
