"""mlax.scipy.stats.uniform: jax.scipy.stats.uniform's functions."""

from ..._src.scipy.stats import uniform as _uniform

cdf = _uniform.cdf
logpdf = _uniform.logpdf
pdf = _uniform.pdf
ppf = _uniform.ppf

del _uniform
