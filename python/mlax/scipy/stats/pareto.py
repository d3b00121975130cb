"""mlax.scipy.stats.pareto: jax.scipy.stats.pareto's functions."""

from ..._src.scipy.stats import pareto as _pareto

cdf = _pareto.cdf
logcdf = _pareto.logcdf
logpdf = _pareto.logpdf
logsf = _pareto.logsf
pdf = _pareto.pdf
ppf = _pareto.ppf
sf = _pareto.sf

del _pareto
