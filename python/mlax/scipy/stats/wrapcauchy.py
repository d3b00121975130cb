"""mlax.scipy.stats.wrapcauchy: jax.scipy.stats.wrapcauchy's functions."""

from ..._src.scipy.stats_extra import wrapcauchy as _wrapcauchy

logpdf = _wrapcauchy.logpdf
pdf = _wrapcauchy.pdf

del _wrapcauchy
