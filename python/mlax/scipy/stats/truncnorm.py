"""mlax.scipy.stats.truncnorm: jax.scipy.stats.truncnorm's functions."""

from ..._src.scipy.stats_extra import truncnorm as _truncnorm

cdf = _truncnorm.cdf
logcdf = _truncnorm.logcdf
logpdf = _truncnorm.logpdf
logsf = _truncnorm.logsf
pdf = _truncnorm.pdf
sf = _truncnorm.sf

del _truncnorm
