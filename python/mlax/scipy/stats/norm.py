"""mlax.scipy.stats.norm: jax.scipy.stats.norm's functions."""

from ..._src.scipy.stats import norm as _norm

cdf = _norm.cdf
isf = _norm.isf
logcdf = _norm.logcdf
logpdf = _norm.logpdf
logsf = _norm.logsf
pdf = _norm.pdf
ppf = _norm.ppf
sf = _norm.sf

del _norm
