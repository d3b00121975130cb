"""mlax.scipy.stats.logistic: jax.scipy.stats.logistic's functions."""

from ..._src.scipy.stats import logistic as _logistic

cdf = _logistic.cdf
isf = _logistic.isf
logpdf = _logistic.logpdf
pdf = _logistic.pdf
ppf = _logistic.ppf
sf = _logistic.sf

del _logistic
