"""mlax.scipy.stats.bernoulli: jax.scipy.stats.bernoulli's functions."""

from ..._src.scipy.stats import bernoulli as _bernoulli

cdf = _bernoulli.cdf
logpmf = _bernoulli.logpmf
pmf = _bernoulli.pmf
ppf = _bernoulli.ppf

del _bernoulli
