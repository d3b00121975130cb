"""mlax.scipy.stats.gennorm: jax.scipy.stats.gennorm's functions."""

from ..._src.scipy.stats_extra import gennorm as _gennorm

cdf = _gennorm.cdf
logpdf = _gennorm.logpdf
pdf = _gennorm.pdf

del _gennorm
