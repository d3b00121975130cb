"""mlax.scipy.stats.gumbel_l: jax.scipy.stats.gumbel_l's functions."""

from ..._src.scipy.stats_extra import gumbel_l as _gumbel_l

cdf = _gumbel_l.cdf
logcdf = _gumbel_l.logcdf
logpdf = _gumbel_l.logpdf
logsf = _gumbel_l.logsf
pdf = _gumbel_l.pdf
ppf = _gumbel_l.ppf
sf = _gumbel_l.sf

del _gumbel_l
