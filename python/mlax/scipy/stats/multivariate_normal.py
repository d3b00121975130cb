"""mlax.scipy.stats.multivariate_normal: jax.scipy.stats.multivariate_normal's functions."""

from ..._src.scipy.stats_extra import multivariate_normal as _multivariate_normal

logpdf = _multivariate_normal.logpdf
pdf = _multivariate_normal.pdf

del _multivariate_normal
