"""mlax.scipy.stats.t: jax.scipy.stats.t's functions."""

from ..._src.scipy.stats import t as _t

logpdf = _t.logpdf
pdf = _t.pdf

del _t
