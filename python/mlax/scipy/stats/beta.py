"""mlax.scipy.stats.beta: jax.scipy.stats.beta's functions."""

from ..._src.scipy.stats import beta as _beta

cdf = _beta.cdf
logcdf = _beta.logcdf
logpdf = _beta.logpdf
logsf = _beta.logsf
pdf = _beta.pdf
sf = _beta.sf

del _beta
