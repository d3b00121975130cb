"""mlax.scipy.stats.gumbel_r: jax.scipy.stats.gumbel_r's functions."""

from ..._src.scipy.stats_extra import gumbel_r as _gumbel_r

cdf = _gumbel_r.cdf
logcdf = _gumbel_r.logcdf
logpdf = _gumbel_r.logpdf
logsf = _gumbel_r.logsf
pdf = _gumbel_r.pdf
ppf = _gumbel_r.ppf
sf = _gumbel_r.sf

del _gumbel_r
