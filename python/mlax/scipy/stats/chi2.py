"""mlax.scipy.stats.chi2: jax.scipy.stats.chi2's functions."""

from ..._src.scipy.stats import chi2 as _chi2

cdf = _chi2.cdf
logcdf = _chi2.logcdf
logpdf = _chi2.logpdf
logsf = _chi2.logsf
pdf = _chi2.pdf
sf = _chi2.sf

del _chi2
