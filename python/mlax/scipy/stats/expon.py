"""mlax.scipy.stats.expon: jax.scipy.stats.expon's functions."""

from ..._src.scipy.stats import expon as _expon

cdf = _expon.cdf
logcdf = _expon.logcdf
logpdf = _expon.logpdf
logsf = _expon.logsf
pdf = _expon.pdf
ppf = _expon.ppf
sf = _expon.sf

del _expon
