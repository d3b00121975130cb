"""mlax.scipy.stats.cauchy: jax.scipy.stats.cauchy's functions."""

from ..._src.scipy.stats import cauchy as _cauchy

cdf = _cauchy.cdf
isf = _cauchy.isf
logcdf = _cauchy.logcdf
logpdf = _cauchy.logpdf
logsf = _cauchy.logsf
pdf = _cauchy.pdf
ppf = _cauchy.ppf
sf = _cauchy.sf

del _cauchy
