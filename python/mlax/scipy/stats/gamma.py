"""mlax.scipy.stats.gamma: jax.scipy.stats.gamma's functions."""

from ..._src.scipy.stats import gamma as _gamma

cdf = _gamma.cdf
logcdf = _gamma.logcdf
logpdf = _gamma.logpdf
logsf = _gamma.logsf
pdf = _gamma.pdf
sf = _gamma.sf

del _gamma
